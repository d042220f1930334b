import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { BatchNorm, sparseBottleneck } from '../src/index.js';
import { channelZeroFractions, errorMessage, linspace, normal, normalMatrix } from './helpers.js';

let probe: tf.Variable;
beforeAll(async () => {
  await tf.setBackend('cpu');
  probe = tf.variable(tf.scalar(1), true, 'bn_test_probe');
});

function columnStats(values: ArrayLike<number>, channels: number, c: number) {
  let sum = 0;
  let n = 0;
  for (let i = c; i < values.length; i += channels) {
    sum += values[i] as number;
    n++;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = c; i < values.length; i += channels) ss += ((values[i] as number) - mean) ** 2;
  return { mean, biased: ss / n, unbiased: ss / (n - 1) };
}

describe('BatchNorm', () => {
  it('training: normalises with batch statistics and updates running stats PyTorch-style (unbiased variance)', () => {
    const bn = new BatchNorm({ affine: false });
    const channels = 3;
    const data = normalMatrix(normal(1), 200, channels, [5, -2, 0]).map((v, i) => v * (i % 3 === 1 ? 4 : 1));
    const x = tf.tensor(data, [2, 10, 10, channels]);
    const y = bn.apply(x, { training: true }) as tf.Tensor;
    const out = y.dataSync();
    const [runningMean, runningVar] = bn.getWeights().map((w) => w.dataSync());
    for (let c = 0; c < channels; c++) {
      const s = columnStats(data, channels, c);
      const o = columnStats(out, channels, c);
      expect(Math.abs(o.mean)).toBeLessThan(1e-5);
      expect(o.biased).toBeCloseTo(s.biased / (s.biased + 1e-5), 4);
      expect(runningMean?.[c]).toBeCloseTo(0.1 * s.mean, 5);
      expect(runningVar?.[c]).toBeCloseTo(0.9 + 0.1 * s.unbiased, 4);
    }
    // inference uses the running statistics
    const z = bn.apply(x) as tf.Tensor;
    const expected = Array.from(data, (v, i) => {
      const c = i % channels;
      return (v - (runningMean?.[c] as number)) / Math.sqrt((runningVar?.[c] as number) + 1e-5);
    });
    Array.from(z.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 4));
    tf.dispose([x, y, z]);
  });

  it('affine: γ and β are trainable weights initialised to 1 and 0; non-affine has none', () => {
    const affine = new BatchNorm({ name: 'bn_a' });
    affine.apply(tf.zeros([4, 2]));
    expect(affine.trainableWeights.map((w) => w.name)).toEqual(['bn_a/gamma', 'bn_a/beta']);
    expect(affine.nonTrainableWeights.map((w) => w.name)).toEqual(['bn_a/running_mean', 'bn_a/running_var']);
    const plain = new BatchNorm({ affine: false });
    plain.apply(tf.zeros([4, 2]));
    expect(plain.trainableWeights).toHaveLength(0);
  });

  it('exists because tfjs batchNormalization without center/scale throws in training', () => {
    const tfjsBn = tf.layers.batchNormalization({ center: false, scale: false });
    expect(() => tfjsBn.apply(tf.ones([4, 2]), { training: true })).toThrow();
    const ours = new BatchNorm({ affine: false });
    expect(() => tf.dispose(ours.apply(tf.ones([4, 2]), { training: true }) as tf.Tensor)).not.toThrow();
  });

  it.each([true, false])('affine=%s: gradients w.r.t. x, γ and β match autodiff of the explicit formula', (affine) => {
    const bn = new BatchNorm({ affine });
    const shape = [4, 3, 5];
    const x = tf.tensor(normalMatrix(normal(2), 12, 5, [1, -2, 0, 3, 0.5]), shape);
    const weights = tf.tensor(normalMatrix(normal(3), 12, 5), shape);
    bn.apply(x); // build
    if (affine) bn.setWeights([tf.tensor1d([0.5, 2, -1, 1.5, 1]), tf.tensor1d([0.1, -0.3, 0, 2, 1]), ...bn.getWeights().slice(2)]);
    const explicitLoss = (input: tf.Tensor, gamma?: tf.Tensor, beta?: tf.Tensor) => {
      const flat = tf.reshape(input, [-1, 5]);
      const { mean, variance } = tf.moments(flat, 0);
      let normed = tf.div(tf.sub(flat, mean), tf.sqrt(tf.add(variance, 1e-5)));
      if (gamma !== undefined && beta !== undefined) normed = tf.add(tf.mul(normed, gamma), beta);
      return tf.sum(tf.mul(tf.reshape(normed, shape), weights));
    };
    const ours = tf.variableGrads(() => {
      const input = tf.mul(x, probe);
      return tf.sum(tf.mul(bn.apply(input, { training: true }) as tf.Tensor, weights)) as tf.Scalar;
    });
    const [gamma, beta] = bn.getWeights();
    const expected = affine
      ? tf.grads((input: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => explicitLoss(input, g, b))([x, gamma as tf.Tensor, beta as tf.Tensor])
      : tf.grads((input: tf.Tensor) => explicitLoss(input))([x]);
    const close = (a: tf.Tensor, b: tf.Tensor) => {
      const av = a.dataSync();
      const bv = b.dataSync();
      expect(av.length).toBe(bv.length);
      expect(Math.max(...Array.from(av, (v, i) => Math.abs(v - (bv[i] as number))))).toBeLessThan(1e-4);
      expect(Math.max(...Array.from(av, Math.abs))).toBeGreaterThan(1e-2);
    };
    // d/dprobe = Σ x·dL/dx (probe = 1), a scalar summary of dx
    const dxExplicit = tf.sum(tf.mul(expected[0] as tf.Tensor, x));
    expect(ours.grads[probe.name]?.dataSync()[0]).toBeCloseTo(dxExplicit.dataSync()[0] as number, 3);
    if (affine) {
      close(ours.grads[(bn.trainableWeights[0]?.read() as tf.Variable).name] as tf.Tensor, expected[1] as tf.Tensor);
      close(ours.grads[(bn.trainableWeights[1]?.read() as tf.Variable).name] as tf.Tensor, expected[2] as tf.Tensor);
    }
    const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(bn.apply(input, { training: true }) as tf.Tensor, weights)))(x);
    close(dx, expected[0] as tf.Tensor);
    tf.dispose([x, weights, ours.value, ...Object.values(ours.grads), ...expected, dxExplicit, dx]);
  });

  it('keeps the tensor count flat over repeated gradient steps', () => {
    const bn = new BatchNorm({ affine: false });
    const x = tf.randomNormal([50, 4]);
    const step = () => tf.dispose(tf.grad((input: tf.Tensor) => tf.sum(tf.square(bn.apply(input, { training: true }) as tf.Tensor)))(x));
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('rejects bad options', () => {
    expect(errorMessage(() => new BatchNorm({ momentum: 2 }))).toMatch(/BatchNorm: option "momentum".*received 2/);
    expect(errorMessage(() => new BatchNorm({ epsilon: -1 }))).toMatch(/BatchNorm: option "epsilon".*received -1/);
    expect(errorMessage(() => new BatchNorm({ affine: 'yes' as never }))).toMatch(/option "affine" must be a boolean; received "yes"/);
  });
});

describe('sparseBottleneck (BN → SpatialSparsity)', () => {
  it('hits sparsity 0.7 ± 0.03 per channel on shifted, scaled data (reference BN-wrapper test)', () => {
    for (const affine of [true, false]) {
      const b = sparseBottleneck({ sparsity: 0.7, affine });
      const channels = 16;
      const means = linspace(-3, 5, channels);
      const rng = normal(0);
      for (let i = 0; i < 100; i++) {
        tf.tidy(() => b.apply(tf.mul(tf.tensor(normalMatrix(rng, 8 * 8 * 8, channels, means), [8, 8, 8, channels]), 3), { training: true }));
      }
      const out = tf.tidy(() => b.apply(tf.mul(tf.tensor(normalMatrix(normal(99), 64 * 8 * 8, channels, means), [64, 8, 8, channels]), 3)));
      channelZeroFractions(out).forEach((f, c) => expect(Math.abs(f - 0.7), `affine=${affine} channel ${c}`).toBeLessThanOrEqual(0.03));
      out.dispose();
    }
  });
});
