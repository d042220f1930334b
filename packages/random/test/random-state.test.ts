import { describe, expect, it } from 'vitest';
import { RandomState } from '../src/index.js';

// Expected values below were printed by numpy 2.4.6's legacy np.random.RandomState with the
// same seeds and the same sequence of calls (CI has no numpy, so they are pasted here).

describe('RandomState seeding and raw output', () => {
  it('matches the spec 3.6 MT19937 sanity vector', () => {
    const rng = new RandomState(0);
    expect([rng.randomUint32(), rng.randomUint32(), rng.randomUint32()]).toEqual([2357136044, 2546248239, 3071714933]);
  });
  it('seeds with the largest uint32 seed', () => {
    const rng = new RandomState(2 ** 32 - 1);
    expect(Array.from({ length: 5 }, () => rng.randomUint32())).toEqual([419326371, 479346978, 3918654476, 2416749639, 3388880820]);
  });
  it('keeps matching past the first 624-word refill', () => {
    const a = new RandomState(5);
    const b = new RandomState(5);
    const bulk = a.randomArray(1000);
    for (let i = 0; i < 1000; i++) expect(b.rand()).toBe(bulk[i]);
    expect(a.randomUint32()).toBe(b.randomUint32());
  });
  it('fills arrays whose pairs straddle a refill (odd position in the block)', () => {
    const a = new RandomState(5);
    const b = new RandomState(5);
    a.randomUint32();
    b.randomUint32();
    const bulk = a.randomArray(1500);
    for (let i = 0; i < 1500; i++) expect(b.rand()).toBe(bulk[i]);
    expect(a.randomUint32()).toBe(b.randomUint32());
  });
  it('rejects seeds numpy rejects', () => {
    expect(() => new RandomState(-1)).toThrow('RandomState: seed: expected an integer in [0, 4294967295], received -1');
    expect(() => new RandomState(2 ** 32)).toThrow(RangeError);
    expect(() => new RandomState(1.5)).toThrow('received 1.5');
  });
});

describe('rand', () => {
  it('matches the spec 3.6 vector', () => {
    const rng = new RandomState(0);
    expect([rng.rand(), rng.rand()]).toEqual([0.5488135039273248, 0.7151893663724195]);
  });
  it('fills arrays with the same stream as single draws', () => {
    expect(Array.from(new RandomState(12345).randomArray(5))).toEqual([
      0.9296160928171479, 0.3163755545817859, 0.18391881167709445, 0.2045602785530397, 0.5677250290816866,
    ]);
    const target = new Float64Array(3);
    expect(new RandomState(0).fillRandom(target)).toBe(target);
    expect(target[1]).toBe(0.7151893663724195);
  });
  it('names a bad argument', () => {
    expect(() => new RandomState(0).randomArray(-1)).toThrow('RandomState.randomArray: size: expected a non-negative integer, received -1');
    expect(() => new RandomState(0).fillRandom([1] as unknown as Float64Array)).toThrow('expected a Float64Array, received an array of length 1');
  });
});

describe('randint', () => {
  it('matches numpy for small, 32-bit and wider ranges', () => {
    const rng = new RandomState(7);
    const got = [
      ...Array.from({ length: 10 }, () => rng.randint(-3, 4)),
      ...Array.from({ length: 5 }, () => rng.randint(20, 35)),
      ...Array.from({ length: 2 }, () => rng.randint(0, 1)),
      ...Array.from({ length: 2 }, () => rng.randint(0, 2 ** 32)),
      ...Array.from({ length: 3 }, () => rng.randint(5, 2 ** 40)),
      ...Array.from({ length: 2 }, () => rng.randint(-(2 ** 45), 2 ** 45)),
      rng.randint(0, 3),
    ];
    expect(got).toEqual([
      1, -2, 3, 0, 0, 1, -2, 3, -3, -2, 34, 30, 30, 28, 27, 0, 0, 2266732518, 2917270596, 759366276996, 581456714673, 283194448,
      12332088682746, 30816002055955, 0,
    ]);
  });
  it('names bad bounds', () => {
    const rng = new RandomState(0);
    expect(() => rng.randint(3, 3)).toThrow('RandomState.randint: high: expected a safe integer greater than low (3), received 3');
    expect(() => rng.randint(0.5, 3)).toThrow('RandomState.randint: low: expected a safe integer, received 0.5');
    expect(() => rng.randint(-(2 ** 53) + 1, 2 ** 53 - 1)).toThrow('high - low: expected at most 2^53');
  });
});

describe('shuffle and permutation', () => {
  it('permutes as numpy', () => {
    const rng = new RandomState(8);
    expect(rng.permutation(10)).toEqual([8, 6, 9, 0, 2, 5, 7, 1, 4, 3]);
    expect(rng.permutation(60)).toEqual([
      16, 3, 33, 39, 24, 1, 37, 12, 19, 25, 58, 36, 32, 47, 11, 5, 46, 30, 41, 23, 6, 52, 43, 40, 0, 54, 35, 8, 57, 55, 20, 31, 22, 53, 28,
      56, 17, 42, 2, 26, 7, 4, 50, 59, 38, 14, 18, 34, 29, 15, 9, 13, 44, 27, 10, 51, 49, 21, 45, 48,
    ]);
  });
  it("reproduces the AudioMNIST speaker order (spec 5.1): test speakers are folders 1 4 10 20 40 45 48 54 56", () => {
    const order = new RandomState(0).shuffle(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(order.slice(0, 10)).toEqual([27, 36, 60, 29, 12, 3, 35, 59, 41, 23]);
    expect([...order.slice(51)].sort((a, b) => a - b)).toEqual([1, 4, 10, 20, 40, 45, 48, 54, 56]);
  });
  it('shuffles typed arrays in place', () => {
    const a = Int32Array.from({ length: 10 }, (_, i) => i);
    expect(new RandomState(8).shuffle(a)).toBe(a);
    expect(Array.from(a)).toEqual([8, 6, 9, 0, 2, 5, 7, 1, 4, 3]);
  });
});

describe('choice', () => {
  it('without replacement takes the head of a full permutation (spec 3.3 step 4)', () => {
    const rng = new RandomState(9);
    expect(rng.choice(10, { size: 4, replace: false })).toEqual([8, 4, 7, 2]);
    expect(rng.choice(10, { replace: false })).toBe(6);
  });
  it('with replacement draws randint(0, n) per item, and returns elements of an array population', () => {
    const rng = new RandomState(10);
    expect(rng.choice(120000, { size: 7 })).toEqual([83209, 105597, 94735, 50496, 93553, 105595, 9372]);
    expect(rng.choice(Array.from({ length: 30 }, (_, i) => i + 1))).toBe(26);
  });
  it('with p uses one rand per draw and searchsorted right', () => {
    const rng = new RandomState(11);
    const got = [
      ...Array.from({ length: 10 }, () => rng.choice(2, { p: [0.8, 0.2] })),
      ...rng.choice(3, { size: 6, p: [1 / 3, 1 / 3, 1 / 3] }),
      ...Array.from({ length: 5 }, () => rng.choice(4, { p: [0.1, 0, 0.6, 0.3] })),
    ];
    expect(got).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 0, 2, 2, 0, 1, 0, 2, 2, 2, 3]);
  });
  it('without replacement and with p draws rounds of distinct indices', () => {
    const rng = new RandomState(12);
    expect(rng.choice(6, { size: 4, replace: false, p: [0.5, 0.2, 0.1, 0.1, 0.05, 0.05] })).toEqual([0, 2, 1, 3]);
    expect(rng.choice(5, { size: 3, replace: false, p: [0, 0.7, 0.1, 0.1, 0.1] })).toEqual([4, 1, 3]);
  });
  it('picks the spec 3.6 Figure 1 digits', () => {
    const rng = new RandomState(6);
    rng.randomArray(10_000);
    expect(rng.randint(20, 35)).toBe(33);
    expect([rng.randint(48, 52), rng.randint(48, 52)]).toEqual([48, 50]);
    expect(rng.randint(3, 7)).toBe(6);
    expect(rng.choice(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], { size: 6, replace: false })).toEqual(['4', '0', '7', '2', '6', '3']);
  });
  it('validates as numpy does, naming the argument', () => {
    const rng = new RandomState(0);
    expect(() => rng.choice(3, { p: [0.5, 0.5] })).toThrow('RandomState.choice: options.p: expected 3 probabilities, one per population entry, received an array of length 2');
    expect(() => rng.choice(2, { p: [0.5, 0.6] })).toThrow('options.p: expected probabilities summing to 1, received a sum of 1.1');
    expect(() => rng.choice(2, { p: [1.5, -0.5] })).toThrow('options.p[1]: expected a finite non-negative probability, received -0.5');
    expect(() => rng.choice(3, { size: 4, replace: false })).toThrow('options.size: expected at most the population (3) when replace is false, received 4');
    expect(() => rng.choice(3, { size: 2, replace: false, p: [1, 0, 0] })).toThrow('expected at least 2 non-zero entries for size 2 without replacement, received 1');
    expect(() => rng.choice(0)).toThrow('RandomState.choice: population: expected a non-empty population when drawing, received 0');
    expect(() => rng.choice(-1)).toThrow('population: expected a non-negative integer or an array, received -1');
    expect(rng.choice(0, { size: 0 })).toEqual([]);
  });
});
