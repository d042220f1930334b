import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@sparling/backend';
import { createDomain } from '@sparling/domains';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SparlingModelConfig } from '../src/contract.js';
import type { PresetTraining } from '../src/preset-types.js';
import {
  channelSymbols,
  evaluateRun,
  formatDensity,
  loadRun,
  predictMotifs,
  readEvaluation,
  readSnapshotState,
  train,
  withOverrides,
  writeDirAtomic,
  type NamedArray,
  type TrainResult,
} from '../src/index.js';

const domain = createDomain('digit-circle', { size: 32, minRadius: 1, jitter: 1, minDigits: 3, maxDigits: 3 });

const modelConfig: SparlingModelConfig = {
  inputShape: domain.inputShape,
  vocabulary: domain.vocabulary,
  motifChannels: 10,
  motif: { dims: 2, width: 8, residualUnits: 1, kernelSize: 3 },
  bottleneck: { kind: 'sparling', density: 0.5, mode: 'per-channel', batchNorm: true, affine: true, lambda: 0, accumulate: false },
  post: { width: 16, pool: 4, rowLstm: false, heads: 2, encoderLayers: 1, decoderLayers: 1, feedForward: 32, dropout: 0.1 },
  maxLength: domain.maxLabelLength + 1,
};

const training: PresetTraining = {
  batchSize: 16,
  learningRate: 1e-2,
  validateEvery: 160,
  validationItems: 32,
  validationSeed: -1,
  validationMaxLength: domain.maxLabelLength + 1,
  maxSamples: 960,
  // A target that falls below 0 within a few validations, so the annealer fires even at accuracy 0.
  annealer: { initialTarget: 1, minTarget: -1, maxTarget: 1, targetDecreasePerSample: 2e-3, densityMultiplier: 0.75 },
  stopAtDensity: 0,
};


let root: string;
let full: TrainResult;
const losses: number[] = [];
const tensorCounts: number[] = [];
let tensorsBefore = 0;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  root = await mkdtemp(join(tmpdir(), 'sparling-train-'));
  tensorsBefore = tf.memory().numTensors;
  full = await train({
    domain,
    model: modelConfig,
    training,
    seed: 3,
    runDir: join(root, 'full'),
    onProgress: (p) => {
      losses.push(p.loss);
      tensorCounts.push(tf.memory().numTensors);
    },
  });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('train', () => {
  it('trains to the budget: the loss falls and the annealer fires', async () => {
    expect(full.stopReason).toBe('budget');
    expect(full.samplesSeen).toBe(960);
    expect(losses).toHaveLength(960 / 16);
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)));
    expect(full.validations.map((v) => v.samplesSeen)).toEqual([160, 320, 480, 640, 800, 960]);
    expect(full.validations.some((v) => v.reduced)).toBe(true);
    expect(full.density).toBeLessThan(0.5);
  });

  it('snapshots the model at each density before cutting it, and logs every validation', async () => {
    const run = await loadRun(join(root, 'full'));
    const reductions = run.log.filter((r) => r.reduced);
    expect(run.snapshots.map((s) => s.density)).toEqual(reductions.map((r) => r.density));
    expect(run.snapshots[0]?.name).toBe(`density-${formatDensity(0.5)}`);
    expect(run.snapshots[0]?.name).toBe('density-5.000000e-01');
    expect(run.log).toHaveLength(6);
    expect(run.checkpoint?.progress).toMatchObject({ samplesSeen: 960, finished: true, stopReason: 'budget' });
    expect(run.checkpoint?.optimizer.iterations).toBe(60);
    expect(run.config).toMatchObject({ seed: 3, domain: { name: 'digit-circle' } });
    // The thresholds and BN running statistics are in the snapshot.
    const snapshotNames = (await readdir(join(root, 'full', 'snapshots'))).filter((n) => n.includes('tmp') || n.includes('old'));
    expect(snapshotNames).toEqual([]);
  });

  it('keeps the tensor count flat across steps and releases everything at the end', () => {
    // Step 1 creates Adam's moment variables; from then on nothing may accumulate.
    expect(new Set(tensorCounts.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('resumes bit for bit: a run paused at N/2 and resumed equals the uninterrupted run', async () => {
    const dir = join(root, 'resumed');
    const first = await train({ domain, model: modelConfig, training, seed: 3, runDir: dir, until: 480 });
    expect(first.stopReason).toBe('paused');
    expect((await loadRun(dir)).checkpoint?.progress).toMatchObject({ samplesSeen: 480, finished: false });
    const second = await train({ domain, model: modelConfig, training, seed: 3, runDir: dir, resume: true });
    expect(second.startSamples).toBe(480);
    expect(second.stopReason).toBe('budget');
    for (const file of ['weights.bin', 'optimizer.bin', 'annealer.json', 'manifest.json']) {
      const a = await readFile(join(root, 'full', 'checkpoints', 'latest', file));
      const b = await readFile(join(dir, 'checkpoints', 'latest', file));
      expect(b.equals(a), file).toBe(true);
    }
    // tfjs names Adam's moments after its global variable names, which differ between models.
    const optimizerJson = async (d: string) => {
      const o = JSON.parse(await readFile(join(d, 'checkpoints', 'latest', 'optimizer.json'), 'utf8')) as { variables: { name?: string }[] };
      return { ...o, variables: o.variables.map((v) => ({ ...v, name: undefined })) };
    };
    expect(await optimizerJson(dir)).toEqual(await optimizerJson(join(root, 'full')));
    const strip = (r: { seconds: number }) => ({ ...r, seconds: 0 });
    expect((await loadRun(dir)).log.map(strip)).toEqual((await loadRun(join(root, 'full'))).log.map(strip));
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('lets the annealer act at most once per minUpdateInterval samples (the reference\'s minimal_update_frequency)', async () => {
    // A target below any accuracy: every validation the annealer processes cuts the density.
    const everyTime = { ...training, validateEvery: 16, validationItems: 4, maxSamples: 64, annealer: { ...training.annealer, initialTarget: -1 } };
    const cuts = async (name: string, t: PresetTraining) =>
      (await train({ domain, model: modelConfig, training: t, seed: 3, runDir: join(root, name), workers: 0 })).validations.map((v) => v.reduced);
    expect(await cuts('interval-0', everyTime)).toEqual([true, true, true, true]);
    const spaced = { ...everyTime, annealer: { ...everyTime.annealer, minUpdateInterval: 32 } };
    expect(await cuts('interval-32', spaced)).toEqual([false, true, false, true]);
    expect((await loadRun(join(root, 'interval-32'))).config.training.annealer.minUpdateInterval).toBe(32);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('settles at the final density for settleSamples instead of stopping at the cut below it', async () => {
    // Every validation cuts (the target falls below any accuracy); the second cut, to 0.28125,
    // goes below the stopping density of 0.3.
    const cutting = {
      ...training,
      validateEvery: 16,
      validationItems: 4,
      maxSamples: 400,
      stopAtDensity: 0.3 / domain.minimumDensity,
      annealer: { ...training.annealer, initialTarget: -1, targetDecreasePerSample: 1 },
    };
    const run = (name: string, t: PresetTraining, until?: number, resume?: boolean) =>
      train({ domain, model: modelConfig, training: t, seed: 3, runDir: join(root, name), workers: 0, ...(until !== undefined ? { until } : {}), ...(resume ? { resume } : {}) });

    const stopped = await run('settle-0', cutting);
    expect(stopped.validations.map((v) => [v.samplesSeen, v.reduced, v.newDensity])).toEqual([[16, true, 0.375], [32, true, 0.28125]]);
    expect(stopped.stopReason).toBe('density');

    const settling = { ...cutting, settleSamples: 32 };
    const settled = await run('settle-32', settling);
    expect(settled.validations.map((v) => [v.samplesSeen, v.reduced, v.density, v.newDensity, v.settling?.snapshot])).toEqual([
      [16, true, 0.5, 0.375, undefined],
      [32, false, 0.375, 0.375, true],
      [48, false, 0.375, 0.375, true],
      [64, false, 0.375, 0.375, true],
    ]);
    expect(settled.stopReason).toBe('density');
    expect(settled.density).toBe(0.375);
    const loaded = await loadRun(join(root, 'settle-32'));
    expect(loaded.checkpoint?.progress).toMatchObject({ samplesSeen: 64, settleFrom: 32, finished: true, stopReason: 'density' });
    expect(loaded.snapshots.map((s) => [s.density, s.samplesSeen])).toEqual([[0.5, 16], [0.375, 64]]);
    // Up to the kept cut both runs are the same run.
    expect(stopped.validations.map((v) => v.accuracy)).toEqual(settled.validations.slice(0, 2).map((v) => v.accuracy));
    const snapshotWeights = async (name: string) => readFile(join(root, name, 'snapshots', 'density-3.750000e-01', 'weights.bin'));
    const last = await readFile(join(root, 'settle-32', 'checkpoints', 'latest', 'weights.bin'));
    expect((await snapshotWeights('settle-32')).equals(last)).toBe(true);
    expect((await snapshotWeights('settle-0')).equals(last)).toBe(false);

    // Paused in the middle of settling and resumed, it is the same run, bit for bit.
    expect((await run('settle-resumed', settling, 48)).stopReason).toBe('paused');
    expect((await run('settle-resumed', settling, undefined, true)).stopReason).toBe('density');
    for (const file of ['weights.bin', 'optimizer.bin', 'annealer.json', 'progress.json']) {
      const a = await readFile(join(root, 'settle-32', 'checkpoints', 'latest', file));
      const b = await readFile(join(root, 'settle-resumed', 'checkpoints', 'latest', file));
      expect(b.equals(a), file).toBe(true);
    }
    await expect(run('settle-bad', { ...cutting, settleSamples: 2.5 })).rejects.toThrow('train: option "training.settleSamples": expected an integer >= 0, received 2.5');
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('refuses to resume a different run', async () => {
    await expect(
      train({ domain, model: modelConfig, training, seed: 4, runDir: join(root, 'full'), resume: true }),
    ).rejects.toThrow(/different seed/);
  });

  it('writes folders atomically, replacing an existing one', async () => {
    const dir = join(root, 'atomic', 'x');
    await writeDirAtomic(dir, { 'a.txt': 'one' });
    await writeDirAtomic(dir, { 'a.txt': 'two' });
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('two');
    expect(await readdir(join(root, 'atomic'))).toEqual(['x']);
  });
});

describe('evaluateRun', () => {
  it('scores a snapshot with E2EE, accuracy and motif metrics and writes eval-<density>.json', async () => {
    const [result] = await evaluateRun(join(root, 'full'), { density: 0.5, count: 32 });
    expect(result).toBeDefined();
    if (!result) return;
    expect(result.density).toBe(0.5);
    expect(result.items).toBe(32);
    expect(result.motifItems).toBe(32);
    expect(result.motifSeed).toBe('raw');
    for (const k of ['fpe', 'fne', 'ce', 'ceMajority', 'e2ee', 'accuracy'] as const) {
      const v = result[k];
      expect(v === null || (v >= 0 && v <= 1), k).toBe(true);
    }
    expect(result.minimumDensity).toBe(domain.minimumDensity);
    expect(existsSync(join(root, 'full', 'eval-5.000000e-01.json'))).toBe(true);
    // Figure 4's data: one row per true digit seen plus "none", one column per channel plus "none".
    expect(result.confusion?.columns).toEqual([...'ABCDEFGHIJ', 'none']);
    expect(result.confusion?.rows.at(-1)).toBe('none');
    const covered = (result.confusion?.counts ?? []).slice(0, -1).flat().reduce((a, b) => a + b, 0);
    expect(covered).toBe(result.motifItems * 3);
    const stored = await readEvaluation(join(root, 'full'), 0.5);
    expect(stored).toMatchObject({ density: 0.5, count: 32, items: 32, fpe: result.fpe, confusion: result.confusion });
    expect(stored).not.toHaveProperty('file');
    expect(await readEvaluation(join(root, 'full'), 1e-9)).toBeNull();
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('evaluates every snapshot with density "all", and the latest checkpoint with "latest"', async () => {
    const run = await loadRun(join(root, 'full'));
    const all = await evaluateRun(join(root, 'full'), { density: 'all', count: 16 });
    expect(all.map((r) => r.density)).toEqual(run.snapshots.map((s) => s.density));
    const [latest] = await evaluateRun(join(root, 'full'), { density: 'latest', count: 16 });
    expect(latest?.source).toBe('checkpoints/latest');
    expect(latest?.density).toBe(full.density);
    await expect(evaluateRun(join(root, 'full'), { density: 1e-9, count: 16 })).rejects.toThrow(/no snapshot within 1%/);
  });
});

describe('predictMotifs', () => {
  it("returns Figure 2's data: inputs, true footprints and local maxima named by the stored confusion matrix", async () => {
    const dir = join(root, 'full');
    const stored = await readEvaluation(dir, 0.5);
    expect(stored?.confusion).toBeDefined();
    const figure = await predictMotifs(dir, { density: 0.5, count: 3, batchSize: 2 });
    expect(figure).toMatchObject({ source: 'snapshots/density-5.000000e-01', density: 0.5, seed: 'raw' });
    expect(figure.channelSymbols).toEqual(channelSymbols(stored?.confusion ?? { rows: [], columns: [], counts: [] }));
    expect(figure.items.map((item) => item.index)).toEqual([0, 1, 2]);
    const item = figure.items[1];
    const sample = domain.sampleRaw(1);
    expect(item).toMatchObject({ shape: sample.shape, label: sample.label, motifs: sample.motifs });
    expect(item?.input).toEqual(sample.input);
    for (const { predicted } of figure.items) {
      expect(predicted.length).toBeGreaterThan(0);
      for (const p of predicted) {
        expect(p.value).toBeGreaterThan(0);
        expect(p.symbol).toBe(figure.channelSymbols[p.channel]);
        expect(p.position.every((x, axis) => Number.isInteger(x) && x >= 0 && x < (domain.inputShape[axis] ?? 0))).toBe(true);
      }
      expect(predicted.map((p) => p.value)).toEqual([...predicted.map((p) => p.value)].sort((a, b) => b - a));
    }
    // Defaults: the lowest-density snapshot, as evaluateRun.
    const lowest = (await loadRun(dir)).snapshots.at(-1);
    const unnamed = await predictMotifs(dir, { count: 1, seed: -2, confusion: null });
    expect(unnamed.source).toBe(`snapshots/${lowest?.name}`);
    expect(unnamed.channelSymbols).toEqual(new Array(10).fill(null));
    expect(unnamed.items[0]?.label).toEqual(domain.sample(-2, 0).label);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});

describe('retrain (spec 8.7)', () => {
  it('trains h on a frozen g without the bottleneck from a snapshot below 0.5, then evaluates', async () => {
    const run = await loadRun(join(root, 'full'));
    const snapshot = run.snapshots.find((s) => s.density < 0.5);
    expect(snapshot, 'the aggressive annealer cut the density at least twice').toBeDefined();
    if (!snapshot) return;
    const source = await readSnapshotState(snapshot);
    const dir = join(root, 'retrain');
    const result = await train({
      domain,
      model: withOverrides(modelConfig, { bottleneck: { kind: 'none' } }),
      training: { ...training, maxSamples: 320 },
      seed: 3,
      runDir: dir,
      retrain: { source: join(root, 'full'), density: snapshot.density, state: source },
    });
    expect(result).toMatchObject({ samplesSeen: 320, stopReason: 'budget', density: null });
    const retrained = await loadRun(dir);
    expect(retrained.config.retrain).toEqual({ source: join(root, 'full'), density: snapshot.density });
    expect(retrained.snapshots).toEqual([]);
    const byName = (state: readonly NamedArray[]) => new Map(state.map((a) => [a.name, a.values]));
    const before = byName(source);
    const after = byName(retrained.checkpoint?.state ?? []);
    // No bottleneck: its BN and thresholds are not part of the retrained model.
    expect([...after.keys()].some((n) => n.startsWith('bottleneck/'))).toBe(false);
    const same = (name: string) => Buffer.from((after.get(name) as Float32Array).buffer).equals(Buffer.from((before.get(name) as Float32Array).buffer));
    const g = [...after.keys()].filter((n) => n.startsWith('g/'));
    const running = g.filter((n) => /running_(mean|var)$/.test(n));
    const gWeights = g.filter((n) => !running.includes(n));
    expect(gWeights.length).toBeGreaterThan(0);
    for (const name of gWeights) expect(same(name), name).toBe(true);
    // As in the reference (g frozen but in train mode), g's BN running statistics keep updating.
    expect(running.length).toBeGreaterThan(0);
    expect(running.some((n) => !same(n))).toBe(true);
    const h = [...after.keys()].filter((n) => n.startsWith('h/'));
    expect(h.filter((n) => !same(n)).length).toBe(h.length);

    const [evaluation] = await evaluateRun(dir, { count: 16 });
    expect(evaluation).toMatchObject({ source: 'checkpoints/latest', density: null, sparsity: null, samplesSeen: 320, items: 16 });
    expect(evaluation?.e2ee).toBeGreaterThanOrEqual(0);
    // Without a bottleneck g's output is signed and dense: only E2EE and accuracy are scored.
    expect(evaluation).toMatchObject({ fpe: null, fne: null, ce: null, measuredDensity: null, motifItems: 0 });
    expect(existsSync(join(dir, 'eval-latest.json'))).toBe(true);
    await expect(predictMotifs(dir)).rejects.toThrow(/has no bottleneck/);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});
