import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { SpatialSparsity } from '../src/index.js';
import { errorMessage } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('SpatialSparsity options', () => {
  it('has the documented defaults', () => {
    const layer = new SpatialSparsity();
    expect(layer.density).toBe(0.5);
    expect(layer.sparsity).toBe(0.5);
    expect(layer.mode).toBe('per-channel');
    expect(layer.momentum).toBe(0.1);
    expect(layer.accumulate).toBe(false);
    expect(layer.trainable).toBe(true);
  });

  it('stores sparsity exactly and derives density = 1 − sparsity', () => {
    const layer = new SpatialSparsity({ sparsity: 0.3 });
    expect(layer.sparsity).toBe(0.3);
    expect(layer.density).toBe(1 - 0.3);
    layer.density = 0.125;
    expect(layer.sparsity).toBe(0.875);
    expect(layer.density).toBe(0.125);
    layer.sparsity = 0.9999497737871397;
    expect(layer.density).toBe(5.0226212860327024e-5);
    // a density reads back as set; arithmetic uses sparsity = 1 − density
    layer.density = 0.2;
    expect([layer.density, layer.sparsity]).toEqual([0.2, 0.8]);
    expect(1 - layer.sparsity).toBe(0.19999999999999996);
    // consistent pair accepted
    expect(new SpatialSparsity({ density: 1 - 0.3, sparsity: 0.3 }).sparsity).toBe(0.3);
  });

  it.each([
    [{ density: 0 }, /option "density" must be a number with 0 < value <= 1; received 0\./],
    [{ density: 1.5 }, /option "density".*received 1\.5/],
    [{ density: Number.NaN }, /option "density".*received NaN/],
    [{ density: '0.5' as unknown as number }, /option "density".*received "0\.5"/],
    [{ sparsity: 1 }, /option "sparsity" must be a number with 0 <= sparsity < 1; received 1/],
    [{ density: 0.4, sparsity: 0.5 }, /option "density" must be 1 - sparsity \(0\.5\).*received 0\.4/],
    [{ mode: 'MT' as never }, /option "mode" must be 'per-channel' or 'global'; received "MT"/],
    [{ momentum: 1.1 }, /option "momentum" must be a number with 0 <= value <= 1; received 1\.1/],
    [{ momentum: -0.1 }, /option "momentum".*received -0\.1/],
    [{ accumulate: 0 }, /option "accumulate" must be false or a finite number > 0.*received 0/],
    [{ accumulate: true as never }, /option "accumulate".*received true/],
  ])('rejects %o with a message naming the option', (options, message) => {
    expect(errorMessage(() => new SpatialSparsity(options))).toMatch(message);
  });

  it('validates the density and sparsity setters', () => {
    const layer = new SpatialSparsity();
    expect(errorMessage(() => (layer.density = 0))).toMatch(/SpatialSparsity\.density must be .*received 0/);
    expect(errorMessage(() => (layer.sparsity = -0.1))).toMatch(/SpatialSparsity\.sparsity must be .*received -0\.1/);
    expect(layer.density).toBe(0.5);
  });

  it('rejects rank-1 inputs, wrong channel counts and non-float inputs', () => {
    const layer = new SpatialSparsity();
    expect(errorMessage(() => layer.apply(tf.zeros([5])))).toMatch(/input rank must be at least 2.*received 1/);
    layer.apply(tf.zeros([2, 3]));
    expect(errorMessage(() => layer.apply(tf.zeros([2, 4])))).toMatch(/channel \(last\) axis must be 3.*received 4/);
    expect(errorMessage(() => layer.apply(tf.zeros([2, 3], 'int32')))).toMatch(/dtype must be 'float32'; received "int32"/);
  });

  it('getThresholds/setThresholds need a built layer and the right length', () => {
    const layer = new SpatialSparsity({ name: 'sp' });
    expect(errorMessage(() => layer.getThresholds())).toMatch(/getThresholds: layer "sp" is not built yet/);
    layer.apply(tf.zeros([2, 3]));
    expect(errorMessage(() => layer.setThresholds([1, 2]))).toMatch(/values\.length must be 3; received 2/);
    layer.setThresholds([0.5, -1, 2]);
    expect(Array.from(layer.getThresholds())).toEqual([0.5, -1, 2]);
  });

  it('stores the thresholds as a non-trainable weight named thresholds', () => {
    const layer = new SpatialSparsity({ name: 'sp2' });
    layer.apply(tf.zeros([2, 4]));
    expect(layer.trainableWeights).toHaveLength(0);
    expect(layer.nonTrainableWeights).toHaveLength(1);
    expect(layer.nonTrainableWeights[0]?.name).toBe('sp2/thresholds');
    expect(layer.nonTrainableWeights[0]?.shape).toEqual([4]);
    const global = new SpatialSparsity({ mode: 'global' });
    global.apply(tf.zeros([2, 4]));
    expect(global.nonTrainableWeights[0]?.shape).toEqual([1]);
  });

  it('getConfig carries density, sparsity, mode, momentum and accumulate', () => {
    const layer = new SpatialSparsity({ density: 0.25, mode: 'global', momentum: 0.2, accumulate: 10, name: 'x' });
    const config = layer.getConfig();
    expect(config).toMatchObject({ density: 0.25, sparsity: 0.75, mode: 'global', momentum: 0.2, accumulate: 10, name: 'x' });
    const copy = SpatialSparsity.fromConfig(SpatialSparsity, config) as SpatialSparsity;
    expect([copy.sparsity, copy.mode, copy.momentum, copy.accumulate]).toEqual([0.75, 'global', 0.2, 10]);
    // sparsity is what is restored exactly, even where 1 − (1 − s) !== s
    const low = new SpatialSparsity({ sparsity: 0.3 });
    expect(1 - low.density).not.toBe(0.3);
    expect((SpatialSparsity.fromConfig(SpatialSparsity, low.getConfig()) as SpatialSparsity).sparsity).toBe(0.3);
  });
});

describe('SpatialSparsity gradients', () => {
  it('passes gradient 1 where x > t, 0 elsewhere, and none to the thresholds', () => {
    const layer = new SpatialSparsity({ density: 0.25, momentum: 1 });
    const x = tf.tensor2d([0.1, -0.5, 2.0, 0.3, 1.5, -1.0, 0.0, 0.7], [8, 1]);
    const dx = tf.grad((input: tf.Tensor) => tf.sum(layer.apply(input, { training: true }) as tf.Tensor))(x);
    expect(Array.from(dx.dataSync())).toEqual([0, 0, 1, 0, 1, 0, 0, 0]); // t = 0.7; 0.7 itself does not survive
    // All registered variables are candidates; only the trainable scale gets a gradient.
    const w = tf.variable(tf.scalar(1), true, 'scale_before_sparsity');
    for (const training of [true, false]) {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(layer.apply(tf.mul(x, w), { training }) as tf.Tensor) as tf.Scalar,
      );
      expect(Object.keys(grads)).toEqual(['scale_before_sparsity']);
      // d/dw Σ relu(w·x − t) = Σ_{x > t} x = 2.0 + 1.5
      expect(grads['scale_before_sparsity']?.dataSync()[0]).toBeCloseTo(3.5, 6);
      tf.dispose([value, ...Object.values(grads)]);
    }
    w.dispose();
    tf.dispose([x, dx]);
  });
});
