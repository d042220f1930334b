// The layer on the webgpu backend (a GPU, or SwiftShader without one) against the cpu backend:
// the thresholds, outputs and input gradients must be bit for bit the same, with no synchronous
// read anywhere in a training step (webgpu's dataSync() throws in Node).
import * as tf from '@tensorflow/tfjs';
import { initBackend, useSwiftShaderWithoutGpu } from '@sparling/backend';
import { afterAll, describe, expect, it } from 'vitest';

import { SpatialSparsity, type SpatialSparsityOptions } from '../src/index.js';
import { webgpuForTests } from '../../../test-support/webgpu.js';
import { normal, normalMatrix } from './helpers.js';

const gpu = await webgpuForTests(useSwiftShaderWithoutGpu);

interface Trace {
  thresholds: Float32Array[];
  outputs: Float32Array[];
  gradients: Float32Array[];
}

/** Trains a fresh layer on `batches` batches of N(0, 1) data and records every step. */
async function trace(backend: 'cpu' | 'webgpu', options: SpatialSparsityOptions, shape: number[], batches: number): Promise<Trace> {
  await initBackend({ backend });
  const rng = normal(7);
  const channels = shape[shape.length - 1] as number;
  const rows = shape.reduce((a, b) => a * b, 1) / channels;
  const layer = new SpatialSparsity(options);
  const result: Trace = { thresholds: [], outputs: [], gradients: [] };
  for (let i = 0; i < batches; i++) {
    const x = tf.tensor(normalMatrix(rng, rows, channels), shape);
    // A position-dependent upstream gradient, so a wrong mask cannot hide; no reduction, so
    // the two backends' summation orders cannot differ.
    const dy = tf.range(0, x.size, 1, 'float32').reshape(x.shape);
    const { value, grads } = tf.valueAndGrads((input: tf.Tensor) => layer.apply(input, { training: true }) as tf.Tensor)([x], dy);
    result.outputs.push(Float32Array.from(await value.data()));
    result.gradients.push(Float32Array.from(await (grads[0] as tf.Tensor).data()));
    result.thresholds.push(await layer.readThresholds());
    tf.dispose([x, dy, value, ...grads]);
  }
  layer.dispose();
  return result;
}

describe.skipIf(gpu.skip !== null)(`SpatialSparsity on webgpu (${gpu.adapter?.description ?? 'skipped'})`, () => {
  afterAll(async () => {
    await initBackend({ backend: 'cpu' });
  });

  const cases: [string, SpatialSparsityOptions, number[], number][] = [
    ['per-channel, density 0.5 (TopK of -x)', { density: 0.5 }, [4, 6, 6, 5], 4],
    ['per-channel, density 0.05 (TopK of x)', { density: 0.05 }, [4, 6, 6, 5], 4],
    ['global, density 0.1', { density: 0.1, mode: 'global' }, [2, 8, 8, 3], 3],
    ['accumulating 10 survivors per channel', { density: 0.05, accumulate: 10 }, [2, 5, 5, 4], 6],
  ];
  it.each(cases)('%s: thresholds, outputs and gradients equal the cpu backend bit for bit', async (_name, options, shape, batches) => {
    const cpu = await trace('cpu', options, shape, batches);
    const webgpu = await trace('webgpu', options, shape, batches);
    expect(webgpu.thresholds).toEqual(cpu.thresholds);
    expect(webgpu.outputs).toEqual(cpu.outputs);
    expect(webgpu.gradients).toEqual(cpu.gradients);
    expect(cpu.thresholds.at(-1)?.some((t) => t !== 0)).toBe(true);
  });

  it('getThresholds says to use readThresholds; tf.memory() stays flat over 20 steps', async () => {
    await initBackend({ backend: 'webgpu' });
    const layer = new SpatialSparsity({ density: 0.25 });
    const x = tf.tensor(normalMatrix(normal(3), 64, 4), [64, 4]);
    const step = async () => {
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      await y.data();
      y.dispose();
    };
    await step();
    expect(() => layer.getThresholds()).toThrow(/'webgpu' backend cannot read synchronously; use await layer.readThresholds\(\)/);
    const before = tf.memory();
    for (let i = 0; i < 20; i++) await step();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    x.dispose();
    layer.dispose();
  });
});

describe.skipIf(gpu.skip !== null)('synchronous reads on webgpu', () => {
  it('measuredDensity of a webgpu tensor says to pass its values; the values work', async () => {
    await initBackend({ backend: 'webgpu' });
    const { measuredDensity } = await import('../src/index.js');
    const x = tf.tensor([0, 1.5, 0, 0]);
    expect(() => measuredDensity(x)).toThrow(/measuredDensity: argument "x" must be an array of numbers there \(webgpu tensors cannot be read synchronously: pass await x.data\(\)\); received "a tensor on the webgpu backend"/);
    expect(measuredDensity(await x.data())).toBe(0.25);
    x.dispose();
    await initBackend({ backend: 'cpu' });
  });
});
