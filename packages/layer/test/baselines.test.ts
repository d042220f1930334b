import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  BatchNorm,
  bottleneck,
  channelDensities,
  KL_DEFAULT_TARGET_DENSITY,
  klAuxLoss,
  l1AuxLoss,
  measuredDensity,
  ShiftedReLU,
  SpatialSparsity,
} from '../src/index.js';
import { errorMessage, normal, normalMatrix } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const scalar = (t: tf.Tensor) => {
  const v = t.dataSync()[0] as number;
  t.dispose();
  return v;
};

describe('auxiliary losses', () => {
  it('l1AuxLoss = λ·mean(|a|) over every element', () => {
    expect(scalar(l1AuxLoss(tf.tensor([0, 2, 0, 4]), 0.1))).toBeCloseTo(0.15, 7);
    expect(scalar(l1AuxLoss(tf.tensor([[-1, 1], [3, -3]]), 2))).toBeCloseTo(4, 6);
  });

  it('klAuxLoss = λ·[p ln(p/p̂) + (1−p) ln((1−p)/(1−p̂))], p̂ = mean over the whole tensor', () => {
    const s = tf.tensor([[0.1, 0.3], [0.2, 0.4]]); // p̂ = 0.25
    const p = KL_DEFAULT_TARGET_DENSITY;
    const expected = 10 * (p * Math.log(p / 0.25) + (1 - p) * Math.log((1 - p) / 0.75));
    expect(scalar(klAuxLoss(s, 10))).toBeCloseTo(expected, 4);
    expect(scalar(klAuxLoss(s, 1, 0.25))).toBeCloseTo(0, 6);
    expect(scalar(klAuxLoss(tf.fill([4, 2], 0.5), 1, 0.5))).toBe(0);
    expect(errorMessage(() => klAuxLoss(s, 1, 0))).toMatch(/klAuxLoss: argument "targetDensity" must be a number with 0 < p < 1; received 0/);
    expect(errorMessage(() => l1AuxLoss(s, Number.NaN))).toMatch(/l1AuxLoss: argument "weight" must be a finite number; received NaN/);
    s.dispose();
  });
});

describe('ShiftedReLU', () => {
  it('is ReLU(x − 0.5) by default', () => {
    const y = new ShiftedReLU().apply(tf.tensor([0.2, 0.5, 0.9, 1])) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([0, 0, Math.fround(Math.fround(0.9) - 0.5), 0.5]);
  });
});

describe('bottleneck factory', () => {
  const x = () => tf.tensor(normalMatrix(normal(5), 2 * 4 * 4, 3), [2, 4, 4, 3]);

  it("'sparling': BatchNorm then SpatialSparsity, activations = output, aux loss 0", () => {
    const b = bottleneck('sparling', { density: 0.2, mode: 'global', affine: false, name: 'm' });
    expect(b.layers.map((l) => l.name)).toEqual(['m_bn', 'm_sparsity']);
    expect(b.layers[0]).toBeInstanceOf(BatchNorm);
    expect((b.batchNormLayer as BatchNorm).affine).toBe(false);
    expect(b.sparsityLayer).toBeInstanceOf(SpatialSparsity);
    expect([b.sparsityLayer?.density, b.sparsityLayer?.mode]).toEqual([0.2, 'global']);
    expect(b.density).toBe(0.2);
    b.density = 0.1;
    expect(b.sparsityLayer?.density).toBe(0.1);
    b.sparsity = 0.95;
    expect([b.sparsityLayer?.sparsity, b.sparsity]).toEqual([0.95, 0.95]);
    const input = x();
    const { output, activations } = b.applyWithActivations(input, { training: true });
    expect(activations).toBe(output);
    expect(scalar(b.auxLoss(activations))).toBe(0);
    tf.dispose([input, output]);
  });

  it("'sparling' with batchNorm: false is the no-BN ablation", () => {
    const b = bottleneck('sparling', { batchNorm: false });
    expect(b.layers).toHaveLength(1);
    expect(b.batchNormLayer).toBeNull();
  });

  it("'l1': affine BN → ReLU; aux loss λ·mean(|ReLU(BN(z))|)", () => {
    const b = bottleneck('l1', { weight: 2 });
    const input = x();
    const { output, activations } = b.applyWithActivations(input, { training: true });
    expect(activations).toBe(output);
    const normalised = tf.tidy(() => {
      const { mean, variance } = tf.moments(input, [0, 1, 2]);
      return tf.div(tf.sub(input, mean), tf.sqrt(tf.add(variance, 1e-5)));
    });
    const expected = Array.from(normalised.dataSync(), (v) => Math.max(v, 0));
    Array.from(output.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
    const mean = expected.reduce((a, v) => a + v, 0) / expected.length;
    expect(scalar(b.auxLoss(activations))).toBeCloseTo(2 * mean, 5);
    expect(measuredDensity(output)).toBe(expected.filter((v) => v > 0).length / expected.length);
    tf.dispose([input, output, normalised]);
  });

  it("'kl': affine BN → sigmoid (activations) → ReLU(sigmoid − 0.5) (output)", () => {
    const b = bottleneck('kl', { weight: 0.5, targetDensity: 0.01 });
    expect(b.layers).toHaveLength(3);
    const input = x();
    const { output, activations } = b.applyWithActivations(input, { training: true });
    const sig = Array.from(activations.dataSync());
    expect(sig.every((v) => v > 0 && v < 1)).toBe(true);
    expect(Array.from(output.dataSync())).toEqual(sig.map((v) => Math.max(0, Math.fround(v - 0.5))));
    // density = fraction of sigmoid > 0.5 = nonzero fraction of the gated output
    expect(measuredDensity(activations, { above: 0.5 })).toBe(measuredDensity(output));
    const pHat = sig.reduce((a, v) => a + v, 0) / sig.length;
    const kl = 0.01 * Math.log(0.01 / pHat) + 0.99 * Math.log(0.99 / (1 - pHat));
    expect(scalar(b.auxLoss(activations))).toBeCloseTo(0.5 * kl, 4);
    tf.dispose([input, output, activations]);
  });

  it("'none' is the identity", () => {
    const b = bottleneck('none');
    const input = x();
    expect(b.apply(input)).toBe(input);
    expect(b.density).toBeNull();
    expect(b.sparsity).toBeNull();
    expect(errorMessage(() => (b.density = 0.5))).toMatch(/Bottleneck.density: a 'none' bottleneck has no sparsity layer; received 0.5/);
    expect(errorMessage(() => (b.sparsity = 0.5))).toMatch(/Bottleneck.sparsity: a 'none' bottleneck/);
    const sym = tf.input({ shape: [3] });
    expect(b.apply(sym)).toBe(sym);
    input.dispose();
  });

  it('builds functional models with two outputs for the aux loss, and the L1 loss trains through minimize', () => {
    const b = bottleneck('l1', { weight: 1 });
    const z = tf.input({ shape: [4, 4, 3] });
    const { output, activations } = b.applyWithActivations(z);
    expect(activations).toBe(output);
    const scale = tf.variable(tf.scalar(1));
    const input = x();
    const optimizer = tf.train.sgd(0.1);
    const before = scalar(tf.tidy(() => b.auxLoss(b.apply(input, { training: true }))));
    for (let i = 0; i < 20; i++) {
      optimizer.minimize(() => b.auxLoss(b.apply(tf.mul(input, scale), { training: true })));
    }
    const after = scalar(tf.tidy(() => b.auxLoss(b.apply(input, { training: true }))));
    expect(after).toBeLessThan(before); // γ/β moved to shrink |activations|
    tf.dispose([scale, input]);
    optimizer.dispose();
  });

  it('rejects bad kinds and options naming them', () => {
    expect(errorMessage(() => bottleneck('relu' as never))).toMatch(/bottleneck: argument "kind" must be one of 'sparling', 'l1', 'kl', 'none'; received "relu"/);
    expect(errorMessage(() => bottleneck('l1'))).toMatch(/bottleneck\('l1'\): option "weight" must be a finite number; received undefined/);
    expect(errorMessage(() => bottleneck('kl', { weight: 1, targetDensity: 2 }))).toMatch(/option "targetDensity".*received 2/);
    expect(errorMessage(() => bottleneck('l1', { weight: 1, batchNorm: false }))).toMatch(/option "batchNorm" must be true \(only 'sparling'/);
    expect(errorMessage(() => bottleneck('sparling', { density: 2 }))).toMatch(/SpatialSparsity: option "density".*received 2/);
  });
});

describe('measured density', () => {
  it('counts nonzeros (or values above a threshold), overall and per channel', () => {
    expect(measuredDensity(tf.tensor([0, 1.5, 0, 0]))).toBe(0.25);
    expect(measuredDensity([0, -1, 0, 2])).toBe(0.5);
    expect(measuredDensity(tf.tensor([0.2, 0.7]), { above: 0.5 })).toBe(0.5);
    expect(measuredDensity([])).toBeNaN();
    expect(Array.from(channelDensities(tf.tensor2d([[0, 1], [2, 3]])))).toEqual([0.5, 1]);
    expect(Array.from(channelDensities(tf.tensor3d([[[0.6, 0.1]], [[0.7, 0.9]]]), { above: 0.5 }))).toEqual([1, 0.5]);
    expect(errorMessage(() => measuredDensity(tf.tensor([1]), { above: Number.NaN }))).toMatch(/option "above" must be a finite number; received NaN/);
  });
});
