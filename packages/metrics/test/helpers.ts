import type { Activation, DenseMotifMap, SparseMotifMap, TrueMotif } from '../src/index.js';

/** Footprint from inclusive row and column ranges, as spec 7.6 states them. */
export function rows(r0: number, r1: number, c0: number, c1: number): TrueMotif['footprint'] {
  return { start: [r0, c0], end: [r1 + 1, c1 + 1] };
}

/** The spec 7.6 worked example: channels A, B, C on an 8×8 grid. */
export const worked = {
  motifs: [
    { symbol: '1', footprint: rows(0, 2, 0, 2) },
    { symbol: '2', footprint: rows(0, 2, 5, 7) },
    { symbol: '1', footprint: rows(5, 7, 0, 2) },
    { symbol: '3', footprint: rows(5, 7, 5, 7) },
  ] satisfies TrueMotif[],
  map: {
    kind: 'sparse',
    shape: [8, 8],
    channels: 3,
    activations: [
      { channel: 0, position: [1, 1], value: 0.9 },
      { channel: 1, position: [2, 2], value: 0.4 },
      { channel: 1, position: [1, 6], value: 0.7 },
      { channel: 2, position: [6, 1], value: 0.5 },
      { channel: 0, position: [4, 4], value: 0.3 },
      { channel: 2, position: [4, 0], value: 0.2 },
    ],
  } satisfies SparseMotifMap,
};

/** The dense, channels-last form of a sparse map. */
export function toDense(map: SparseMotifMap, values?: Float32Array): DenseMotifMap {
  const positions = map.shape.reduce((a, b) => a * b, 1);
  const out = values ?? new Float32Array(positions * map.channels);
  for (const a of map.activations) {
    let flat = 0;
    a.position.forEach((x, d) => (flat = flat * map.shape[d]! + x));
    out[flat * map.channels + a.channel] = a.value;
  }
  return { kind: 'dense', shape: map.shape, channels: map.channels, values: out };
}

/** mulberry32: a tiny seeded generator for random test cases. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random sparse map with distinct activations, values drawn from a small set so ties happen. */
export function randomCase(rnd: () => number, rank: number): { map: SparseMotifMap; motifs: TrueMotif[] } {
  const int = (n: number): number => Math.floor(rnd() * n);
  const channels = 1 + int(6);
  const shape = Array.from({ length: rank }, () => 3 + int(12));
  const seen = new Set<string>();
  const activations: Activation[] = [];
  for (let k = int(15); k > 0; k--) {
    const a = { channel: int(channels), position: shape.map((s) => int(s)), value: [0.25, 0.5, 1, Math.fround(rnd() + 0.01)][int(4)]! };
    const key = `${a.channel}@${a.position.join(',')}`;
    if (!seen.has(key)) {
      seen.add(key);
      activations.push(a);
    }
  }
  const motifs = Array.from({ length: int(5) }, () => {
    const start = shape.map((s) => int(s + 2) - 2);
    return { symbol: String(int(4)), footprint: { start, end: start.map((x) => x + int(7)) } };
  });
  return { map: { kind: 'sparse', shape, channels, activations }, motifs };
}
