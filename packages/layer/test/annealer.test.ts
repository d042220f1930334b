import { describe, expect, it } from 'vitest';

import { DensityAnnealer, type DensityAnnealerOptions } from '../src/index.js';
import { errorMessage } from './helpers.js';

/** The reference tests' constructor arguments, in our names. */
function suo(o: {
  initial: number;
  min: number;
  max: number;
  decrease: number;
  interval: number;
  multiplier: number;
  sparsity?: number;
}): DensityAnnealer {
  const options: DensityAnnealerOptions = {
    initialTarget: o.initial,
    minTarget: o.min,
    maxTarget: o.max,
    targetDecreasePerSample: o.decrease,
    minUpdateInterval: o.interval,
    densityMultiplier: o.multiplier,
    sparsity: o.sparsity ?? 0.5,
    initialSamples: 0,
  };
  return new DensityAnnealer(options);
}

describe('DensityAnnealer — reference test_sparsity_updater.py trajectories', () => {
  it('test_same_threshold: fixed target 0.8, multiplier 0.1, min interval 10', () => {
    const a = suo({ initial: 0.8, min: 0.8, max: 0.8, decrease: 1e-5, interval: 10, multiplier: 0.1 });
    expect(a.sparsity).toBe(0.5);
    expect(a.update(100, 0.9)).toMatchObject({ reduced: true, processed: true });
    expect(a.sparsity).toBe(0.95);
    expect(a.update(200, 0.7).reduced).toBe(false);
    expect(a.sparsity).toBe(0.95);
    a.update(300, 0.9);
    expect(a.sparsity).toBe(0.995);
    expect(a.update(305, 0.9)).toMatchObject({ reduced: false, processed: false }); // ignored
    expect(a.sparsity).toBe(0.995);
    expect(a.lastSamples).toBe(300);
    a.update(311, 0.9);
    expect(a.sparsity).toBe(0.9995);
    expect(a.density).toBe(1 - 0.9995);
  });

  it('test_updating_threshold: decreasing 0.01/sample from 0.9 with floor 0.8, ratchet', () => {
    const a = suo({ initial: 0.9, min: 0.8, max: 0.9, decrease: 0.01, interval: 0, multiplier: 0.1 });
    a.update(3, 0.89); // 89% > 87%
    expect(a.sparsity).toBe(0.95);
    expect(a.target).toBe(0.89);
    a.update(4, 0.875); // target 0.88 > 0.875
    expect(a.sparsity).toBe(0.95);
    expect(a.target).toBe(0.89 - 0.01);
    a.update(100, 0.79); // clamped to 0.8
    expect(a.sparsity).toBe(0.95);
    expect(a.target).toBe(0.8);
    a.update(101, 0.83); // 0.83 > 0.8
    expect(a.sparsity).toBe(0.995);
    expect(a.target).toBe(0.83);
    a.update(102, 0.819); // target 0.82
    expect(a.sparsity).toBe(0.995);
  });

  it('below threshold: no update; above threshold: density halves (multiplier 0.5)', () => {
    const below = suo({ initial: 0.9, min: 0, max: 1, decrease: 0, interval: 0, multiplier: 0.5 });
    below.update(1, 0.8);
    expect(below.sparsity).toBe(0.5);
    const above = suo({ initial: 0.5, min: 0, max: 1, decrease: 0, interval: 0, multiplier: 0.5 });
    expect(above.update(1, 0.6)).toEqual({ density: 0.25, sparsity: 0.75, target: 0.6, reduced: true, processed: true });
  });

  it('minimal update interval enforced relative to initialSamples', () => {
    const a = suo({ initial: 0, min: 0, max: 1, decrease: 0, interval: 10, multiplier: 0.5 });
    a.update(5, 0.9);
    expect(a.sparsity).toBe(0.5);
    a.update(10, 0.9);
    expect(a.sparsity).not.toBe(0.5);
  });

  it('target decreases over time, is clamped to min and to max before comparing', () => {
    const decay = suo({ initial: 0.9, min: 0, max: 1, decrease: 0.01, interval: 0, multiplier: 0.5 });
    expect(decay.update(50, 0.5).reduced).toBe(true); // 0.9 − 0.5 = 0.4 < 0.5
    const floor = suo({ initial: 0.9, min: 0.8, max: 1, decrease: 0.1, interval: 0, multiplier: 0.5 });
    expect(floor.update(100, 0.85)).toMatchObject({ reduced: true, target: 0.85 });
    const ceiling = suo({ initial: 0.5, min: 0, max: 0.6, decrease: -0.1, interval: 0, multiplier: 0.5 });
    expect(ceiling.update(100, 0.7)).toMatchObject({ reduced: true, target: 0.7 });
  });

  it('ratchet: after acc 0.8 the target is 0.8 and 0.7 does not reduce', () => {
    const a = suo({ initial: 0.5, min: 0, max: 1, decrease: 0, interval: 0, multiplier: 0.9, sparsity: 0 });
    expect(a.update(1, 0.8).target).toBe(0.8);
    expect(a.update(2, 0.7).reduced).toBe(false);
  });
});

describe('DensityAnnealer — spec §2.6 worked example (paper defaults) and §12.4 details', () => {
  it('0.5 → 0.375 at 20k (acc 0.999), holds at 40k (0.996), → 0.28125 at 60k (0.9952)', () => {
    const a = new DensityAnnealer();
    const first = a.update(20_000, 0.999);
    expect(first).toEqual({ density: 0.375, sparsity: 0.625, target: 0.999, reduced: true, processed: true });
    const second = a.update(40_000, 0.996);
    expect(second.reduced).toBe(false);
    expect(second.density).toBe(0.375);
    expect(second.target).toBe(0.999 - 1e-7 * 20_000);
    expect(second.target).toBeCloseTo(0.997, 12);
    const third = a.update(60_000, 0.9952);
    expect(third.reduced).toBe(true);
    expect(third.density).toBe(0.28125);
    expect(third.target).toBe(0.9952);
  });

  it('the first check at 20k compares against 0.998', () => {
    expect(new DensityAnnealer().update(20_000, 0.998).reduced).toBe(false); // strict >
    expect(new DensityAnnealer().update(20_000, 0.99800001).reduced).toBe(true);
  });

  it('the ratchet can lift the target above maxTarget; the next call clamps it before comparing', () => {
    const a = new DensityAnnealer({ initialTarget: 0.5, maxTarget: 0.6, targetDecreasePerSample: 0 });
    expect(a.update(1, 0.9)).toMatchObject({ reduced: true, target: 0.9 });
    expect(a.update(2, 0.65)).toMatchObject({ reduced: true, target: 0.65 }); // 0.9 clamped to 0.6 first
  });

  it('a call at the same sample count is processed when minUpdateInterval is 0', () => {
    const a = new DensityAnnealer({ initialTarget: 0.5, targetDecreasePerSample: 0 });
    expect(a.update(0, 0.6)).toMatchObject({ processed: true, reduced: true });
    expect(a.update(0, 0.7)).toMatchObject({ processed: true, reduced: true });
  });

  it('initialSamples is the reference initial_step', () => {
    const a = new DensityAnnealer({ initialSamples: 1_000_000 });
    expect(a.update(1_020_000, 0.9985).target).toBe(0.9985); // 1 − 0.002 = 0.998 < 0.9985
    expect(errorMessage(() => a.update(999_999, 1))).toMatch(/samplesSeen.*>= the last processed sample count \(1020000\); received 999999/);
  });

  it('reproduces 32 reductions to the DigitCircle bar exactly', () => {
    const a = new DensityAnnealer({ targetDecreasePerSample: 0, initialTarget: 0 });
    for (let i = 1; i <= 32; i++) a.update(i * 20_000, 1e-9 * i);
    expect(a.sparsity).toBe(0.9999497737871397);
    expect(a.density).toBe(5.0226212860327024e-5);
  });
});

describe('DensityAnnealer — state and options', () => {
  it('serialises to JSON and restores, continuing identically', () => {
    const a = new DensityAnnealer({ minUpdateInterval: 5, densityMultiplier: 0.5 });
    a.update(20_000, 0.999);
    a.update(40_000, 0.99);
    const restored = DensityAnnealer.fromJSON(JSON.parse(JSON.stringify(a)));
    expect(restored.toJSON()).toEqual(a.toJSON());
    for (const [samples, acc] of [[40_003, 1], [60_000, 0.9975], [80_000, 0.9999]] as const) {
      expect(restored.update(samples, acc)).toEqual(a.update(samples, acc));
    }
    expect(restored.sparsity).toBe(a.sparsity);
  });

  it('reports the density option as given until the first reduction', () => {
    const a = new DensityAnnealer({ density: 0.2, initialTarget: 0 });
    expect([a.density, a.sparsity]).toEqual([0.2, 0.8]);
    expect(DensityAnnealer.fromJSON(a.toJSON()).density).toBe(0.2);
    expect(a.update(1, 0.5).density).toBe(1 - (1 - (1 - 0.8) * 0.75)); // 1 − s′, s′ = 1 − (1 − s)·0.75
  });

  it('has the paper defaults', () => {
    expect(new DensityAnnealer().toJSON()).toEqual({
      version: 1,
      initialTarget: 1,
      minTarget: 0,
      maxTarget: 1,
      targetDecreasePerSample: 1e-7,
      minUpdateInterval: 0,
      densityMultiplier: 0.75,
      density: 0.5,
      sparsity: 0.5,
      target: 1,
      lastSamples: 0,
    });
  });

  it.each([
    [{ densityMultiplier: 0 }, /option "densityMultiplier" must be a number with 0 < value <= 1; received 0/],
    [{ densityMultiplier: 1.5 }, /option "densityMultiplier".*received 1\.5/],
    [{ density: 0 }, /DensityAnnealer: option "density".*received 0/],
    [{ minTarget: 0.9, maxTarget: 0.8 }, /option "maxTarget" must be >= minTarget \(0\.9\); received 0\.8/],
    [{ initialTarget: Number.NaN }, /option "initialTarget" must be a finite number; received NaN/],
    [{ minUpdateInterval: -1 }, /option "minUpdateInterval".*received -1/],
    [{ initialSamples: -5 }, /option "initialSamples".*received -5/],
  ])('rejects %o naming the option', (options, message) => {
    expect(errorMessage(() => new DensityAnnealer(options))).toMatch(message);
  });

  it('rejects NaN accuracy and non-finite sample counts', () => {
    const a = new DensityAnnealer();
    expect(errorMessage(() => a.update(10, Number.NaN))).toMatch(/argument "accuracy" must be a number \(not NaN\); received NaN/);
    expect(errorMessage(() => a.update(Number.POSITIVE_INFINITY, 1))).toMatch(/argument "samplesSeen" must be a finite number; received Infinity/);
    expect(errorMessage(() => DensityAnnealer.fromJSON({} as never))).toMatch(/fromJSON: argument "state"/);
  });
});
