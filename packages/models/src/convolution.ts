/**
 * A 2-D convolution with 'same' padding, stride 1 and a bias (channels last).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { type ParameterStore, uniform } from './parameter-store.js';

/**
 * `conv2d(x, kernel, 1, 'same') + bias` with a `[kh, kw, in, out]` kernel; PyTorch's default
 * initialisation `U(±1/√(in·kh·kw))` for both. A 1-D convolution is a `[1, k]` kernel on
 * `[B, 1, L, C]`. Parameters `<name>/kernel`, `<name>/bias`.
 *
 * @example
 * new Convolution(store, 'g/conv_in', [1, 1], 1, 16).apply(tf.zeros([2, 48, 48, 1])).shape; // [2, 48, 48, 16]
 */
export class Convolution {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;

  constructor(store: ParameterStore, name: string, size: readonly [number, number], inputs: number, outputs: number) {
    const bound = 1 / Math.sqrt(inputs * size[0] * size[1]);
    this.kernel = store.variable(`${name}/kernel`, [size[0], size[1], inputs, outputs], uniform(bound));
    this.bias = store.variable(`${name}/bias`, [outputs], uniform(bound));
  }

  /** Convolves `[B, H, W, in]` to `[B, H, W, out]`. */
  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => tf.add(tf.conv2d(x, this.kernel as tf.Tensor4D, 1, 'same'), this.bias) as tf.Tensor4D);
  }
}
