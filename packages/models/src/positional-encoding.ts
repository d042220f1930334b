/**
 * The standard sinusoidal positional encoding (no √d scaling).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { checkInteger, invalid } from './internal/errors.js';

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

/**
 * A 2-D sinusoidal encoding `[rows, columns, dim]` (dim even): channels `0..dim/2−1` are
 * `sinusoidalEncoding(rows, dim/2)` of the row, channels `dim/2..dim−1` the same of the column.
 *
 * @example
 * gridEncoding(2, 3, 4).arraySync()[1][2]; // [sin 1, cos 1, sin 2, cos 2]
 */
export function gridEncoding(rows: number, columns: number, dim: number): tf.Tensor3D {
  checkInteger('gridEncoding: argument "rows"', rows, 0);
  checkInteger('gridEncoding: argument "columns"', columns, 0);
  checkInteger('gridEncoding: argument "dim"', dim, 2);
  if (dim % 2 !== 0) invalid('gridEncoding: argument "dim"', dim, 'an even integer');
  return tf.tidy(() => {
    const half = dim / 2;
    const row = tf.tile(tf.reshape(sinusoidalEncoding(rows, half), [rows, 1, half]), [1, columns, 1]);
    const column = tf.tile(tf.reshape(sinusoidalEncoding(columns, half), [1, columns, half]), [rows, 1, 1]);
    return tf.concat([row, column], -1) as tf.Tensor3D;
  });
}

/**
 * The centred, normalised coordinates `[rows · columns, 2]` (row-major) of the cells of a
 * `rows × columns` grid of `cell × cell` pooled windows over an `height × width` input:
 * `((i + ½)·cell − height/2) / (height/2)` and likewise for the column, so a cell centred on
 * the input's centre is (0, 0) and the corners approach ±1.
 *
 * @example
 * gridCoordinates(2, 2, 2, 4, 4).arraySync(); // [[-0.5, -0.5], [-0.5, 0.5], [0.5, -0.5], [0.5, 0.5]]
 */
export function gridCoordinates(rows: number, columns: number, cell: number, height: number, width: number): tf.Tensor2D {
  const values = new Float32Array(rows * columns * 2);
  for (let i = 0; i < rows; i += 1) {
    for (let j = 0; j < columns; j += 1) {
      values[(i * columns + j) * 2] = ((i + 0.5) * cell - height / 2) / (height / 2);
      values[(i * columns + j) * 2 + 1] = ((j + 0.5) * cell - width / 2) / (width / 2);
    }
  }
  return tf.tensor2d(values, [rows * columns, 2]);
}

/**
 * {@link gridCoordinates} followed by each cell's direction from the input's centre as a unit
 * vector (cos θ, sin θ), θ counter-clockwise from the column axis with rows growing downwards;
 * `[rows · columns, 4]`, (0, 0) for a cell on the centre. A dot product of two cells' directions
 * is cos(θ₁ − θ₂), so attention can find "the next motif counter-clockwise" (DigitCircle's order)
 * with one learned rotation instead of comparing coordinates.
 *
 * @example
 * polarCoordinates(1, 2, 2, 2, 4).arraySync(); // [[0, -0.5, -1, 0], [0, 0.5, 1, 0]]
 */
export function polarCoordinates(rows: number, columns: number, cell: number, height: number, width: number): tf.Tensor2D {
  const values = new Float32Array(rows * columns * 4);
  for (let i = 0; i < rows; i += 1) {
    for (let j = 0; j < columns; j += 1) {
      const y = ((i + 0.5) * cell - height / 2) / (height / 2);
      const x = ((j + 0.5) * cell - width / 2) / (width / 2);
      const r = Math.hypot(x, y);
      const k = (i * columns + j) * 4;
      values[k] = y;
      values[k + 1] = x;
      values[k + 2] = r === 0 ? 0 : x / r;
      values[k + 3] = r === 0 ? 0 : -y / r;
    }
  }
  return tf.tensor2d(values, [rows * columns, 4]);
}
