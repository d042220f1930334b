import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { bottleneck, type BottleneckKind, SpatialSparsity } from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (saved === undefined) throw new Error('nothing saved');
  // through JSON text, as a file would be
  const topology = JSON.parse(JSON.stringify(saved.modelTopology)) as object;
  return tf.loadLayersModel(tf.io.fromMemory({ ...saved, modelTopology: topology }));
}

function sparsityLayers(model: tf.LayersModel): SpatialSparsity[] {
  return model.layers.filter((l): l is SpatialSparsity => l instanceof SpatialSparsity);
}

describe('save / load', () => {
  it('restores thresholds, density (exact sparsity), mode, momentum, accumulate and outputs exactly', async () => {
    const input = tf.input({ shape: [5, 5, 3] });
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) });
    const b = bottleneck('sparling', { density: 0.5, momentum: 0.2, accumulate: 3, affine: false, name: 'motifs' });
    const output = b.apply(conv.apply(input) as tf.SymbolicTensor);
    const model = tf.model({ inputs: input, outputs: output });
    const x = tf.randomNormal([6, 5, 5, 3], 0, 1, 'float32', 2);
    for (let i = 0; i < 5; i++) tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
    const layer = b.sparsityLayer as SpatialSparsity;
    layer.sparsity = 1 - (1 - layer.sparsity) * 0.75 ** 3; // a non-default, non-round value
    const thresholds = layer.getThresholds();
    expect(thresholds.some((t) => t !== 0)).toBe(true);

    const restored = await roundTrip(model);
    const [copy] = sparsityLayers(restored);
    expect(copy).toBeDefined();
    if (copy === undefined) return;
    expect(copy.name).toBe('motifs_sparsity');
    expect(copy.getThresholds()).toEqual(thresholds);
    expect(copy.sparsity).toBe(layer.sparsity);
    expect(copy.density).toBe(layer.density);
    expect([copy.mode, copy.momentum, copy.accumulate]).toEqual(['per-channel', 0.2, 3]);
    const before = model.predict(x) as tf.Tensor;
    const after = restored.predict(x) as tf.Tensor;
    expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
    expect(before.dataSync().some((v) => v > 0)).toBe(true);
    tf.dispose([x, before, after]);
  });

  it('saves the layer as class_name SpatialSparsity with its options in the config', () => {
    const input = tf.input({ shape: [4, 2] });
    const model = tf.model({ inputs: input, outputs: new SpatialSparsity({ mode: 'global' }).apply(input) as tf.SymbolicTensor });
    const json = JSON.stringify(model.toJSON(null, false));
    expect(json).toMatch(/"class_name":"SpatialSparsity","config":\{[^}]*"density":0.5,"sparsity":0.5,"mode":"global","momentum":0.1,"accumulate":false\}/);
  });

  it.each(['l1', 'kl', 'none'] as BottleneckKind[])('round-trips a %s bottleneck model with identical outputs', async (kind) => {
    const input = tf.input({ shape: [3, 3, 2] });
    const conv = tf.layers.conv2d({ filters: 2, kernelSize: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) });
    const b = bottleneck(kind, { weight: 0.1 });
    const model = tf.model({ inputs: input, outputs: b.apply(conv.apply(input) as tf.SymbolicTensor) });
    const x = tf.randomNormal([4, 3, 3, 2], 0, 1, 'float32', 4);
    tf.dispose(model.apply(x, { training: true }) as tf.Tensor); // move BN running stats
    const restored = await roundTrip(model);
    const before = model.predict(x) as tf.Tensor;
    const after = restored.predict(x) as tf.Tensor;
    expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
    tf.dispose([x, before, after]);
  });
});
