/**
 * Multi-head scaled dot-product attention (PyTorch `nn.MultiheadAttention`) and its masks.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { dropout, type DropoutSeeds } from './dropout.js';
import { invalid } from './internal/errors.js';
import { Linear } from './linear.js';
import { constant, type ParameterStore, uniform } from './parameter-store.js';

/** The additive value that masks a logit out. */
export const MASKED = -1e9;

/**
 * Additive causal mask `[1, 1, T, T]`: 0 where key ≤ query, {@link MASKED} after.
 *
 * @example
 * causalMask(3); // [[0, -1e9, -1e9], [0, 0, -1e9], [0, 0, 0]]
 */
export function causalMask(length: number): tf.Tensor4D {
  return tf.tidy(() => {
    const lower = tf.linalg.bandPart(tf.ones([length, length]), -1, 0);
    return tf.reshape(tf.mul(tf.sub(1, lower), MASKED), [1, 1, length, length]) as tf.Tensor4D;
  });
}

/**
 * Additive key padding mask `[B, 1, 1, T]` from `padding[b][t]` (true = padding key).
 *
 * @example
 * keyPaddingMask([[false, true]]); // [[[[0, -1e9]]]]
 */
export function keyPaddingMask(padding: readonly (readonly boolean[])[]): tf.Tensor4D {
  const batch = padding.length;
  const length = padding[0]?.length ?? 0;
  const values = new Float32Array(batch * length);
  padding.forEach((row, b) => {
    if (row.length !== length) invalid(`keyPaddingMask: length of row ${b}`, row.length, `${length} like row 0`);
    row.forEach((pad, t) => {
      if (pad) values[b * length + t] = MASKED;
    });
  });
  return tf.tensor4d(values, [batch, 1, 1, length]);
}

/**
 * Multi-head attention with a fused input projection (`<name>/in_proj`, `[d, 3d]`, Xavier
 * uniform, zero bias) and an output projection (`<name>/out_proj`, zero bias), as PyTorch
 * initialises them. Attention weights get dropout in training, seeded from `seeds` if given
 * (see {@link dropout}).
 *
 * @example
 * const attention = new MultiHeadAttention(store, 'h/encoder/layer0/self_attention', 64, 4, 0.1);
 * attention.apply(x, x, { mask: causalMask(5), training: true, seeds }); // x: [B, 5, 64]
 */
export class MultiHeadAttention {
  readonly inProjection: Linear;
  readonly outProjection: Linear;
  readonly headDim: number;

  constructor(store: ParameterStore, name: string, readonly dim: number, readonly heads: number, readonly dropout: number) {
    if (!Number.isInteger(heads) || heads < 1 || dim % heads !== 0) {
      invalid(`MultiHeadAttention "${name}": argument "heads"`, heads, `a positive divisor of the width ${dim}`);
    }
    this.headDim = dim / heads;
    this.inProjection = new Linear(store, `${name}/in_proj`, dim, 3 * dim, {
      kernelInit: uniform(Math.sqrt(6 / (dim + 3 * dim))),
      biasInit: constant(0),
    });
    this.outProjection = new Linear(store, `${name}/out_proj`, dim, dim, { biasInit: constant(0) });
  }

  /**
   * Attends from `query` `[B, Tq, d]` to `memory` `[B, Tk, d]` (pass the same tensor for
   * self-attention). `mask` is additive and broadcasts to `[B, heads, Tq, Tk]`.
   */
  apply(query: tf.Tensor, memory: tf.Tensor, options: { mask?: tf.Tensor; training?: boolean; seeds?: DropoutSeeds } = {}): tf.Tensor3D {
    return tf.tidy(() => {
      const d = this.dim;
      const kernel = this.inProjection.kernel;
      const bias = this.inProjection.bias;
      const project = (x: tf.Tensor, from: number, width: number): tf.Tensor => {
        const [batch, length] = x.shape as [number, number, number];
        const w = tf.slice(kernel, [0, from], [d, width]) as tf.Tensor2D;
        const b = tf.slice(bias, [from], [width]);
        return tf.reshape(tf.add(tf.matMul(tf.reshape(x, [-1, d]) as tf.Tensor2D, w), b), [batch, length, width]);
      };
      let q: tf.Tensor;
      let k: tf.Tensor;
      let v: tf.Tensor;
      if (query === memory) {
        [q, k, v] = tf.split(project(query, 0, 3 * d), 3, 2) as [tf.Tensor, tf.Tensor, tf.Tensor];
      } else {
        q = project(query, 0, d);
        [k, v] = tf.split(project(memory, d, 2 * d), 2, 2) as [tf.Tensor, tf.Tensor];
      }
      const scores = tf.div(tf.matMul(this.heads4d(q), this.heads4d(k), false, true), Math.sqrt(this.headDim));
      const masked = options.mask === undefined ? scores : tf.add(scores, options.mask);
      const weights = dropout(tf.softmax(masked), this.dropout, options.training === true, options.seeds);
      const context = tf.matMul(weights as tf.Tensor4D, this.heads4d(v));
      const [batch, tq] = query.shape as [number, number, number];
      const merged = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [batch, tq, d]);
      return this.outProjection.apply(merged) as tf.Tensor3D;
    });
  }

  /** `[B, T, d]` → `[B, heads, T, d/heads]`. */
  private heads4d(x: tf.Tensor): tf.Tensor4D {
    const [batch, length] = x.shape as [number, number, number];
    return tf.transpose(tf.reshape(x, [batch, length, this.heads, this.headDim]), [0, 2, 1, 3]) as tf.Tensor4D;
  }
}
