/**
 * Measured (as opposed to target) density of a bottleneck output (spec §1.7).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { checkFinite, checkInteger, invalid } from './internal/errors.js';

/**
 * Options of {@link measuredDensity} and {@link channelDensities}.
 * @example
 * measuredDensity(sigmoids, { above: 0.5 });
 */
export interface MeasuredDensityOptions {
  /**
   * Count values strictly greater than this instead of nonzero values. Use 0.5
   * on the KL baseline's sigmoid activations (its reference density is the
   * fraction of sigmoid > 0.5). Default: count nonzeros.
   */
  above?: number;
}

function readValues(x: tf.Tensor | ArrayLike<number>, where: string): ArrayLike<number> {
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) invalid(`${where}: argument "x"`, 'a disposed tensor', 'a live tensor');
    if (tf.getBackend() === 'webgpu') {
      invalid(`${where}: argument "x"`, 'a tensor on the webgpu backend', 'an array of numbers there (webgpu tensors cannot be read synchronously: pass await x.data())');
    }
    // Read outside any tidy: returning a large typed array from tidy is slow.
    return x.dataSync() as ArrayLike<number>;
  }
  if (typeof x !== 'object' || x === null || typeof x.length !== 'number') {
    invalid(`${where}: argument "x"`, x, 'a tf.Tensor or an array of numbers');
  }
  return x;
}

function makeCounter(options: MeasuredDensityOptions | undefined, where: string) {
  if (options?.above === undefined) return (v: number) => v !== 0;
  const above = checkFinite(`${where}: option "above"`, options.above);
  return (v: number) => v > above;
}

/**
 * Fraction of nonzero values (or of values `> above`) of a tensor or array —
 * the measured density of a sparse layer's output (the reference reports it in
 * eval mode for the L1 baseline; for KL, `above: 0.5` on the sigmoids, which
 * equals the nonzero fraction of `ReLU(sigmoid − 0.5)`). Returns NaN for an
 * empty input.
 *
 * @example
 * measuredDensity(tf.tensor([0, 1.5, 0, 0])); // 0.25
 * measuredDensity(tf.tensor([0.2, 0.7]), { above: 0.5 }); // 0.5
 */
export function measuredDensity(
  x: tf.Tensor | ArrayLike<number>,
  options?: MeasuredDensityOptions,
): number {
  const values = readValues(x, 'measuredDensity');
  const counts = makeCounter(options, 'measuredDensity');
  let n = 0;
  for (let i = 0; i < values.length; i++) if (counts(values[i] as number)) n++;
  return values.length === 0 ? Number.NaN : n / values.length;
}

/**
 * Per-channel measured density of a channels-last tensor: for each index of the
 * last axis, the fraction of nonzero values (or values `> above`) over all
 * other axes.
 *
 * @example
 * channelDensities(tf.tensor2d([[0, 1], [2, 3]])); // Float64Array [0.5, 1]
 */
export function channelDensities(x: tf.Tensor, options?: MeasuredDensityOptions): Float64Array {
  if (!(x instanceof tf.Tensor) || x.rank < 1) {
    invalid('channelDensities: argument "x"', x instanceof tf.Tensor ? `rank ${x.rank}` : x, 'a tensor of rank >= 1');
  }
  const channels = checkInteger('channelDensities: channel axis size', x.shape[x.rank - 1], 1);
  const values = readValues(x, 'channelDensities');
  const counts = makeCounter(options, 'channelDensities');
  const hits = new Float64Array(channels);
  const rows = values.length / channels;
  for (let c = 0; c < channels; c++) {
    let n = 0;
    for (let i = c; i < values.length; i += channels) if (counts(values[i] as number)) n++;
    hits[c] = n / rows;
  }
  return hits;
}
