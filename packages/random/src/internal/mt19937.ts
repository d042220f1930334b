/** Words of MT19937 state. */
export const N = 624;
const M = 397;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;
const MATRIX_A = 0x9908b0df;

// The state is an Int32Array so every word stays a small integer for V8; the bits are the
// same as the reference's uint32 words, and outputs are converted with `>>> 0`.

/** `init_genrand(seed)`, the seeding numpy's legacy `RandomState(int)` uses. */
export function seedState(mt: Int32Array, seed: number): void {
  mt[0] = seed | 0;
  for (let i = 1; i < N; i++) {
    const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
    // 1812433253 · prev + i mod 2^32; Math.imul keeps the product exact in 32 bits.
    mt[i] = (Math.imul(1812433253, prev) + i) | 0;
  }
}

/** Regenerates all 624 words at once (the reference `genrand_int32` refill). */
export function twist(mt: Int32Array): void {
  let k = 0;
  for (; k < N - M; k++) {
    const y = (mt[k]! & UPPER) | (mt[k + 1]! & LOWER);
    mt[k] = mt[k + M]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  for (; k < N - 1; k++) {
    const y = (mt[k]! & UPPER) | (mt[k + 1]! & LOWER);
    mt[k] = mt[k + M - N]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  const y = (mt[N - 1]! & UPPER) | (mt[0]! & LOWER);
  mt[N - 1] = mt[M - 1]! ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
}

/** The MT19937 output tempering; returns a uint32. */
export function temper(word: number): number {
  let y = word;
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y >>> 0;
}
