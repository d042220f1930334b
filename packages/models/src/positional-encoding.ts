/**
 * The standard sinusoidal positional encoding (no √d scaling).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { checkInteger } from './internal/errors.js';

/**
 * `PE[p, 2i] = sin(p / 10000^(2i/d))`, `PE[p, 2i+1] = cos(p / 10000^(2i/d))` for positions
 * `0..length−1`, as `[length, dim]` (PyTorch's `PositionalEncoding`, spec 6.3).
 *
 * @example
 * sinusoidalEncoding(3, 4).arraySync()[1]; // [sin 1, cos 1, sin 0.01, cos 0.01]
 */
export function sinusoidalEncoding(length: number, dim: number): tf.Tensor2D {
  checkInteger('sinusoidalEncoding: argument "length"', length, 0);
  checkInteger('sinusoidalEncoding: argument "dim"', dim, 1);
  const values = new Float32Array(length * dim);
  for (let p = 0; p < length; p += 1) {
    for (let i = 0; i < dim; i += 2) {
      const angle = p * Math.exp((-i * Math.log(10000)) / dim);
      values[p * dim + i] = Math.sin(angle);
      if (i + 1 < dim) values[p * dim + i + 1] = Math.cos(angle);
    }
  }
  return tf.tensor2d(values, [length, dim]);
}
