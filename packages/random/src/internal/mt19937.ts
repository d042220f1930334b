/** Words of MT19937 state. */
export const N = 624;

// The state is an Int32Array so every word stays a small integer for V8; the bits are the
// same as the reference's uint32 words, and outputs are converted with `>>> 0`. The hot loops
// spell their constants out (n = 624, m = 397, upper mask 0x80000000, lower mask 0x7fffffff,
// matrix 0x9908b0df): bundlers turn module constants into mutable `var`s, which V8 reloads on
// every iteration, costing about a third of the generator's speed.

/** `init_genrand(seed)`, the seeding numpy's legacy `RandomState(int)` uses. */
export function seedState(mt: Int32Array, seed: number): void {
  mt[0] = seed | 0;
  for (let i = 1; i < 624; i++) {
    const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
    // 1812433253 · prev + i mod 2^32; Math.imul keeps the product exact in 32 bits.
    mt[i] = (Math.imul(1812433253, prev) + i) | 0;
  }
}

/** Regenerates all 624 words at once (the reference `genrand_int32` refill). */
export function twist(mt: Int32Array): void {
  let k = 0;
  for (; k < 227; k++) {
    const y = (mt[k]! & 0x80000000) | (mt[k + 1]! & 0x7fffffff);
    mt[k] = mt[k + 397]! ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
  }
  for (; k < 623; k++) {
    const y = (mt[k]! & 0x80000000) | (mt[k + 1]! & 0x7fffffff);
    mt[k] = mt[k - 227]! ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
  }
  const y = (mt[623]! & 0x80000000) | (mt[0]! & 0x7fffffff);
  mt[623] = mt[396]! ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
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
