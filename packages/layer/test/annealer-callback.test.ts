import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { type AnnealerValidationEvent, annealerCallback, DensityAnnealer, sparseBottleneck, type SpatialSparsity } from '../src/index.js';
import { errorMessage } from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Toy task: is the sum of a 4×4 input positive? conv → SPARLING bottleneck → dense. */
function toy() {
  const input = tf.input({ shape: [4, 4, 1] });
  const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) });
  const b = sparseBottleneck();
  const flat = tf.layers.flatten().apply(b.apply(conv.apply(input) as tf.SymbolicTensor)) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 8 }) }).apply(flat) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const data = tf.tidy(() => {
    const xs = tf.randomNormal([95, 4, 4, 1], 0, 1, 'float32', 9);
    return { xs, ys: tf.oneHot(tf.cast(tf.greater(tf.sum(xs, [1, 2, 3]), 0), 'int32'), 2) };
  });
  return { model, layer: b.sparsityLayer as SpatialSparsity, ...data };
}

describe('annealerCallback with model.fit', () => {
  it('counts samples from logs.size (incl. the short last batch), validates every M samples and sets the layer density', async () => {
    const { model, layer, xs, ys } = toy();
    const annealer = new DensityAnnealer({ initialTarget: 0, targetDecreasePerSample: 0 });
    const accuracies = [0.5, 0.4, 0.6, 0.7, 0.7, 0.8];
    const events: AnnealerValidationEvent[] = [];
    const densitiesSeen: number[] = [];
    const densityDuringValidation: number[] = [];
    const callback = annealerCallback({
      annealer,
      every: 40,
      layers: [layer],
      validate: async () => {
        densityDuringValidation.push(layer.density);
        // the model is usable here (inference mode)
        tf.dispose(model.predict(tf.zeros([1, 4, 4, 1])) as tf.Tensor);
        return accuracies[events.length] ?? 0;
      },
      onValidation: (event) => {
        events.push(event);
        densitiesSeen.push(layer.density); // still the old density: snapshot point
      },
      onDensity: (density) => densitiesSeen.push(-density),
    });
    // 95 samples, batch 10 → 9 batches of 10 + one of 5 per epoch; 2 epochs = 190 samples
    await model.fit(xs, ys, { batchSize: 10, epochs: 2, shuffle: false, verbose: 0, callbacks: [callback] });
    expect(callback.samplesSeen).toBe(190);
    // 10, 20, …, 90, 95 (short batch), 105, …: validation when ≥ 40 samples since the last one
    expect(events.map((e) => e.samples)).toEqual([40, 80, 125, 165]);
    expect(events.map((e) => e.accuracy)).toEqual([0.5, 0.4, 0.6, 0.7]);
    expect(events.map((e) => e.reduced)).toEqual([true, false, true, true]);
    expect(events.map((e) => e.previousDensity)).toEqual([0.5, 0.375, 0.375, 0.28125]);
    expect(annealer.density).toBe(0.5 * 0.75 ** 3);
    expect(layer.sparsity).toBe(annealer.sparsity);
    expect(densityDuringValidation).toEqual([0.5, 0.375, 0.375, 0.28125]);
    expect(densitiesSeen).toEqual([0.5, -0.375, 0.375, 0.375, -0.28125, 0.28125, -0.2109375]);
    tf.dispose([xs, ys]);
  });

  it('stops training below stopBelowDensity, like done_at_density', async () => {
    const { model, layer, xs, ys } = toy();
    const annealer = new DensityAnnealer({ initialTarget: 0, targetDecreasePerSample: 0, densityMultiplier: 0.5 });
    let calls = 0;
    const callback = annealerCallback({
      annealer,
      every: 10,
      layers: [layer],
      stopBelowDensity: 0.1,
      validate: () => 0.1 * ++calls,
    });
    await model.fit(xs, ys, { batchSize: 10, epochs: 3, verbose: 0, callbacks: [callback] });
    expect(annealer.density).toBe(0.0625); // 0.5 → 0.25 → 0.125 → 0.0625 < 0.1: stop
    expect(calls).toBe(3);
    expect(callback.samplesSeen).toBe(30);
    expect(layer.density).toBe(0.0625);
    tf.dispose([xs, ys]);
  });

  it('rejects bad options naming them', () => {
    const annealer = new DensityAnnealer();
    expect(errorMessage(() => annealerCallback({ annealer, every: 0, validate: () => 1 }))).toMatch(/option "every" must be a number of samples > 0; received 0/);
    expect(errorMessage(() => annealerCallback({ annealer, every: 10, validate: 1 as never }))).toMatch(/option "validate" must be a function/);
    expect(errorMessage(() => annealerCallback({ annealer: {} as never, every: 10, validate: () => 1 }))).toMatch(/option "annealer" must be a DensityAnnealer/);
  });
});
