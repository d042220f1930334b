import { fail } from './errors.js';
import { ActivationList } from './internal/activation-list.js';
import type { MotifMap } from './motif-map.js';

/**
 * Fraction of a motif map's entries that are nonzero (the paper's δ for one item).
 *
 * @throws {@link MotifInputError} when the map is invalid.
 * @example
 * ```ts
 * motifDensity({ kind: 'sparse', shape: [10], channels: 2, activations: [{ channel: 0, position: [3], value: 1 }] }); // 0.05
 * ```
 */
export function motifDensity(map: MotifMap): number {
  const list = new ActivationList().load(map, 'map', 'motifDensity');
  return list.count / (list.positions * list.channels);
}

/**
 * Entropy of a Bernoulli(p) variable in bits: −p log₂ p − (1−p) log₂(1−p), 0 at p = 0 or 1.
 *
 * @example
 * ```ts
 * bernoulliEntropy(0.5); // 1
 * ```
 */
export function bernoulliEntropy(p: number): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) fail('p', 'a probability in [0, 1]', p, 'bernoulliEntropy');
  if (p === 0 || p === 1) return 0;
  return -p * Math.log2(p) - (1 - p) * Math.log2(1 - p);
}

/**
 * Options of {@link entropyBound}.
 *
 * @example
 * ```ts
 * const options: EntropyBoundOptions = { density: 1e-4, positions: 10_000, channels: 10 };
 * ```
 */
export interface EntropyBoundOptions {
  /** Density δ of the motif layer, in [0, 1]. */
  readonly density: number;
  /** Spatial positions S of one item, e.g. 100 × 100 = 10,000 for DigitCircle. */
  readonly positions: number;
  /** Channels C of the motif layer. */
  readonly channels: number;
  /** Bits of information per nonzero activation, η; default 4 (the paper's appendix B, 16 quantile bins). */
  readonly eta?: number;
}

/**
 * The paper's section 3.3 upper bound on the information in a motif layer, in bits per item:
 * I(X; M) ≤ H(M) ≤ S · C · (H(B(δ)) + η δ).
 *
 * @example
 * ```ts
 * // DigitCircle at its bar density: about 99 bits per image.
 * entropyBound({ density: 5.022621e-5, positions: 100 * 100, channels: 10 });
 * ```
 */
export function entropyBound(options: EntropyBoundOptions): number {
  const where = 'entropyBound';
  const { density, positions, channels, eta = 4 } = options;
  if (typeof density !== 'number' || !(density >= 0 && density <= 1)) fail('options.density', 'a number in [0, 1]', density, where);
  if (!Number.isInteger(positions) || positions < 1) fail('options.positions', 'a positive integer', positions, where);
  if (!Number.isInteger(channels) || channels < 1) fail('options.channels', 'a positive integer', channels, where);
  if (typeof eta !== 'number' || !(eta >= 0) || eta === Infinity) fail('options.eta', 'a finite number >= 0 (bits)', eta, where);
  return positions * channels * (bernoulliEntropy(density) + eta * density);
}
