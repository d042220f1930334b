/**
 * A fully connected layer over the last axis.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { type Initializer, type ParameterStore, uniform } from './parameter-store.js';

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Kernel initialiser; default PyTorch's `U(±1/√in)`. */
  readonly kernelInit?: Initializer;
  /** Bias initialiser; default PyTorch's `U(±1/√in)`. */
  readonly biasInit?: Initializer;
}

/**
 * `y = x·W + b` over the last axis of any rank ≥ 2 input. Parameters `<name>/kernel`
 * `[in, out]` and `<name>/bias` `[out]`.
 *
 * @example
 * const dense = new Linear(store, 'h/output', 64, 12);
 * dense.apply(tf.zeros([2, 5, 64])).shape; // [2, 5, 12]
 */
export class Linear {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;

  constructor(store: ParameterStore, name: string, readonly inFeatures: number, readonly outFeatures: number, options: LinearOptions = {}) {
    const bound = 1 / Math.sqrt(inFeatures);
    this.kernel = store.variable(`${name}/kernel`, [inFeatures, outFeatures], options.kernelInit ?? uniform(bound));
    this.bias = store.variable(`${name}/bias`, [outFeatures], options.biasInit ?? uniform(bound));
  }

  /** Applies the layer to `[..., in]`, giving `[..., out]`. */
  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const flat = tf.reshape(x, [-1, this.inFeatures]) as tf.Tensor2D;
      const y = tf.add(tf.matMul(flat, this.kernel as tf.Tensor2D), this.bias);
      return tf.reshape(y, [...x.shape.slice(0, -1), this.outFeatures]);
    });
  }
}
