import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { BatchNorm, sparseBottleneck, SpatialSparsity } from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** x [B, 6, 6, 1] → conv 3×3 → [B, 6, 6, 4] motifs → BN → sparsity → flatten → dense(2). */
function toyModel(seed: number) {
  const input = tf.input({ shape: [6, 6, 1] });
  const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed }) });
  const bottleneck = sparseBottleneck({ density: 0.25 });
  const motifs = bottleneck.apply(conv.apply(input) as tf.SymbolicTensor);
  const flat = tf.layers.flatten().apply(motifs) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }).apply(flat) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: logits });
  return { model, bottleneck, sparsity: bottleneck.sparsityLayer as SpatialSparsity, batchNorm: bottleneck.batchNormLayer as BatchNorm };
}

function toyData(n: number, seed: number) {
  return tf.tidy(() => {
    const xs = tf.randomNormal([n, 6, 6, 1], 0, 1, 'float32', seed);
    const labels = tf.cast(tf.greater(tf.sum(xs, [1, 2, 3]), 0), 'int32');
    return { xs, ys: tf.oneHot(labels, 2) };
  });
}

describe('training paths', () => {
  it('model.fit updates thresholds and BN running stats; predict (inference) leaves them alone', async () => {
    const { model, sparsity, batchNorm } = toyModel(1);
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const { xs, ys } = toyData(40, 2);
    expect(Array.from(sparsity.getThresholds())).toEqual([0, 0, 0, 0]);
    await model.fit(xs, ys, { batchSize: 10, epochs: 1, shuffle: false, verbose: 0 });
    const t = sparsity.getThresholds();
    expect(t.every((v) => v > 0)).toBe(true); // density 0.25 of ~N(0,1) after BN → t heads to Φ⁻¹(0.75) > 0
    const runningMean = batchNorm.getWeights()[2]?.dataSync();
    expect(Array.from(runningMean ?? []).some((v) => v !== 0)).toBe(true);
    const weightsBefore = model.getWeights().map((w) => Array.from(w.dataSync()));
    tf.dispose(model.predict(xs) as tf.Tensor);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(weightsBefore);
    tf.dispose([xs, ys]);
  });

  it('optimizer.minimize with model.apply(x, { training: true }) trains through the layer and updates thresholds', () => {
    const { model, sparsity } = toyModel(3);
    const optimizer = tf.train.adam(0.01);
    const { xs, ys } = toyData(20, 4);
    const kernel = model.trainableWeights[0]?.read() as tf.Tensor;
    const kernelBefore = Array.from(kernel.dataSync());
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) {
      const loss = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar,
        true,
      );
      losses.push((loss as tf.Scalar).dataSync()[0] as number);
      loss?.dispose();
    }
    expect(Array.from(sparsity.getThresholds()).every((v) => v > 0)).toBe(true);
    expect(Array.from((model.trainableWeights[0]?.read() as tf.Tensor).dataSync())).not.toEqual(kernelBefore);
    expect(losses[29]).toBeLessThan(losses[0] as number);
    tf.dispose([xs, ys]);
    optimizer.dispose();
  });

  it('works when the layer itself is applied with { training: true } inside optimizer.minimize', () => {
    const layer = new SpatialSparsity({ density: 0.5 });
    const w = tf.variable(tf.randomNormal([4, 3], 0, 1, 'float32', 11), true, 'direct_w');
    const x = tf.randomNormal([64, 4], 0, 1, 'float32', 12);
    const target = tf.randomUniform([64, 3], 0, 1, 'float32', 13);
    const optimizer = tf.train.sgd(0.05);
    const step = () =>
      optimizer.minimize(() => {
        const y = layer.apply(tf.matMul(x, w), { training: true }) as tf.Tensor;
        return tf.losses.meanSquaredError(target, y) as tf.Scalar;
      }, true);
    const first = step() as tf.Scalar;
    const firstLoss = first.dataSync()[0] as number;
    first.dispose();
    const before = tf.memory().numTensors;
    const wBefore = Array.from(w.dataSync());
    for (let i = 0; i < 100; i++) step()?.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(w.dataSync())).not.toEqual(wBefore);
    expect(Array.from(layer.getThresholds()).every((t) => t !== 0)).toBe(true);
    const last = step() as tf.Scalar;
    expect(last.dataSync()[0]).toBeLessThan(firstLoss);
    tf.dispose([last, w, x, target]);
    optimizer.dispose();
  });

  it('keeps tf.memory().numTensors flat over 100 training steps (fit, trainOnBatch and minimize)', async () => {
    const { model } = toyModel(5);
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
    const { xs, ys } = toyData(10, 6);
    const optimizer = tf.train.sgd(0.01);
    const step = () =>
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar);
    // warm up: builds layers, optimizer slots, caches
    await model.trainOnBatch(xs, ys);
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) await model.trainOnBatch(xs, ys);
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < 100; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    await model.fit(xs, ys, { batchSize: 5, epochs: 2, verbose: 0 });
    const afterFit = tf.memory().numTensors;
    await model.fit(xs, ys, { batchSize: 5, epochs: 50, verbose: 0 }); // 100 steps
    expect(tf.memory().numTensors).toBe(afterFit);
    tf.dispose([xs, ys]);
    optimizer.dispose();
  });

  it('accumulating layers also keep the tensor count flat', () => {
    const layer = new SpatialSparsity({ density: 0.1, accumulate: 10 });
    const x = tf.randomNormal([20, 3]);
    tf.dispose(layer.apply(x, { training: true }) as tf.Tensor);
    // The layer keeps each buffered batch (20 rows) as a tensor until its update.
    const live = () => tf.memory().numTensors - layer.bufferedRows / 20;
    const before = live();
    for (let i = 0; i < 100; i++) tf.dispose(layer.apply(x, { training: true }) as tf.Tensor);
    expect(live()).toBe(before);
    x.dispose();
  });
});
