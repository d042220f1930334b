import * as tf from '@tensorflow/tfjs';

/** Deterministic uniform [0, 1) generator (mulberry32). */
export function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic standard-normal generator (Box–Muller over mulberry32). */
export function normal(seed: number): () => number {
  const u = uniform(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let a = u();
    while (a === 0) a = u();
    const b = u();
    const r = Math.sqrt(-2 * Math.log(a));
    spare = r * Math.sin(2 * Math.PI * b);
    return r * Math.cos(2 * Math.PI * b);
  };
}

/** `rows × channels` float32 values, N(mean[c], 1) per channel (mean 0 by default). */
export function normalMatrix(
  rng: () => number,
  rows: number,
  channels: number,
  means?: ArrayLike<number>,
): Float32Array {
  const out = new Float32Array(rows * channels);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++) {
      out[r * channels + c] = rng() + (means === undefined ? 0 : (means[c] as number));
    }
  }
  return out;
}

/** torch.linspace(a, b, n). */
export function linspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a + ((b - a) * i) / (n - 1);
  return out;
}

/** Φ⁻¹(p) for the probabilities the reference tests use (values from scipy.stats.norm.ppf). */
export const NORMAL_QUANTILE: Readonly<Record<string, number>> = {
  '0.3': -0.5244005127080407,
  '0.5': 0,
  '0.7': 0.5244005127080407,
  '0.9': 1.2815515655446004,
  '0.999': 3.090232306167813,
};

/** Per-channel fraction of zeros of a channels-last tensor. */
export function channelZeroFractions(t: tf.Tensor): Float64Array {
  const values = t.dataSync();
  const channels = t.shape[t.rank - 1] as number;
  const rows = values.length / channels;
  const out = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    let zeros = 0;
    for (let i = c; i < values.length; i += channels) if (values[i] === 0) zeros++;
    out[c] = zeros / rows;
  }
  return out;
}

/** Fraction of zeros of a tensor. */
export function zeroFraction(t: tf.Tensor): number {
  const values = t.dataSync();
  let zeros = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === 0) zeros++;
  return zeros / values.length;
}

/** Brute-force k-th smallest (1-based) by sorting a copy; NaN sorts last. */
export function bruteKth(values: ArrayLike<number>, k: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[k - 1] as number;
}

/** Runs `fn` and returns the message of the error it throws (fails if none). */
export function errorMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error('expected the call to throw');
}
