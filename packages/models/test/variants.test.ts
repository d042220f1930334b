/** The comparison settings (spec 8.1-8.5): each bottleneck kind and ablation trains end to end. */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@sparling/backend';
import { createDomain } from '@sparling/domains';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRun, SparlingModel, train, withOverrides, type PresetTraining, type SparlingModelConfig, type SparlingModelOverrides } from '../src/index.js';

const domain = createDomain('digit-circle', { size: 32, minRadius: 1, jitter: 1, minDigits: 3, maxDigits: 3 });

const base: SparlingModelConfig = {
  inputShape: domain.inputShape,
  vocabulary: domain.vocabulary,
  motifChannels: 10,
  motif: { dims: 2, width: 4, residualUnits: 1, kernelSize: 3 },
  bottleneck: { kind: 'sparling', density: 0.5, mode: 'per-channel', batchNorm: true, affine: true, lambda: 0, accumulate: false },
  post: { width: 8, pool: 4, rowLstm: false, heads: 2, encoderLayers: 1, decoderLayers: 1, feedForward: 16, dropout: 0.1 },
  maxLength: domain.maxLabelLength + 1,
};

const training: PresetTraining = {
  batchSize: 16,
  learningRate: 1e-2,
  validateEvery: 32,
  validationItems: 8,
  validationSeed: -1,
  validationMaxLength: domain.maxLabelLength + 1,
  maxSamples: 48,
  annealer: { initialTarget: 1, minTarget: 0, maxTarget: 1, targetDecreasePerSample: 1e-7, densityMultiplier: 0.75 },
  stopAtDensity: 0,
};

let root: string;
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  root = await mkdtemp(join(tmpdir(), 'sparling-variants-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const variants: [string, SparlingModelOverrides, number | null][] = [
  ['l1 (spec 8.1)', { bottleneck: { kind: 'l1', lambda: 1 } }, null],
  ['kl (spec 8.2)', { bottleneck: { kind: 'kl', lambda: 1 } }, null],
  ['none (Non-Sparse without a bottleneck)', { bottleneck: { kind: 'none' } }, null],
  ['no batch norm (spec 8.3)', { bottleneck: { batchNorm: false } }, 0.5],
  ['no annealing: starts at the given density (spec 8.4)', { bottleneck: { density: 6.6968e-5 } }, 6.6968e-5],
  ['single threshold, global mode (spec 8.5)', { bottleneck: { mode: 'global' } }, 0.5],
];

describe('comparison settings', () => {
  it.each(variants)('%s trains with a finite loss and records its bottleneck', async (name, overrides, density) => {
    const model = withOverrides(base, overrides);
    const dir = join(root, name.replace(/\W+/g, '-'));
    const result = await train({ domain, model, training, seed: 5, runDir: dir, workers: 0 });
    expect(result.stopReason).toBe('budget');
    expect(Number.isFinite(result.lastLoss)).toBe(true);
    const run = await loadRun(dir);
    expect(run.config.model.bottleneck).toEqual(model.bottleneck);
    expect(run.log).toHaveLength(1);
    const names = (run.checkpoint?.state ?? []).map((a) => a.name);
    expect(names.some((n) => n.startsWith('bottleneck/bn/'))).toBe(model.bottleneck.kind !== 'none' && model.bottleneck.batchNorm);
    if (density === null) {
      expect(result.density).toBeNull();
      expect(run.checkpoint?.annealer).toBeNull();
    } else {
      // One validation at accuracy ~0 below the target: the density stays where it started.
      expect(result.density).toBeCloseTo(density, 12);
      expect(run.log[0]?.density).toBeCloseTo(density, 12);
    }
  });

  /** One training-mode loss of a fresh seed-2 model with these bottleneck settings on fixed inputs. */
  const firstLoss = (bottleneck: SparlingModelOverrides['bottleneck'], check?: (model: SparlingModel) => void): number => {
    const x = tf.randomUniform([4, ...domain.inputShape], 0, 1, 'float32', 1);
    const labels = [['1', '2', '3'], ['4', '5', '6'], ['7', '8', '9'], ['0', '1', '2']];
    const model = new SparlingModel(withOverrides(base, { bottleneck }), { seed: 2 });
    check?.(model);
    model.setTrainingStep(0);
    const loss = model.loss(x, labels, true);
    const value = loss.dataSync()[0] as number;
    tf.dispose([loss, x]);
    model.dispose();
    return value;
  };

  it.each(['l1', 'kl'] as const)('the %s auxiliary loss is part of the loss: lambda > 0 adds to it', (kind) => {
    const without = firstLoss({ kind, lambda: 0 });
    const weighted = firstLoss({ kind, lambda: 10 });
    expect(Number.isFinite(without)).toBe(true);
    expect(weighted).toBeGreaterThan(without);
  });

  it("the KL target density reaches the loss; without one it is the reference's 5.022621e-05", () => {
    const lossWith = (lambda: number, targetDensity?: number) =>
      firstLoss({ kind: 'kl', lambda, ...(targetDensity === undefined ? {} : { targetDensity }) }, (model) => expect(model.bottleneck.targetDensity).toBe(targetDensity ?? 5.022621e-5));
    const without = lossWith(0);
    // Batch norm centres the logits, so the mean sigmoid starts near 0.5: a 0.5 target costs
    // almost nothing, the reference's far lower one a lot.
    const farTarget = lossWith(10) - without;
    const nearTarget = lossWith(10, 0.5) - without;
    expect(farTarget).toBeGreaterThan(1);
    expect(Math.abs(nearTarget)).toBeLessThan(0.05 * farTarget);
    expect(() => new SparlingModel(withOverrides(base, { bottleneck: { kind: 'kl', lambda: 1, targetDensity: 1 } }))).toThrow(/config\.bottleneck\.targetDensity.*between 0 and 1.*received 1/);
    expect(() => new SparlingModel(withOverrides(base, { bottleneck: { kind: 'l1', lambda: 1, targetDensity: 0.1 } }))).toThrow(/config\.bottleneck\.targetDensity.*absent for the 'l1' bottleneck.*received 0\.1/);
  });
});
