/**
 * A 32-bit hash of a few small integers (FNV-1a over their 32-bit words, then murmur3's finaliser):
 * the deterministic stand-in for random draws in the voice table.
 */
export function hash32(...parts: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    for (let shift = 0; shift < 32; shift += 8) h = Math.imul(h ^ ((part >>> shift) & 0xff), 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A deterministic number in [0, 1) from a few small integers. */
export function unitHash(...parts: readonly number[]): number {
  return hash32(...parts) / 2 ** 32;
}
