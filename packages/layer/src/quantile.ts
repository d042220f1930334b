/**
 * Pure order-statistic and threshold arithmetic on typed arrays, written to
 * reproduce the reference (PyTorch) implementation bit for bit: the rank
 * `k = max(1, trunc(rows * sparsity))` is computed on a double product, the
 * k-th smallest value is an exact order statistic (`torch.kthvalue`, no
 * interpolation) and the moving average is rounded to float32 after every
 * operation (spec §12.1).
 *
 * @module
 */
import { checkInteger, invalid } from './internal/errors.js';

const fround = Math.fround;

/**
 * The rank k (1-based) of the threshold value among `rows` values at a given
 * sparsity: `k = max(1, trunc(rows * sparsity))`, the product taken in doubles
 * exactly as the reference does. The k smallest values of a column are zeroed,
 * so `rows - k` values survive in the batch that defines the threshold.
 *
 * It takes the *sparsity* `s = 1 - density`, because that is the quantity the
 * reference stores and multiplies (`s ← 1 − (1 − s)·0.75`); passing a density
 * would re-round `1 - density` for densities above 0.5.
 *
 * @param rows Number of values in the column (positions in the batch), an integer >= 1.
 * @param sparsity Fraction of zeroed values, `0 <= sparsity < 1`.
 * @returns The 1-based rank k, `1 <= k <= rows`.
 * @example
 * thresholdRank(8, 0.75); // 6
 * thresholdRank(100_000, 0.9999497737871397); // 99_994 (6 survivors)
 */
export function thresholdRank(rows: number, sparsity: number): number {
  checkInteger('thresholdRank: argument "rows"', rows, 1);
  if (typeof sparsity !== 'number' || !(sparsity >= 0 && sparsity < 1)) {
    invalid('thresholdRank: argument "sparsity"', sparsity, 'a number with 0 <= sparsity < 1');
  }
  return Math.max(1, Math.trunc(rows * sparsity));
}

/**
 * One step of the threshold moving average in float32, as the reference
 * computes it: `t' = f32(f32(t · f32(1 − m)) + f32(q · f32(m)))`.
 *
 * `momentum` is the weight of the newest batch quantile (PyTorch convention):
 * the default 0.1 gives `t' = 0.9·t + 0.1·q`, i.e. the paper's μ = 0.9.
 *
 * @param previous The current threshold t (a float32 value).
 * @param quantile The batch's k-th smallest value q (a float32 value).
 * @param momentum Weight of q, `0 <= momentum <= 1`.
 * @returns The new threshold, a float32 value.
 * @example
 * emaThreshold(0, Math.fround(0.7), 0.1); // 0.07000000029802322
 * emaThreshold(0, Math.fround(0.7), 1); // Math.fround(0.7)
 */
export function emaThreshold(previous: number, quantile: number, momentum: number): number {
  const keep = fround(1 - momentum);
  const take = fround(momentum);
  return fround(fround(previous * keep) + fround(quantile * take));
}

/**
 * The k-th smallest value (1-based, ties counted, no interpolation — the
 * semantics of `torch.kthvalue`) of `values`. The input is not modified: the
 * values are copied and selected with Floyd–Rivest quickselect in O(n).
 * NaN sorts above every number, as in PyTorch.
 *
 * @param values The values (read only).
 * @param k The rank, an integer with `1 <= k <= values.length`.
 * @returns The k-th smallest value.
 * @example
 * kthSmallest(new Float32Array([0.1, -0.5, 2, 0.3, 1.5, -1, 0, 0.7]), 6); // Math.fround(0.7)
 */
export function kthSmallest(values: ArrayLike<number>, k: number): number {
  checkInteger('kthSmallest: argument "k"', k, 1);
  if (k > values.length) {
    invalid('kthSmallest: argument "k"', k, `an integer <= values.length (${values.length})`);
  }
  const scratch = new Float64Array(values.length);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v === v) scratch[count++] = v; // NaN sorts last: leave it out and check k below
  }
  if (k > count) return Number.NaN;
  return selectInPlace(scratch, count, k - 1);
}

/**
 * Per-channel k-th smallest values of a channels-last matrix: `values` holds
 * `rows × channels` numbers in row-major order (channel c of row r at
 * `r * channels + c`), possibly split across several chunks whose lengths are
 * multiples of `channels`. Returns one float per channel.
 *
 * @param values One array or several chunks (each a whole number of rows).
 * @param channels Number of channels C (the stride), an integer >= 1.
 * @param k The rank, `1 <= k <= rows`.
 * @returns `Float32Array` of length C with the k-th smallest value of each channel.
 * @example
 * // two rows, two channels: [[1, 10], [2, 20]]
 * channelKthSmallest(new Float32Array([1, 10, 2, 20]), 2, 1); // Float32Array [1, 10]
 */
export function channelKthSmallest(
  values: Float32Array | readonly Float32Array[],
  channels: number,
  k: number,
): Float32Array {
  const chunks: readonly Float32Array[] = values instanceof Float32Array ? [values] : values;
  checkInteger('channelKthSmallest: argument "channels"', channels, 1);
  let rows = 0;
  for (const chunk of chunks) {
    if (chunk.length % channels !== 0) {
      invalid(
        'channelKthSmallest: chunk length',
        chunk.length,
        `a multiple of channels (${channels})`,
      );
    }
    rows += chunk.length / channels;
  }
  checkInteger('channelKthSmallest: argument "k"', k, 1);
  if (k > rows) invalid('channelKthSmallest: argument "k"', k, `an integer <= rows (${rows})`);
  return new QuantileWorkspace().channelKthSmallest(chunks, channels, rows, k);
}

/**
 * Reusable scratch memory for repeated per-channel selection (one gather
 * buffer that grows to the largest column seen), so a training step allocates
 * nothing but its C-float result.
 * @internal
 */
export class QuantileWorkspace {
  private buffer = new Float32Array(0);

  /** Per-channel k-th smallest over `rows` rows spread across `chunks`. */
  channelKthSmallest(
    chunks: readonly Float32Array[],
    channels: number,
    rows: number,
    k: number,
  ): Float32Array {
    if (this.buffer.length < rows) this.buffer = new Float32Array(rows);
    const buf = this.buffer;
    const out = new Float32Array(channels);
    for (let c = 0; c < channels; c++) {
      let count = 0;
      for (const chunk of chunks) {
        const n = chunk.length;
        for (let i = c; i < n; i += channels) {
          const v = chunk[i] as number;
          if (v === v) buf[count++] = v;
        }
      }
      out[c] = k > count ? Number.NaN : selectInPlace(buf, count, k - 1);
    }
    return out;
  }
}

/**
 * Rearranges `a[0..n)` so that `a[index]` holds the value it would have after
 * sorting, and returns it (Floyd–Rivest selection; NaN-free input).
 */
function selectInPlace(a: Float32Array | Float64Array, n: number, index: number): number {
  select(a, index, 0, n - 1);
  return a[index] as number;
}

function select(a: Float32Array | Float64Array, k: number, left: number, right: number): void {
  while (right > left) {
    if (right - left > 600) {
      // Recurse on a sample-sized range that very probably contains the answer.
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const newLeft = Math.max(left, Math.floor(k - (m * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - m) * s) / n + sd));
      select(a, k, newLeft, newRight);
    }
    const t = a[k] as number;
    let i = left;
    let j = right;
    swap(a, left, k);
    if ((a[right] as number) > t) swap(a, left, right);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while ((a[i] as number) < t) i++;
      while ((a[j] as number) > t) j--;
    }
    if (a[left] === t) {
      swap(a, left, j);
    } else {
      j++;
      swap(a, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

function swap(a: Float32Array | Float64Array, i: number, j: number): void {
  const tmp = a[i] as number;
  a[i] = a[j] as number;
  a[j] = tmp;
}
