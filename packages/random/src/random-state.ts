import { fail, failText } from '@sparling/errors';
import { N, seedState, temper, twist } from './internal/mt19937.js';

const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;
/** numpy's tolerance on `choice`'s `p` summing to 1: √(float64 epsilon). */
const P_SUM_TOLERANCE = Math.sqrt(Number.EPSILON);

/**
 * Options of {@link RandomState.choice}, as numpy's `choice(a, size, replace, p)`.
 *
 * @example
 * ```ts
 * const options: ChoiceOptions = { size: 4, replace: false };
 * ```
 */
export interface ChoiceOptions {
  /** How many draws; omitted = one draw returned as a scalar. */
  readonly size?: number;
  /** Draw with replacement; default `true`. */
  readonly replace?: boolean;
  /** Probability of each index (non-negative, summing to 1 within √ε); default uniform. */
  readonly p?: ArrayLike<number>;
}

/** The smallest 2^k − 1 that is ≥ `max` (for `max` < 2^32). */
function mask32(max: number): number {
  let mask = max;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  return mask >>> 0;
}

/**
 * numpy's legacy `np.random.RandomState`, bit for bit: the MT19937 generator seeded with
 * `init_genrand`, and the legacy algorithms on top of it (53-bit `rand`, masked-rejection
 * `randint`, Fisher–Yates `shuffle`/`permutation`, and `choice` with or without replacement and
 * with or without `p`). Same seed and same calls give the same numbers as Python.
 *
 * @example
 * ```ts
 * const rng = new RandomState(0);
 * rng.randomUint32(); // 2357136044
 * new RandomState(0).rand(); // 0.5488135039273248
 * new RandomState(6).choice(10, { size: 6, replace: false }); // [4, 0, 7, 2, 6, 3]
 * ```
 */
export class RandomState {
  private readonly mt = new Int32Array(N);
  private index = N;

  /**
   * @param seed - an integer in [0, 2^32 − 1], as numpy accepts; negative seeds must be
   *   wrapped by the caller (numpy's reference code uses `seed % 2**32`).
   */
  constructor(seed: number) {
    if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      fail('RandomState', 'seed', 'an integer in [0, 4294967295]', seed);
    }
    seedState(this.mt, seed);
  }

  /**
   * The next raw 32-bit output of MT19937, as an unsigned integer.
   *
   * @example
   * ```ts
   * new RandomState(0).randomUint32(); // 2357136044
   * ```
   */
  randomUint32(): number {
    if (this.index >= N) {
      twist(this.mt);
      this.index = 0;
    }
    return temper(this.mt[this.index++]!);
  }

  /**
   * One uniform double in [0, 1) with 53 random bits (numpy `rand()` / `random_sample()`):
   * `((a >>> 5) · 2^26 + (b >>> 6)) / 2^53` from two raw outputs a, b.
   *
   * @example
   * ```ts
   * new RandomState(0).rand(); // 0.5488135039273248
   * ```
   */
  rand(): number {
    const a = this.randomUint32() >>> 5;
    const b = this.randomUint32() >>> 6;
    return (a * 67108864 + b) / TWO_53;
  }

  /**
   * Fills `target` with successive {@link rand} values (numpy `rand(n)`, or `rand(h, w)` read
   * row-major) and returns it. Reusing one buffer avoids an allocation per call.
   *
   * @example
   * ```ts
   * const noise = new RandomState(0).fillRandom(new Float64Array(100 * 100));
   * ```
   */
  fillRandom(target: Float64Array): Float64Array {
    if (!(target instanceof Float64Array)) fail('RandomState.fillRandom', 'target', 'a Float64Array', target);
    // This loop makes the bulk of every DigitCircle image's noise, so tempering is inlined and
    // whole pairs are read from the current block without refill checks; constants are
    // literal for the reason given in internal/mt19937.ts (2^-53 = 1.1102230246251565e-16).
    const mt = this.mt;
    const n = target.length;
    let i = this.index;
    let k = 0;
    while (k < n) {
      if (i >= 624) {
        twist(mt);
        i = 0;
      }
      if (i === 623) {
        // The pair straddles two blocks.
        const a = temper(mt[623]!);
        twist(mt);
        const b = temper(mt[0]!);
        i = 1;
        target[k++] = ((a >>> 5) * 67108864 + (b >>> 6)) * 1.1102230246251565e-16;
        continue;
      }
      const end = Math.min(n, k + ((624 - i) >> 1));
      for (; k < end; k++, i += 2) {
        let a = mt[i]!;
        a ^= a >>> 11;
        a ^= (a << 7) & 0x9d2c5680;
        a ^= (a << 15) & 0xefc60000;
        a ^= a >>> 18;
        let b = mt[i + 1]!;
        b ^= b >>> 11;
        b ^= (b << 7) & 0x9d2c5680;
        b ^= (b << 15) & 0xefc60000;
        b ^= b >>> 18;
        target[k] = ((a >>> 5) * 67108864 + (b >>> 6)) * 1.1102230246251565e-16;
      }
    }
    this.index = i;
    return target;
  }

  /**
   * `size` successive {@link rand} values in a new array (numpy `rand(size)`).
   *
   * @example
   * ```ts
   * new RandomState(0).randomArray(2); // Float64Array [0.5488135039273248, 0.7151893663724195]
   * ```
   */
  randomArray(size: number): Float64Array {
    if (!Number.isInteger(size) || size < 0) fail('RandomState.randomArray', 'size', 'a non-negative integer', size);
    return this.fillRandom(new Float64Array(size));
  }

  /**
   * One integer in [low, high) (numpy legacy `randint(low, high)`, default int64 dtype): with
   * r = high − low − 1, draws `uint32 & mask` (mask = smallest 2^k − 1 ≥ r) until the value is
   * ≤ r; ranges above 2^32 draw 64-bit words the same way. `randint(lo, hi, size=k)` is k calls.
   * The range may be at most 2^53 wide.
   *
   * @example
   * ```ts
   * const rng = new RandomState(7);
   * rng.randint(-3, 4); // 1
   * ```
   */
  randint(low: number, high: number): number {
    if (!Number.isSafeInteger(low)) fail('RandomState.randint', 'low', 'a safe integer', low);
    if (!Number.isSafeInteger(high) || high <= low) fail('RandomState.randint', 'high', `a safe integer greater than low (${low})`, high);
    const range = high - low - 1;
    if (!Number.isSafeInteger(range + 1)) failText('RandomState.randint', 'high - low', 'at most 2^53', String(high - low));
    return low + this.interval(range);
  }

  /** A uniform integer in [0, max] by masked rejection, exactly as numpy's `random_interval`. */
  private interval(max: number): number {
    if (max === 0) return 0;
    if (max <= 0xffffffff) {
      const mask = mask32(max);
      for (;;) {
        const v = (this.randomUint32() & mask) >>> 0;
        if (v <= max) return v;
      }
    }
    const highMask = mask32(Math.floor(max / TWO_32));
    for (;;) {
      // numpy's next_uint64 for MT19937: the first output is the high word.
      const hi = (this.randomUint32() & highMask) >>> 0;
      const lo = this.randomUint32();
      const v = hi * TWO_32 + lo;
      if (v <= max) return v;
    }
  }

  /**
   * Shuffles `items` in place and returns it (numpy legacy `shuffle`): for i from n − 1 down
   * to 1, swap item i with item j, j uniform in [0, i] by masked rejection.
   *
   * @example
   * ```ts
   * const order = new RandomState(0).shuffle(Array.from({ length: 60 }, (_, i) => i + 1));
   * order.slice(51); // [20, 10, 40, 56, 4, 1, 54, 48, 45]
   * ```
   */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    if (items === null || typeof items !== 'object' || !Number.isInteger(items.length)) {
      fail('RandomState.shuffle', 'items', 'an array or typed array', items);
    }
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /**
   * The integers 0..n−1 in random order (numpy legacy `permutation(n)`: `arange(n)` then
   * {@link shuffle}).
   *
   * @example
   * ```ts
   * new RandomState(8).permutation(10); // [8, 6, 9, 0, 2, 5, 7, 1, 4, 3]
   * ```
   */
  permutation(n: number): number[] {
    if (!Number.isInteger(n) || n < 0) fail('RandomState.permutation', 'n', 'a non-negative integer', n);
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /**
   * numpy legacy `choice(a, size, replace, p)`. `population` is a count n (draws indices in
   * [0, n)) or an array (draws its elements). Without `size` it returns one draw, else an array.
   * The algorithms, and so the random numbers consumed, are numpy's:
   * - with replacement, no `p`: one {@link randint}(0, n) per draw;
   * - with `p`: one {@link rand} per draw, located in the normalised cumulative sum of `p`
   *   (`searchsorted(side='right')`);
   * - without replacement, no `p`: a full {@link permutation} of n, of which the first `size`
   *   are taken (even for `size` 1);
   * - without replacement, with `p`: rounds of `rand(size − found)`, keeping new distinct
   *   indices in order and zeroing their probabilities, until `size` are found.
   *
   * @example
   * ```ts
   * const rng = new RandomState(6);
   * rng.randomArray(20_000); // the image noise
   * rng.randint(20, 35); // 33
   * rng.choice(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], { size: 6, replace: false });
   * new RandomState(11).choice(2, { p: [0.8, 0.2] }); // 0
   * ```
   */
  choice(population: number, options?: ChoiceOptions & { readonly size?: undefined }): number;
  choice(population: number, options: ChoiceOptions & { readonly size: number }): number[];
  choice<T>(population: readonly T[], options?: ChoiceOptions & { readonly size?: undefined }): T;
  choice<T>(population: readonly T[], options: ChoiceOptions & { readonly size: number }): T[];
  choice<T>(population: number | readonly T[], options: ChoiceOptions = {}): number | number[] | T | T[] {
    const where = 'RandomState.choice';
    const items = Array.isArray(population) ? (population as readonly T[]) : undefined;
    const n = items ? items.length : (population as number);
    if (!items && (typeof population !== 'number' || !Number.isInteger(population) || population < 0)) {
      fail(where, 'population', 'a non-negative integer or an array', population);
    }
    const { size, replace = true, p } = options;
    if (size !== undefined && (!Number.isInteger(size) || size < 0)) fail(where, 'options.size', 'a non-negative integer', size);
    const count = size ?? 1;
    if (n === 0 && count > 0) fail(where, 'population', 'a non-empty population when drawing', population);
    const weights = p === undefined ? undefined : checkWeights(p, n, where);
    if (!replace && count > n) fail(where, 'options.size', `at most the population (${n}) when replace is false`, size);

    let picks: number[];
    if (replace) {
      if (weights) {
        const cdf = cumulative(weights);
        picks = Array.from({ length: count }, () => searchRight(cdf, this.rand()));
      } else {
        picks = Array.from({ length: count }, () => this.interval(n - 1));
      }
    } else if (weights) {
      const nonzero = weights.reduce((k, w) => k + (w > 0 ? 1 : 0), 0);
      if (nonzero < count) failText(where, 'options.p', `at least ${count} non-zero entries for size ${count} without replacement`, `${nonzero}`);
      picks = this.choiceWithoutReplacement(weights, count);
    } else {
      picks = this.permutation(n).slice(0, count);
    }
    const out = items ? picks.map((i) => items[i]!) : picks;
    return size === undefined ? out[0]! : out;
  }

  private choiceWithoutReplacement(weights: Float64Array, count: number): number[] {
    const found: number[] = [];
    while (found.length < count) {
      const draws = this.randomArray(count - found.length);
      for (const i of found) weights[i] = 0;
      const cdf = cumulative(weights);
      const seen = new Set<number>();
      for (const u of draws) {
        const idx = searchRight(cdf, u);
        if (!seen.has(idx)) {
          seen.add(idx);
          found.push(idx);
        }
      }
    }
    return found;
  }
}

/** Validates `p` as numpy does and returns a copy in doubles. */
function checkWeights(p: ArrayLike<number>, n: number, where: string): Float64Array {
  if (p === null || typeof p !== 'object' || typeof p.length !== 'number') fail(where, 'options.p', 'an array of probabilities', p);
  if (p.length !== n) fail(where, 'options.p', `${n} probabilities, one per population entry`, p);
  const w = Float64Array.from(p);
  // Kahan summation, as numpy checks the total.
  let sum = 0;
  let c = 0;
  w.forEach((v, i) => {
    if (!(v >= 0) || !Number.isFinite(v)) fail(where, `options.p[${i}]`, 'a finite non-negative probability', p[i]);
    const y = v - c;
    const t = sum + y;
    c = t - sum - y;
    sum = t;
  });
  if (Math.abs(sum - 1) > P_SUM_TOLERANCE) failText(where, 'options.p', 'probabilities summing to 1', `a sum of ${sum}`);
  return w;
}

/** numpy's `cdf = p.cumsum(); cdf /= cdf[-1]` (sequential sums). */
function cumulative(weights: Float64Array): Float64Array {
  const cdf = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    cdf[i] = sum;
  });
  const total = cdf[cdf.length - 1]!;
  for (let i = 0; i < cdf.length; i++) cdf[i] = cdf[i]! / total;
  return cdf;
}

/** `searchsorted(cdf, u, side='right')`: the first index whose value is > u. */
function searchRight(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! <= u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
