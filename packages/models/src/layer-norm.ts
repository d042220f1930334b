/**
 * Layer normalisation over the last axis (PyTorch `nn.LayerNorm`).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { constant, type ParameterStore } from './parameter-store.js';

/**
 * `γ·(x − μ)/√(σ² + ε) + β` over the last axis with the biased variance, ε = 1e-5.
 * Parameters `<name>/gamma` (ones) and `<name>/beta` (zeros).
 *
 * @example
 * new LayerNorm(store, 'h/encoder/layer0/norm1', 64).apply(x);
 */
export class LayerNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;

  constructor(store: ParameterStore, name: string, features: number, readonly epsilon = 1e-5) {
    this.gamma = store.variable(`${name}/gamma`, [features], constant(1));
    this.beta = store.variable(`${name}/beta`, [features], constant(0));
  }

  /** Normalises `[..., features]`. */
  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, -1, true);
      const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
      return tf.add(tf.mul(normed, this.gamma), this.beta);
    });
  }
}
