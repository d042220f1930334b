/**
 * A bidirectional one-layer LSTM written with tfjs ops (PyTorch gate order i, f, g, o).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { type ParameterStore, uniform } from './parameter-store.js';

/** One direction's weights: `input_kernel` `[in, 4h]`, `recurrent_kernel` `[h, 4h]`, `bias` `[4h]`. */
class LstmDirection {
  readonly inputKernel: tf.Variable;
  readonly recurrentKernel: tf.Variable;
  readonly bias: tf.Variable;

  constructor(store: ParameterStore, name: string, inputs: number, readonly hidden: number) {
    const init = uniform(1 / Math.sqrt(hidden));
    this.inputKernel = store.variable(`${name}/input_kernel`, [inputs, 4 * hidden], init);
    this.recurrentKernel = store.variable(`${name}/recurrent_kernel`, [hidden, 4 * hidden], init);
    this.bias = store.variable(`${name}/bias`, [4 * hidden], init);
  }

  /** `steps`: per time step `[N, 4h]` input projections; returns hidden states in the given order. */
  run(steps: tf.Tensor2D[]): tf.Tensor2D[] {
    const n = steps[0]?.shape[0] ?? 0;
    let h = tf.zeros([n, this.hidden]) as tf.Tensor2D;
    let c = tf.zeros([n, this.hidden]) as tf.Tensor2D;
    const outputs: tf.Tensor2D[] = [];
    for (const step of steps) {
      const z = tf.add(tf.add(step, tf.matMul(h, this.recurrentKernel as tf.Tensor2D)), this.bias);
      const [i, f, g, o] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
      h = tf.mul(tf.sigmoid(o), tf.tanh(c));
      outputs.push(h);
    }
    return outputs;
  }
}

/**
 * Bidirectional LSTM over `[N, T, in]` giving `[N, T, 2·hidden]` (forward states, then
 * backward states). Parameters `<name>/{forward,backward}/{input_kernel,recurrent_kernel,bias}`,
 * all `U(±1/√hidden)`; one bias per direction (PyTorch's two biases add up to one).
 *
 * @example
 * new BidirectionalLstm(store, 'h/row_lstm', 64, 32).apply(tf.zeros([6, 12, 64])).shape; // [6, 12, 64]
 */
export class BidirectionalLstm {
  private readonly forward: LstmDirection;
  private readonly backward: LstmDirection;

  constructor(store: ParameterStore, name: string, readonly inputs: number, readonly hidden: number) {
    this.forward = new LstmDirection(store, `${name}/forward`, inputs, hidden);
    this.backward = new LstmDirection(store, `${name}/backward`, inputs, hidden);
  }

  /** Runs both directions over the time axis (axis 1). */
  apply(x: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      const [n, length] = x.shape;
      const flat = tf.reshape(x, [n * length, this.inputs]) as tf.Tensor2D;
      const project = (direction: LstmDirection): tf.Tensor2D[] =>
        tf.unstack(tf.reshape(tf.matMul(flat, direction.inputKernel as tf.Tensor2D), [n, length, 4 * this.hidden]), 1) as tf.Tensor2D[];
      const forward = this.forward.run(project(this.forward));
      const backward = this.backward.run(project(this.backward).reverse()).reverse();
      return tf.concat([tf.stack(forward, 1), tf.stack(backward, 1)], 2) as tf.Tensor3D;
    });
  }
}
