import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@sparling/backend';
import { batches, createDomain } from '@sparling/domains';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenDomain } from './fixtures/broken-domain.cjs';
import {
  loadRun,
  readRunConfig,
  SparlingModel,
  train,
  withOverrides,
  type NamedArray,
  type PresetTraining,
  type SparlingModelConfig,
  type TrainOptions,
} from '../src/index.js';

// The worker replicas run the built worker script (dist/replica-worker.js), so these tests need
// the build, as the turbo `test` task provides.

const domainOptions = { size: 28, minRadius: 0, jitter: 0, minDigits: 1, maxDigits: 2 };
const domain = createDomain('digit-circle', domainOptions);

const modelConfig: SparlingModelConfig = {
  inputShape: domain.inputShape,
  vocabulary: domain.vocabulary,
  motifChannels: 4,
  motif: { dims: 2, width: 4, residualUnits: 1, kernelSize: 3 },
  bottleneck: { kind: 'sparling', density: 0.5, mode: 'per-channel', batchNorm: true, affine: true, lambda: 0, accumulate: false },
  // Dropout on, so the test sees whether each half draws its own masks.
  post: { width: 16, pool: 4, rowLstm: false, heads: 2, encoderLayers: 1, decoderLayers: 1, feedForward: 32, dropout: 0.1 },
  maxLength: domain.maxLabelLength + 1,
};

/** 5 steps: 4 of 8 items, then a 3-item batch, which runs on the main thread alone. */
const training: PresetTraining = {
  batchSize: 8,
  learningRate: 1e-2,
  validateEvery: 8,
  validationItems: 8,
  validationSeed: -1,
  validationMaxLength: domain.maxLabelLength + 1,
  maxSamples: 35,
  // Falls below 0 by the third validation, so the annealer cuts the density mid-run.
  annealer: { initialTarget: 1, minTarget: -1, maxTarget: 1, targetDecreasePerSample: 0.05, densityMultiplier: 0.75 },
  stopAtDensity: 0,
};

const SEED = 3;
let root: string;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  root = await mkdtemp(join(tmpdir(), 'sparling-replicas-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const options = (runDir: string, extra: Partial<TrainOptions> = {}): TrainOptions => ({
  domain,
  model: modelConfig,
  training,
  seed: SEED,
  runDir: join(root, runDir),
  replicas: 2,
  ...extra,
});

async function checkpointState(runDir: string): Promise<NamedArray[]> {
  return (await loadRun(join(root, runDir))).checkpoint?.state ?? [];
}

/** Max |a − b| / max(|b|, 1e-3) over the arrays of one state entry. */
function relativeDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i += 1) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)) / Math.max(Math.abs(b[i] as number), 1e-3));
  return worst;
}

/**
 * Two-replica training written out on the main thread: each half's loss and gradients from the
 * same starting state at dropout steps (samples seen) and (samples seen + half), averaged,
 * applied by a fresh Adam; running statistics and thresholds set to the halves' mean.
 */
async function reference(config: SparlingModelConfig, plan: PresetTraining, start?: readonly NamedArray[]): Promise<NamedArray[]> {
  const model = new SparlingModel(config, { seed: SEED });
  if (start) model.setState(start, { ignoreUnknown: true });
  const optimizer = tf.train.adam(plan.learningRate, 0.9, 0.999, 1e-8);
  const variables = model.trainableVariables({ frozenMotifModel: start !== undefined });
  const itemLength = domain.inputShape.reduce((a, b) => a * b, 1);
  let samplesSeen = 0;
  for await (const batch of batches(domain, { seed: SEED, batchSize: plan.batchSize, end: plan.maxSamples, workers: 0 })) {
    const half = batch.size / 2;
    const before = await model.getState();
    const parts: { grads: tf.NamedTensorMap; running: NamedArray[] }[] = [];
    for (const r of [0, 1]) {
      model.setState(before);
      model.setTrainingStep(samplesSeen + r * half);
      const x = tf.tensor(batch.inputs.slice(r * half * itemLength, (r + 1) * half * itemLength), [half, ...domain.inputShape]);
      const { value, grads } = tf.variableGrads(() => model.loss(x, batch.labels.slice(r * half, (r + 1) * half), true), variables);
      x.dispose();
      value.dispose();
      parts.push({ grads, running: await model.getState({ trainable: false }) });
    }
    const [a, b] = parts as [(typeof parts)[0], (typeof parts)[0]];
    model.setState(a.running.map((e, k) => ({ ...e, values: e.values.map((v, i) => (v + (b.running[k]?.values[i] as number)) / 2) })), { partial: true });
    const averaged = variables.map((v) => ({ name: v.name, tensor: tf.div(tf.add(a.grads[v.name] as tf.Tensor, b.grads[v.name] as tf.Tensor), 2) }));
    optimizer.applyGradients(averaged);
    tf.dispose([...averaged.map((g) => g.tensor), ...Object.values(a.grads), ...Object.values(b.grads)]);
    samplesSeen += batch.size;
  }
  const state = await model.getState();
  model.dispose();
  optimizer.dispose();
  return state;
}

describe('train with replicas: 2', () => {
  // 3 steps without validations, so nothing but the steps changes the model.
  const plain: PresetTraining = { ...training, maxSamples: 24, validateEvery: 1000 };
  const none = withOverrides(modelConfig, { bottleneck: { kind: 'none' } });
  const cases = [
    { name: 'wasm', backend: 'wasm', config: modelConfig, retrain: false },
    { name: 'cpu', backend: 'cpu', config: modelConfig, retrain: false },
    { name: 'wasm, Retrained (g frozen)', backend: 'wasm', config: none, retrain: true },
  ] as const;

  for (const c of cases) {
    it(`equals the averaged halves computed on the main thread (${c.name})`, async () => {
      await initBackend({ backend: c.backend });
      try {
        const source = c.retrain ? new SparlingModel(modelConfig, { seed: 7 }) : null;
        const start = await source?.getState();
        source?.dispose();
        const dir = `equivalence-${c.name}`;
        const retrain = start ? { retrain: { source: 'elsewhere', density: 0.5, state: start } } : {};
        await train(options(dir, { model: c.config, training: plain, ...retrain }));
        const got = await checkpointState(dir);
        const expected = await reference(c.config, plain, start);
        expect(got.map((e) => e.name)).toEqual(expected.map((e) => e.name));
        for (const [i, e] of got.entries()) {
          expect(relativeDifference(e.values, (expected[i] as NamedArray).values), e.name).toBeLessThanOrEqual(1e-5);
        }
        // Not the single-replica result: the halves' statistics and masks differ from the batch's.
        await train(options(`${dir}-single`, { model: c.config, training: plain, replicas: 1, ...retrain }));
        const single = await checkpointState(`${dir}-single`);
        expect(single.some((e, i) => relativeDifference(e.values, (got[i] as NamedArray).values) > 1e-3)).toBe(true);
        if (start) {
          // g's weights stay the source's; its batch-norm statistics keep updating (train mode).
          const kernel = (state: readonly NamedArray[]) => state.find((e) => e.name === 'g/conv_in/kernel')?.values;
          expect(kernel(got)).toEqual(kernel(start));
        }
      } finally {
        await initBackend({ backend: 'wasm' });
      }
    });
  }

  it('is deterministic and resumes bit for bit, also across a density cut and a short last batch', async () => {
    const first = await train(options('a'));
    expect(first).toMatchObject({ samplesSeen: 35, stopReason: 'budget' });
    expect(first.validations.some((v) => v.reduced)).toBe(true);
    await train(options('b'));
    const paused = await train(options('resumed', { until: 16 }));
    expect(paused).toMatchObject({ samplesSeen: 16, stopReason: 'paused' });
    const resumed = await train(options('resumed', { resume: true }));
    expect(resumed).toMatchObject({ startSamples: 16, samplesSeen: 35, stopReason: 'budget' });
    const files = ['weights.bin', 'manifest.json', 'optimizer.bin', 'annealer.json', 'progress.json'];
    for (const dir of ['b', 'resumed']) {
      for (const file of files) {
        const a = await readFile(join(root, 'a', 'checkpoints', 'latest', file));
        expect((await readFile(join(root, dir, 'checkpoints', 'latest', file))).equals(a), `${dir}/${file}`).toBe(true);
      }
    }
    const strip = (r: { seconds: number }) => ({ ...r, seconds: 0 });
    expect((await loadRun(join(root, 'resumed'))).log.map(strip)).toEqual((await loadRun(join(root, 'a'))).log.map(strip));
    expect((await readRunConfig(join(root, 'a'))).replicas).toBe(2);
  });

  it('resumes a run under another replica count, and records no count for one replica', async () => {
    await train(options('switch', { until: 16 }));
    expect(await train(options('switch', { resume: true, replicas: 1 }))).toMatchObject({ startSamples: 16, samplesSeen: 35, stopReason: 'budget' });
    await train(options('one', { replicas: 1, until: 8 }));
    expect(await readRunConfig(join(root, 'one'))).not.toHaveProperty('replicas');
  });

  it('keeps the main thread tensor count flat across steps', async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    await train(options('tensors', { onProgress: () => counts.push(tf.memory().numTensors) }));
    expect(counts).toHaveLength(5);
    // Step 1 creates Adam's moment variables; from then on nothing may accumulate.
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad options before writing anything', async () => {
    const rejects = async (extra: Partial<TrainOptions>, message: string) => {
      await expect(train(options('bad', extra))).rejects.toThrow(message);
      expect(existsSync(join(root, 'bad'))).toBe(false);
    };
    await rejects(
      { training: { ...training, batchSize: 9 } },
      'train: option "training.batchSize": expected a multiple of replicas (2), so every replica gets an equal part of each batch, received 9',
    );
    await rejects(
      { createModel: (config, o) => new SparlingModel(config, o) },
      'train: option "createModel": expected nothing with replicas 2: worker replicas can only rebuild the default SparlingModel, received a function',
    );
    await rejects({ replicas: 0 }, 'train: option "replicas": expected an integer >= 1, received 0');
    await rejects({ replicas: 1.5 }, 'train: option "replicas": expected an integer >= 1, received 1.5');
  });

  it("rejects with replica 1's error when the worker's half fails", async () => {
    const broken = brokenDomain(domain);

    const before = tf.memory().numTensors;
    await expect(train(options('broken', { domain: broken, workers: 0 }))).rejects.toThrow(
      /^train: replica 1 \(worker thread\) failed: loss: labels\[0\]: expected an output token of the vocabulary/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('the built package', () => {
  // Each consumer runs in its own process, which can only exit once train has stopped its worker.
  const run = promisify(execFile);
  const script = fileURLToPath(new URL('./fixtures/replicas-dist.cjs', import.meta.url));
  const digest = async (dir: string) => createHash('sha256').update(await readFile(join(dir, 'checkpoints', 'latest', 'weights.bin'))).digest('hex');

  it('starts its worker from ESM and CommonJS, and stops it on success, abort and failure', async () => {
    const plan = { domain: domainOptions, model: modelConfig, training: { ...training, maxSamples: 16 }, seed: SEED };
    await train(options('in-process', { training: plan.training }));
    const expected = await digest(join(root, 'in-process'));
    for (const format of ['esm', 'cjs']) {
      const dir = join(root, `dist-${format}`);
      const { stdout } = await run(process.execPath, [script, format, JSON.stringify({ ...plan, root: dir })], { timeout: 60_000 });
      expect(JSON.parse(stdout), format).toEqual({
        trained: 'budget',
        aborted: 'interrupted',
        failed: expect.stringMatching(/^train: replica 1 \(worker thread\) failed: /) as unknown,
      });
      expect(await digest(join(dir, 'trained')), format).toBe(expected);
    }
  });
});
