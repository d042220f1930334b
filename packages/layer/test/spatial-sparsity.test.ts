import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { SpatialSparsity, type SpatialSparsityOptions } from '../src/index.js';
import {
  bruteKth,
  channelZeroFractions,
  linspace,
  normal,
  NORMAL_QUANTILE,
  normalMatrix,
  zeroFraction,
} from './helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CHANNELS = 32;
const NUM_BATCHES = 100;
const TOLERANCE = 0.03;

/** Applies the layer to a float32 array and returns the output values (tensors disposed). */
function run(layer: SpatialSparsity, values: Float32Array, shape: number[], training: boolean): Float32Array {
  const x = tf.tensor(values, shape, 'float32');
  const y = layer.apply(x, { training }) as tf.Tensor;
  const out = y.dataSync() as Float32Array;
  tf.dispose([x, y]);
  return out;
}

/** Reference test `_calibrate`: 100 train batches of N(mean, 1) data of shape [rows..., C]. */
function calibrate(
  options: SpatialSparsityOptions,
  shape: number[] = [500, CHANNELS],
  means?: ArrayLike<number>,
  numBatches = NUM_BATCHES,
): SpatialSparsity {
  const rng = normal(0);
  const layer = new SpatialSparsity({ momentum: 0.1, ...options });
  const channels = shape[shape.length - 1] as number;
  const rows = shape.reduce((a, b) => a * b, 1) / channels;
  for (let i = 0; i < numBatches; i++) {
    tf.tidy(() => {
      layer.apply(tf.tensor(normalMatrix(rng, rows, channels, means), shape), { training: true });
    });
  }
  return layer;
}

function evalOn(layer: SpatialSparsity, shape: number[], seed = 99, means?: ArrayLike<number>): tf.Tensor {
  const channels = shape[shape.length - 1] as number;
  const rows = shape.reduce((a, b) => a * b, 1) / channels;
  return tf.tidy(() => layer.apply(tf.tensor(normalMatrix(normal(seed), rows, channels, means), shape)) as tf.Tensor);
}

function expectPerChannel(out: tf.Tensor, targetSparsity: number, tolerance = TOLERANCE): void {
  const fractions = channelZeroFractions(out);
  fractions.forEach((f, c) => {
    expect(Math.abs(f - targetSparsity), `channel ${c}: ${f.toFixed(3)}`).toBeLessThanOrEqual(tolerance);
  });
}

describe('SpatialSparsity — spec §1.8 worked example', () => {
  const X = new Float32Array([0.1, -0.5, 2.0, 0.3, 1.5, -1.0, 0.0, 0.7]);

  it('momentum 0.1: t = 0.07000000029802322 (float32 EMA), 5 survivors', () => {
    const layer = new SpatialSparsity({ density: 0.25 });
    const out = run(layer, X, [8, 1], true);
    expect(layer.getThresholds()[0]).toBe(0.07000000029802322);
    const t = Math.fround(0.07000000029802322);
    expect(Array.from(out)).toEqual(Array.from(X, (v) => Math.max(Math.fround(v - t), 0)));
    expect(out[0]).toBeCloseTo(0.03, 6);
    expect(out[2]).toBeCloseTo(1.93, 6);
    expect(Array.from(out).filter((v) => v > 0).length).toBe(5);
  });

  it('momentum 1: t = 0.7, output [0,0,1.3,0,0.8,0,0,0]; eval mode gives the same and keeps t', () => {
    const layer = new SpatialSparsity({ density: 0.25, momentum: 1 });
    const trained = run(layer, X, [8, 1], true);
    const t = Math.fround(0.7);
    expect(layer.getThresholds()[0]).toBe(t);
    const expected = [0, 0, Math.fround(Math.fround(2) - t), 0, Math.fround(Math.fround(1.5) - t), 0, 0, 0];
    expect(Array.from(trained)).toEqual(expected);
    expect(expected[2]).toBeCloseTo(1.3, 6);
    const evaluated = run(layer, X, [8, 1], false);
    expect(Array.from(evaluated)).toEqual(expected);
    expect(layer.getThresholds()[0]).toBe(t);
  });

  it('thresholds start at 0 and a fresh layer in eval mode is ReLU', () => {
    const layer = new SpatialSparsity();
    const out = run(layer, X, [4, 2], false);
    expect(Array.from(layer.getThresholds())).toEqual([0, 0]);
    expect(Array.from(out)).toEqual(Array.from(X, (v) => Math.max(v, 0)));
  });
});

describe('SpatialSparsity — bit-exact thresholds', () => {
  it('matches an independent float32 simulation of the reference over 30 batches, per channel and global', () => {
    for (const mode of ['per-channel', 'global'] as const) {
      const channels = 3;
      const rows = 37;
      let sparsity = 0.5;
      const layer = new SpatialSparsity({ sparsity, mode });
      const size = mode === 'global' ? 1 : channels;
      const t = new Array<number>(size).fill(0);
      const rng = normal(7);
      for (let step = 0; step < 30; step++) {
        if (step % 5 === 4) {
          sparsity = 1 - (1 - sparsity) * 0.75; // what the annealer does
          layer.sparsity = sparsity;
        }
        const x = normalMatrix(rng, rows, channels);
        const out = run(layer, x, [rows, channels], true);
        const n = mode === 'global' ? rows * channels : rows;
        const k = Math.max(1, Math.floor(n * sparsity));
        for (let c = 0; c < size; c++) {
          const column = mode === 'global' ? Array.from(x) : Array.from(x).filter((_, i) => i % channels === c);
          const q = bruteKth(column, k);
          t[c] = Math.fround(Math.fround((t[c] as number) * Math.fround(0.9)) + Math.fround(q * Math.fround(0.1)));
        }
        expect(Array.from(layer.getThresholds())).toEqual(t);
        const expected = Array.from(x, (v, i) => Math.max(0, Math.fround(v - (t[size === 1 ? 0 : i % channels] as number))));
        expect(Array.from(out)).toEqual(expected);
      }
    }
  });
});

describe('SpatialSparsity — reference calibration tests (spec §10.1)', () => {
  for (const [sparsity, rows] of [
    [0.3, 5000],
    [0.5, 5000],
    [0.7, 5000],
    [0.8, 5000],
    [0.9, 5000],
    [0.95, 10000],
  ] as const) {
    it(`per-channel zero fraction within ±0.03 of sparsity ${sparsity}`, () => {
      const layer = calibrate({ sparsity });
      const out = evalOn(layer, [rows, CHANNELS]);
      expectPerChannel(out, sparsity);
      out.dispose();
    });
  }

  it('thresholds within ±0.1 of the normal quantile Φ⁻¹(s) for s = 0.3, 0.5, 0.7, 0.9', () => {
    for (const sparsity of [0.3, 0.5, 0.7, 0.9]) {
      const expected = NORMAL_QUANTILE[String(sparsity)] as number;
      const thresholds = calibrate({ sparsity }).getThresholds();
      thresholds.forEach((t, c) => expect(Math.abs(t - expected), `s=${sparsity} channel ${c}`).toBeLessThanOrEqual(0.1));
    }
  });

  it('heterogeneous means N(μ_c, 1), μ = linspace(-2, 2): thresholds ≈ μ_c and per-channel 0.5 ± 0.03', () => {
    const means = linspace(-2, 2, CHANNELS);
    const layer = calibrate({ sparsity: 0.5 }, [500, CHANNELS], means);
    layer.getThresholds().forEach((t, c) => expect(Math.abs(t - (means[c] as number))).toBeLessThanOrEqual(0.1));
    const out = evalOn(layer, [5000, CHANNELS], 99, means);
    expectPerChannel(out, 0.5);
    out.dispose();
  });

  it('eval mode freezes thresholds, even on wildly different data', () => {
    const layer = calibrate({ sparsity: 0.5 });
    const before = layer.getThresholds();
    const x = tf.mul(tf.randomNormal([5000, CHANNELS], 0, 1, 'float32', 3), 100);
    tf.dispose([layer.apply(x) as tf.Tensor, layer.apply(x, { training: false }) as tf.Tensor, x]);
    expect(layer.getThresholds()).toEqual(before);
  });

  it('disableRelu keeps negatives; the ReLU output has ≥ 0.2 more zeros', () => {
    const layer = calibrate({ sparsity: 0.5 });
    const x = tf.tensor(normalMatrix(normal(99), 5000, CHANNELS), [5000, CHANNELS]);
    const raw = layer.apply(x, { disableRelu: true }) as tf.Tensor;
    const relu = layer.apply(x) as tf.Tensor;
    expect(tf.min(raw).dataSync()[0]).toBeLessThan(0);
    expect(zeroFraction(relu)).toBeGreaterThan(zeroFraction(raw) + 0.2);
    tf.dispose([x, raw, relu]);
  });

  it('higher sparsity zeros more', () => {
    const low = evalOn(calibrate({ sparsity: 0.3 }), [5000, CHANNELS]);
    const high = evalOn(calibrate({ sparsity: 0.9 }), [5000, CHANNELS]);
    expect(zeroFraction(high)).toBeGreaterThan(zeroFraction(low));
    tf.dispose([low, high]);
  });

  it('rank 4 input [16, 8, 8, 32] (the 2-D wrapper) hits 0.5 and 0.8 per channel; heterogeneous thresholds ≈ μ_c', () => {
    for (const sparsity of [0.5, 0.8]) {
      const out = evalOn(calibrate({ sparsity }, [16, 8, 8, CHANNELS]), [256, 8, 8, CHANNELS]);
      expectPerChannel(out, sparsity);
      out.dispose();
    }
    const means = linspace(-2, 2, CHANNELS);
    const layer = calibrate({ sparsity: 0.5 }, [16, 8, 8, CHANNELS], means);
    layer.getThresholds().forEach((t, c) => expect(Math.abs(t - (means[c] as number))).toBeLessThanOrEqual(0.1));
    const out = evalOn(layer, [256, 8, 8, CHANNELS], 99, means);
    expectPerChannel(out, 0.5);
    out.dispose();
  });

  it('rank 3 input [16, 64, 32] (the 1-D wrapper) hits 0.5 and 0.8 per channel', () => {
    for (const sparsity of [0.5, 0.8]) {
      const out = evalOn(calibrate({ sparsity }, [16, 64, CHANNELS]), [256, 64, CHANNELS]);
      expectPerChannel(out, sparsity);
      out.dispose();
    }
  });
});

describe('SpatialSparsity — global mode (ST, spec §1.4)', () => {
  it('one threshold; overall zero fraction within ±0.03 of 0.5 and 0.8 on [500, 32]', () => {
    for (const sparsity of [0.5, 0.8]) {
      const layer = calibrate({ sparsity, mode: 'global' });
      expect(layer.getThresholds().length).toBe(1);
      const out = evalOn(layer, [5000, CHANNELS]);
      expect(Math.abs(zeroFraction(out) - sparsity)).toBeLessThanOrEqual(TOLERANCE);
      out.dispose();
    }
  });

  it('works on 4-D input [16, 4, 4, 8] at 0.7 and its threshold ≈ Φ⁻¹(0.7)', () => {
    const layer = calibrate({ sparsity: 0.7, mode: 'global' }, [16, 4, 4, 8]);
    const out = evalOn(layer, [64, 4, 4, 8]);
    expect(Math.abs(zeroFraction(out) - 0.7)).toBeLessThanOrEqual(TOLERANCE);
    out.dispose();
    const t = calibrate({ sparsity: 0.7, mode: 'global' }).getThresholds()[0] as number;
    expect(Math.abs(t - (NORMAL_QUANTILE['0.7'] as number))).toBeLessThanOrEqual(0.1);
  });

  it('channels with different means get different densities (they only average to δ)', () => {
    const means = linspace(-2, 2, 8);
    const layer = calibrate({ sparsity: 0.5, mode: 'global' }, [500, 8], means);
    const out = evalOn(layer, [5000, 8], 99, means);
    const fractions = channelZeroFractions(out);
    expect(fractions[0]).toBeGreaterThan(0.9);
    expect(fractions[7]).toBeLessThan(0.1);
    out.dispose();
  });
});

describe('SpatialSparsity — accumulation (spec §1.3, §12.3)', () => {
  it('threshold stays 0 until the trigger is reached (momentum 1, 500 < 2000 rows), then one update on all rows', () => {
    // 2000 rows at density 0.5 = 1000 expected survivors per channel.
    const layer = new SpatialSparsity({ sparsity: 0.5, momentum: 1, accumulate: 1000 });
    const rng = normal(1);
    const batches: Float32Array[] = [];
    for (let i = 0; i < 3; i++) {
      batches.push(normalMatrix(rng, 500, CHANNELS));
      run(layer, batches[i] as Float32Array, [500, CHANNELS], true);
      expect(Array.from(layer.getThresholds())).toEqual(new Array(CHANNELS).fill(0));
      expect(layer.bufferedRows).toBe(500 * (i + 1));
    }
    batches.push(normalMatrix(rng, 500, CHANNELS));
    run(layer, batches[3] as Float32Array, [500, CHANNELS], true);
    expect(layer.bufferedRows).toBe(0);
    const all = batches.flatMap((b) => Array.from(b));
    const thresholds = layer.getThresholds();
    for (let c = 0; c < CHANNELS; c++) {
      expect(thresholds[c]).toBe(bruteKth(all.filter((_, i) => i % CHANNELS === c), 1000));
    }
  });

  it('the buffer survives a density change and the update uses the new density', () => {
    const layer = new SpatialSparsity({ sparsity: 0.5, momentum: 1, accumulate: 10 });
    const rng = normal(2);
    const a = normalMatrix(rng, 12, 1);
    run(layer, a, [12, 1], true); // 12 · 0.5 = 6 < 10
    expect(layer.bufferedRows).toBe(12);
    layer.sparsity = 0.75; // density 0.25
    const b = normalMatrix(rng, 28, 1);
    run(layer, b, [28, 1], true); // 40 · 0.25 = 10 >= 10
    expect(layer.bufferedRows).toBe(0);
    expect(layer.getThresholds()[0]).toBe(bruteKth([...a, ...b], 30));
  });

  it('in global mode rows are all values (a single column)', () => {
    const layer = new SpatialSparsity({ sparsity: 0.5, mode: 'global', momentum: 1, accumulate: 10 });
    run(layer, normalMatrix(normal(3), 4, 4), [4, 4], true); // 16 values · 0.5 = 8 < 10
    expect(layer.bufferedRows).toBe(16);
    run(layer, normalMatrix(normal(4), 1, 4), [1, 4], true); // 20 · 0.5 = 10
    expect(layer.bufferedRows).toBe(0);
    expect(layer.getThresholds()[0]).not.toBe(0);
  });

  it('s = 0.999, a 2000-row trigger (2 survivors): threshold within ±0.3 of Φ⁻¹(0.999), overall sparsity in (0.9985, 0.9995)', () => {
    // The reference runs 10,000 batches of 500 rows (2,500 updates); 2,000 batches give 500
    // updates, far more than the EMA (momentum 0.1) needs to forget its start at 0.
    const sparsity = 0.999;
    const accumulate = 2000 * (1 - sparsity);
    const layer = calibrate({ sparsity, accumulate }, [500, CHANNELS], undefined, 2000);
    const expected = NORMAL_QUANTILE['0.999'] as number;
    layer.getThresholds().forEach((t, c) => expect(Math.abs(t - expected), `channel ${c}`).toBeLessThanOrEqual(0.3));
    const out = evalOn(layer, [10000, CHANNELS]);
    const overall = zeroFraction(out);
    expect(overall).toBeGreaterThan(0.9985);
    expect(overall).toBeLessThan(0.9995);
    out.dispose();
  });

  it('heterogeneous means with a 500-row trigger: per-channel 0.5 ± 0.03 and thresholds within ±0.15 of μ_c', () => {
    const means = linspace(-2, 2, CHANNELS);
    const layer = calibrate({ sparsity: 0.5, accumulate: 250 }, [500, CHANNELS], means);
    layer.getThresholds().forEach((t, c) => expect(Math.abs(t - (means[c] as number))).toBeLessThanOrEqual(0.15));
    const out = evalOn(layer, [10000, CHANNELS], 99, means);
    expectPerChannel(out, 0.5);
    out.dispose();
  });

  for (const sparsity of [0.5, 0.8, 0.95]) {
    it(`2000-row trigger: per-channel zero fraction within ±0.03 of ${sparsity}`, () => {
      const layer = calibrate({ sparsity, accumulate: 2000 * (1 - sparsity) });
      const out = evalOn(layer, [sparsity === 0.95 ? 10000 : 5000, CHANNELS]);
      expectPerChannel(out, sparsity);
      out.dispose();
    });
  }
});
