// Every model's training step on the webgpu backend (a GPU, or SwiftShader without one) against
// the wasm backend: the same losses, weights, thresholds and density, step by step, within the
// tolerances below; a checkpoint moves between the two backends; tf.memory() stays flat.
import * as tf from '@tensorflow/tfjs';
import { initBackend, useSwiftShaderWithoutGpu } from '@sparling/backend';
import { createDomain } from '@sparling/domains';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { webgpuForTests } from '../../../test-support/webgpu.js';
import { loadRun, SparlingModel, train, withOverrides, type NamedArray, type PresetTraining, type SparlingModelConfig } from '../src/index.js';
import { tinyConfig } from './model-helpers.js';

const gpu = await webgpuForTests(useSwiftShaderWithoutGpu);

/** Largest |a − b| over the largest |b| (at least 1). */
function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / scale;
}

function stateDifference(a: readonly NamedArray[], b: readonly NamedArray[]): { name: string; difference: number } {
  expect(a.map((e) => e.name)).toEqual(b.map((e) => e.name));
  let worst = { name: '', difference: 0 };
  a.forEach((e, i) => {
    const difference = relativeDifference(e.values, (b[i] as NamedArray).values);
    if (difference > worst.difference) worst = { name: e.name, difference };
  });
  return worst;
}

interface Trace {
  losses: number[];
  /** The first step's gradients, by variable. */
  gradients: Float32Array[];
  /** Thresholds and batch-norm running statistics after the first step. */
  running: NamedArray[];
  /** The sparsity thresholds after each step. */
  thresholds: Float32Array[];
}

/** Three Adam steps of a fresh model on fixed inputs. */
async function steps(backend: 'wasm' | 'webgpu', config: SparlingModelConfig, labels: string[][]): Promise<Trace> {
  await initBackend({ backend });
  const model = new SparlingModel(config, { seed: 11 });
  const optimizer = tf.train.adam(1e-2, 0.9, 0.999, 1e-8);
  const variables = model.trainableVariables();
  const x = tf.randomUniform([labels.length, ...config.inputShape], 0, 1, 'float32', 5);
  const trace: Trace = { losses: [], gradients: [], running: [], thresholds: [] };
  for (let step = 0; step < 3; step++) {
    model.setTrainingStep(step * labels.length);
    const { value, grads } = tf.variableGrads(() => model.loss(x, labels, true), variables);
    trace.losses.push((await value.data())[0] as number);
    if (step === 0) {
      for (const v of variables) trace.gradients.push(Float32Array.from(await (grads[v.name] as tf.Tensor).data()));
      trace.running = await model.getState({ trainable: false });
    }
    const layer = model.bottleneck.sparsityLayer;
    if (layer) trace.thresholds.push(await layer.readThresholds());
    optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    tf.dispose([value, ...Object.values(grads)]);
  }
  x.dispose();
  optimizer.dispose();
  model.dispose();
  return trace;
}

/** Largest |a − b| over all gradients, relative to the largest gradient of them all. */
function gradientDifference(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let diff = 0;
  let scale = 0;
  b.forEach((g, k) => {
    for (let i = 0; i < g.length; i++) {
      diff = Math.max(diff, Math.abs((a[k]?.[i] as number) - (g[i] as number)));
      scale = Math.max(scale, Math.abs(g[i] as number));
    }
  });
  return diff / scale;
}

const image = tinyConfig();
const sequence = tinyConfig({ inputShape: [24, 2], motif: { dims: 1, width: 4, residualUnits: 1, kernelSize: 3 }, post: { ...image.post, rowLstm: false } });
const models: [string, SparlingModelConfig][] = [
  ['2-D ĝ, SPARLING, row LSTM + Transformer ĥ', image],
  ['2-D ĝ, SPARLING in global mode, dropout', withOverrides(image, { bottleneck: { mode: 'global' }, post: { dropout: 0.1 } })],
  ['2-D ĝ, SPARLING accumulating, no batch norm', withOverrides(image, { bottleneck: { accumulate: 2, batchNorm: false } })],
  ['2-D ĝ, L1 bottleneck', withOverrides(image, { bottleneck: { kind: 'l1', lambda: 1 } })],
  ['2-D ĝ, KL bottleneck', withOverrides(image, { bottleneck: { kind: 'kl', lambda: 1 } })],
  ['2-D ĝ, no bottleneck, coordinates', withOverrides(image, { bottleneck: { kind: 'none' }, post: { coordinates: 'polar' } })],
  ['1-D ĝ (sequences), SPARLING', sequence],
];
const labels = [['a', 'b'], ['c'], ['d', 'a', 'b'], []];

// SwiftShader and GPUs sum in another order than wasm, so float32 results differ in their last
// bits, and more after each step. Gradients are compared to the largest gradient: parameters
// that batch norm or softmax make (almost) gradient-free, such as a conv bias before batch norm,
// get gradients of pure rounding noise, which Adam would blow up to a full step if the updated
// weights were compared instead.
// Measured on SwiftShader (2026-12-08): losses within 7.2e-7, gradients 7.7e-7, running
// statistics 7.4e-8, thresholds 1.1e-7; the bounds leave a factor of about ten.
const LOSS_TOLERANCE = 5e-6;
const GRADIENT_TOLERANCE = 1e-5;
const RUNNING_TOLERANCE = 1e-6;
const THRESHOLD_TOLERANCE = 1e-6;
// A whole run: Adam turns the rounding noise of gradient-free parameters into full steps, so
// the runs drift apart a little more with every step. Measured over the 6 steps of the run
// below: losses within 2.4e-6, thresholds 4.4e-4.
const RUN_LOSS_TOLERANCE = 5e-5;
const RUN_THRESHOLD_TOLERANCE = 5e-3;

describe.skipIf(gpu.skip !== null)(`training on webgpu (${gpu.adapter?.description ?? 'skipped'}) against wasm`, () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sparling-webgpu-'));
  });
  afterAll(async () => {
    await initBackend({ backend: 'wasm' });
    await rm(root, { recursive: true, force: true });
  });

  it.each(models)('%s: three Adam steps give the same losses, gradients, thresholds and statistics', async (_name, config) => {
    const wasm = await steps('wasm', config, labels);
    const webgpu = await steps('webgpu', config, labels);
    webgpu.losses.forEach((loss, i) => expect(Math.abs(loss - (wasm.losses[i] as number)), `step ${i}`).toBeLessThanOrEqual(LOSS_TOLERANCE * Math.max(1, Math.abs(loss))));
    expect(gradientDifference(webgpu.gradients, wasm.gradients)).toBeLessThanOrEqual(GRADIENT_TOLERANCE);
    const worst = stateDifference(webgpu.running, wasm.running);
    expect(worst.difference, worst.name).toBeLessThanOrEqual(RUNNING_TOLERANCE);
    expect(webgpu.thresholds).toHaveLength(config.bottleneck.kind === 'sparling' ? 3 : 0);
    webgpu.thresholds.forEach((t, i) => expect(relativeDifference(t, wasm.thresholds[i] as Float32Array), `step ${i}`).toBeLessThanOrEqual(THRESHOLD_TOLERANCE));
  });

  const domain = createDomain('digit-circle', { size: 32, minRadius: 1, jitter: 1, minDigits: 2, maxDigits: 2 });
  const runModel: SparlingModelConfig = {
    inputShape: domain.inputShape,
    vocabulary: domain.vocabulary,
    motifChannels: 10,
    motif: { dims: 2, width: 4, residualUnits: 1, kernelSize: 3 },
    bottleneck: { kind: 'sparling', density: 0.5, mode: 'per-channel', batchNorm: true, affine: true, lambda: 0, accumulate: false },
    post: { width: 8, pool: 4, rowLstm: true, heads: 2, encoderLayers: 1, decoderLayers: 1, feedForward: 16, dropout: 0.1 },
    maxLength: domain.maxLabelLength + 1,
  };
  const runTraining: PresetTraining = {
    batchSize: 8,
    learningRate: 1e-2,
    validateEvery: 16,
    validationItems: 8,
    validationSeed: -1,
    validationMaxLength: domain.maxLabelLength + 1,
    maxSamples: 48,
    // Below any accuracy: the annealer cuts the density as soon as it may.
    annealer: { initialTarget: -1, minTarget: -1, maxTarget: 1, targetDecreasePerSample: 0, densityMultiplier: 0.75 },
    stopAtDensity: 0,
  };

  interface Run {
    losses: number[];
    memory: { numTensors: number; numBytes: number }[];
    thresholds: Float32Array;
    densities: (number | null)[];
  }

  /** Trains (or resumes) a run on one backend and reads back what the comparison needs. */
  async function run(backend: 'wasm' | 'webgpu', name: string, options: { until?: number; resume?: boolean } = {}): Promise<Run> {
    await initBackend({ backend });
    const runDir = join(root, name);
    const losses: number[] = [];
    const memory: Run['memory'] = [];
    await train({
      domain, model: runModel, training: runTraining, seed: 4, runDir, workers: 0, ...options,
      onProgress: (p) => {
        losses.push(p.loss);
        memory.push({ numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes });
      },
    });
    const loaded = await loadRun(runDir);
    const thresholds = loaded.checkpoint?.state.find((e) => e.name.endsWith('thresholds'))?.values ?? new Float32Array(0);
    return { losses, memory, thresholds, densities: loaded.log.map((r) => r.newDensity) };
  }

  it('a short SPARLING run (32×32, 6 steps, 3 validations, a density cut) follows the wasm run step by step', async () => {
    const wasm = await run('wasm', 'wasm');
    const webgpu = await run('webgpu', 'webgpu');
    expect(webgpu.losses).toHaveLength(6);
    webgpu.losses.forEach((loss, i) => expect(Math.abs(loss - (wasm.losses[i] as number)), `step ${i}`).toBeLessThanOrEqual(RUN_LOSS_TOLERANCE));
    expect(webgpu.densities).toEqual(wasm.densities);
    expect(webgpu.densities.at(-1)).toBeLessThan(0.5);
    expect(relativeDifference(webgpu.thresholds, wasm.thresholds)).toBeLessThanOrEqual(RUN_THRESHOLD_TOLERANCE);
    // Step 1 creates Adam's moments; from then on nothing may accumulate on the device.
    expect(new Set(webgpu.memory.slice(1).map((m) => m.numTensors)).size).toBe(1);
    expect(new Set(webgpu.memory.slice(1).map((m) => m.numBytes)).size).toBe(1);
  });

  it('a checkpoint written on webgpu resumes on wasm, and one written on wasm resumes on webgpu', async () => {
    const wasm = await run('wasm', 'reference');
    const there = await run('webgpu', 'webgpu-then-wasm', { until: 24 });
    const back = await run('wasm', 'webgpu-then-wasm', { resume: true });
    const other = await run('wasm', 'wasm-then-webgpu', { until: 24 });
    const forth = await run('webgpu', 'wasm-then-webgpu', { resume: true });
    for (const [first, second] of [[there, back], [other, forth]] as const) {
      const losses = [...first.losses, ...second.losses];
      expect(losses).toHaveLength(6);
      losses.forEach((loss, i) => expect(Math.abs(loss - (wasm.losses[i] as number)), `step ${i}`).toBeLessThanOrEqual(RUN_LOSS_TOLERANCE));
      expect(second.densities).toEqual(wasm.densities);
      expect(relativeDifference(second.thresholds, wasm.thresholds)).toBeLessThanOrEqual(RUN_THRESHOLD_TOLERANCE);
    }
  });

  it('a lost device stops training with a clear message; the last checkpoint stays and resumes on wasm', async () => {
    await initBackend({ backend: 'webgpu' });
    const runDir = join(root, 'lost');
    let steps = 0;
    const failure = train({
      domain, model: runModel, training: runTraining, seed: 4, runDir, workers: 0,
      onProgress: () => {
        // After the first validation (16 samples) has written a checkpoint.
        if (++steps === 3) (tf.backend() as unknown as { device: { destroy(): void } }).device.destroy();
      },
    });
    await expect(failure).rejects.toThrow(/the WebGPU device was lost \(destroyed.*\); the run stopped, and its last checkpoint is intact: resume it$/);
    const loaded = await loadRun(runDir);
    expect(loaded.checkpoint?.progress.samplesSeen).toBe(16);
    await initBackend({ backend: 'wasm' });
    const resumed = await train({ domain, model: runModel, training: runTraining, seed: 4, runDir, workers: 0, resume: true });
    expect(resumed).toMatchObject({ startSamples: 16, samplesSeen: 48, stopReason: 'budget' });
  });
});
