import { fail } from './errors.js';
import { RandomState } from '@sparling/random';

/**
 * numpy's pairwise summation (what `np.mean` uses along a contiguous axis), so means agree with
 * the reference to the last bit.
 */
function pairwiseSum(a: Float64Array, start: number, n: number): number {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[start + i]!;
    return s;
  }
  if (n <= 128) {
    const r = [a[start]!, a[start + 1]!, a[start + 2]!, a[start + 3]!, a[start + 4]!, a[start + 5]!, a[start + 6]!, a[start + 7]!];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j]! += a[start + i + j]!;
    }
    let s = ((r[0]! + r[1]!) + (r[2]! + r[3]!)) + ((r[4]! + r[5]!) + (r[6]! + r[7]!));
    for (; i < n; i++) s += a[start + i]!;
    return s;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(a, start, half) + pairwiseSum(a, start + half, n - half);
}

/** numpy's default ('linear') quantile of sorted values. */
function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const virtual = (n - 1) * q;
  if (virtual >= n - 1) return sorted[n - 1]!;
  const lo = Math.floor(virtual);
  const gamma = virtual - lo;
  const a = sorted[lo]!;
  const b = sorted[lo + 1]!;
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/**
 * Options of {@link bootstrapMeanCI}.
 *
 * @example
 * ```ts
 * const options: BootstrapOptions = { resamples: 10_000, alpha: 0.1, seed: 1 };
 * ```
 */
export interface BootstrapOptions {
  /** Number of resamples; default 1000. */
  readonly resamples?: number;
  /** Two-sided level: the interval runs from percentile alpha/2 to 1 − alpha/2; default 0.05 (a 95% interval). */
  readonly alpha?: number;
  /** Seed of the MT19937 generator (numpy `RandomState` seeding); default 0. */
  readonly seed?: number;
}

/**
 * A bootstrap confidence interval of a mean.
 *
 * @example
 * ```ts
 * const { mean, low, high } = bootstrapMeanCI([1.2, 0.9, 1.1]);
 * ```
 */
export interface BootstrapInterval {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
  /** Values used (NaNs dropped). */
  readonly count: number;
}

/**
 * Bootstrap confidence interval of the mean of `values` (spec 7.2, the paper's error bars):
 * NaNs are dropped, `resamples` samples of the same size are drawn with replacement, and the
 * interval is the alpha/2 and 1 − alpha/2 quantiles of their means. Deterministic for a seed;
 * with the defaults it reproduces the reference's `bootstrap_mean` (numpy `RandomState(0)`
 * `choice`, `mean`, `quantile`) exactly. With no values left, every field is NaN.
 *
 * @example
 * ```ts
 * bootstrapMeanCI([0.5, 1.2, 3.3, 0.7, 1.0, NaN]); // { mean: 1.34, low: …, high: …, count: 5 }
 * ```
 */
export function bootstrapMeanCI(values: readonly number[] | Float64Array | Float32Array, options: BootstrapOptions = {}): BootstrapInterval {
  const where = 'bootstrapMeanCI';
  const { resamples = 1000, alpha = 0.05, seed = 0 } = options;
  if (!(Array.isArray(values) || values instanceof Float64Array || values instanceof Float32Array)) fail('values', 'an array of numbers', values, where);
  if (!Number.isInteger(resamples) || resamples < 1) fail('options.resamples', 'a positive integer', resamples, where);
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1)) fail('options.alpha', 'a number in (0, 1)', alpha, where);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) fail('options.seed', 'an integer in [0, 2^32)', seed, where);
  const kept: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v: unknown = values[i];
    if (typeof v !== 'number') fail(`values[${i}]`, 'a number', v, where);
    if (!Number.isNaN(v)) kept.push(v);
  }
  const n = kept.length;
  if (n === 0) return { mean: NaN, low: NaN, high: NaN, count: 0 };
  const data = Float64Array.from(kept);
  const rng = new RandomState(seed);
  const sample = new Float64Array(n);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let k = 0; k < n; k++) sample[k] = data[rng.randint(0, n)]!;
    means[r] = pairwiseSum(sample, 0, n) / n;
  }
  means.sort();
  return { mean: pairwiseSum(data, 0, n) / n, low: quantileSorted(means, alpha / 2), high: quantileSorted(means, 1 - alpha / 2), count: n };
}
