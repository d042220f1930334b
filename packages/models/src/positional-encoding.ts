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

/**
 * Each pooled cell's direction from the centre of mass of its own item's motif map, for
 * `post.coordinates: 'centroid'`. `values` is a channels-last `[batch, height, width, channels]`
 * map of non-negative activations (ĝ's sparse output); the result is `[batch, rows, columns, 2]`
 * with rows = ⌊height/cell⌋, columns = ⌊width/cell⌋. For each cell it is the activation-weighted
 * mean of the unit vectors (cos θ, sin θ) from the item's centroid to each active pixel of the
 * cell, θ counter-clockwise from the column axis with rows growing downwards; (0, 0) for an empty
 * cell or an empty map.
 *
 * Why from the centroid and not the image centre: motifs in convex position (DigitCircle's
 * circle) are in the same angular order around every point inside their hull, and the centroid
 * is such a point wherever the circle sits, so ordering by these angles is ordering along the
 * circle. Weighting the pixels inside a cell keeps the exact angle of a motif that a cell-centre
 * angle would blur by up to half a cell.
 *
 * @example
 * // One 2×2 map, one channel, active at (0, 0) and (1, 1): cells of 1 pixel point away from each other.
 * centroidDirections(new Float32Array([1, 0, 0, 1]), [1, 2, 2, 1], 1); // ≈ [−0.71, 0.71, 0, 0, 0, 0, 0.71, −0.71]
 */
export function centroidDirections(values: Float32Array, shape: readonly [number, number, number, number], cell: number): Float32Array {
  const [batch, height, width, channels] = shape;
  checkInteger('centroidDirections: argument "cell"', cell, 1);
  if (values.length !== batch * height * width * channels) {
    invalid('centroidDirections: argument "values"', `${values.length} values`, `${batch}·${height}·${width}·${channels} = ${batch * height * width * channels} (the shape)`);
  }
  const rows = Math.floor(height / cell);
  const columns = Math.floor(width / cell);
  const out = new Float32Array(batch * rows * columns * 2);
  const mass = new Float64Array(height * width);
  for (let b = 0; b < batch; b += 1) {
    let total = 0;
    let sumRow = 0;
    let sumColumn = 0;
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        let m = 0;
        const base = ((b * height + y) * width + x) * channels;
        for (let c = 0; c < channels; c += 1) m += Math.max(0, values[base + c]!);
        mass[y * width + x] = m;
        total += m;
        sumRow += m * y;
        sumColumn += m * x;
      }
    }
    if (total === 0) continue;
    const centreRow = sumRow / total;
    const centreColumn = sumColumn / total;
    for (let i = 0; i < rows; i += 1) {
      for (let j = 0; j < columns; j += 1) {
        let cellMass = 0;
        let cos = 0;
        let sin = 0;
        for (let y = i * cell; y < (i + 1) * cell; y += 1) {
          for (let x = j * cell; x < (j + 1) * cell; x += 1) {
            const m = mass[y * width + x]!;
            if (m === 0) continue;
            const dy = y - centreRow;
            const dx = x - centreColumn;
            const r = Math.hypot(dx, dy);
            cellMass += m;
            if (r === 0) continue;
            cos += (m * dx) / r;
            sin += (m * -dy) / r;
          }
        }
        if (cellMass === 0) continue;
        const k = ((b * rows + i) * columns + j) * 2;
        out[k] = cos / cellMass;
        out[k + 1] = sin / cellMass;
      }
    }
  }
  return out;
}
