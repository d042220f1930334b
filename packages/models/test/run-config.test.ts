import { describe, expect, it } from 'vitest';
import { runConfigDifference, type RunConfig } from '../src/index.js';
import { tinyConfig } from './model-helpers.js';

const base: RunConfig = {
  version: 1,
  domain: { name: 'digit-circle', options: { size: 32 } },
  model: tinyConfig(),
  training: {
    batchSize: 16, learningRate: 1e-3, validateEvery: 32, validationItems: 8, validationSeed: -1, validationMaxLength: 6, maxSamples: 64,
    annealer: { initialTarget: 1, minTarget: 0, maxTarget: 1, targetDecreasePerSample: 1e-7, densityMultiplier: 0.75 },
    stopAtDensity: 1,
  },
  seed: 1,
};

describe('runConfigDifference', () => {
  it('is null for the same settings, whatever the preset name or version says', () => {
    expect(runConfigDifference(base, structuredClone(base))).toBeNull();
    expect(runConfigDifference({ ...base, preset: 'cpu' }, base)).toBeNull();
  });

  it('ignores the replica count, so a run resumes under any count', () => {
    expect(runConfigDifference({ ...base, replicas: 2 }, base)).toBeNull();
    expect(runConfigDifference(base, { ...base, replicas: 2 })).toBeNull();
  });

  it('names the first setting that differs', () => {
    expect(runConfigDifference(base, { ...base, domain: { name: 'digit-circle', options: { size: 48 } } })).toBe('domain');
    expect(runConfigDifference(base, { ...base, model: { ...base.model, maxLength: 9 } })).toBe('model');
    expect(runConfigDifference(base, { ...base, training: { ...base.training, batchSize: 8 } })).toBe('training');
    expect(runConfigDifference(base, { ...base, seed: 2 })).toBe('seed');
    expect(runConfigDifference(base, { ...base, seed: 2, training: { ...base.training, batchSize: 8 } })).toBe('training');
  });

  it('compares retraining by source and density only', () => {
    const retrain = { source: 'runs/a', density: 0.01 };
    expect(runConfigDifference({ ...base, retrain }, base)).toBe('retrain');
    expect(runConfigDifference(base, { ...base, retrain })).toBe('retrain');
    expect(runConfigDifference({ ...base, retrain }, { ...base, retrain: { ...retrain, density: 0.02 } })).toBe('retrain');
    expect(runConfigDifference({ ...base, retrain }, { ...base, retrain: { ...retrain } })).toBeNull();
  });
});
