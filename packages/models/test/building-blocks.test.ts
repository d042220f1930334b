import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';

import {
  BidirectionalLstm,
  causalMask,
  dropout,
  DropoutSeeds,
  keyPaddingMask,
  LayerNorm,
  MultiHeadAttention,
  ParameterStore,
  sinusoidalEncoding,
  TransformerDecoder,
} from '../src/index.js';
import { maxAbsDiff, useWasm } from './model-helpers.js';

beforeAll(useWasm);

describe('sinusoidalEncoding', () => {
  it('is sin on even and cos on odd dimensions with base 10000', () => {
    const pe = sinusoidalEncoding(3, 4).arraySync();
    expect(pe[0]).toEqual([0, 1, 0, 1]);
    const row = pe[2] as number[];
    expect(maxAbsDiff(row, [Math.sin(2), Math.cos(2), Math.sin(0.02), Math.cos(0.02)])).toBeLessThan(1e-6);
  });
});

describe('MultiHeadAttention', () => {
  it('with a causal mask, changing position t+1 leaves outputs 0..t unchanged', () => {
    const store = new ParameterStore(3);
    const attention = new MultiHeadAttention(store, 'att', 8, 2, 0);
    const x = tf.randomNormal([2, 5, 8], 0, 1, 'float32', 1);
    const changed = tf.concat([tf.slice(x, [0, 0, 0], [2, 3, 8]), tf.randomNormal([2, 2, 8], 0, 1, 'float32', 2)], 1);
    const a = attention.apply(x, x, { mask: causalMask(5) }).arraySync();
    const b = attention.apply(changed, changed, { mask: causalMask(5) }).arraySync();
    for (let batch = 0; batch < 2; batch += 1) {
      for (let t = 0; t < 3; t += 1) expect(b[batch]?.[t]).toEqual(a[batch]?.[t]);
      expect(maxAbsDiff(b[batch]?.[3] as number[], a[batch]?.[3] as number[])).toBeGreaterThan(1e-4);
    }
    store.dispose();
  });

  it('ignores padded keys', () => {
    const store = new ParameterStore(4);
    const attention = new MultiHeadAttention(store, 'att', 8, 4, 0);
    const q = tf.randomNormal([1, 2, 8], 0, 1, 'float32', 1);
    const m = tf.randomNormal([1, 4, 8], 0, 1, 'float32', 2);
    const m2 = tf.concat([tf.slice(m, [0, 0, 0], [1, 2, 8]), tf.randomNormal([1, 2, 8], 0, 5, 'float32', 3)], 1);
    const mask = keyPaddingMask([[false, false, true, true]]);
    expect(attention.apply(q, m2, { mask }).arraySync()).toEqual(attention.apply(q, m, { mask }).arraySync());
    store.dispose();
  });

  it('rejects a head count that does not divide the width', () => {
    expect(() => new MultiHeadAttention(new ParameterStore(), 'att', 10, 3, 0)).toThrow(/"heads".*received 3/);
  });
});

describe('TransformerDecoder', () => {
  it('is causal: a future token cannot change an earlier output', () => {
    const store = new ParameterStore(5);
    const decoder = new TransformerDecoder(store, 'dec', 2, { dim: 8, heads: 2, feedForward: 16, dropout: 0 });
    const memory = tf.randomNormal([1, 3, 8], 0, 1, 'float32', 1);
    const y = tf.randomNormal([1, 4, 8], 0, 1, 'float32', 2);
    const y2 = tf.concat([tf.slice(y, [0, 0, 0], [1, 2, 8]), tf.randomNormal([1, 2, 8], 0, 1, 'float32', 3)], 1);
    const a = (decoder.apply(y, memory, false, causalMask(4)).arraySync() as number[][][])[0] as number[][];
    const b = (decoder.apply(y2, memory, false, causalMask(4)).arraySync() as number[][][])[0] as number[][];
    expect(b.slice(0, 2)).toEqual(a.slice(0, 2));
    expect(maxAbsDiff(b[2] as number[], a[2] as number[])).toBeGreaterThan(1e-4);
    store.dispose();
  });
});

describe('DropoutSeeds and dropout', () => {
  const draw = (seed: number, count: number) => {
    const seeds = new DropoutSeeds(seed);
    return Array.from({ length: count }, () => seeds.next());
  };

  it('streams the same 32-bit integer seeds for the same seed, others for another', () => {
    const a = draw(42, 8);
    expect(draw(42, 8)).toEqual(a);
    expect(draw(43, 8)).not.toEqual(a);
    expect(new Set(a).size).toBe(8);
    a.forEach((seed) => {
      expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
    });
  });

  it('is the identity in inference mode or at rate 0, and seeded in training', () => {
    const x = tf.ones([4, 64]);
    expect(dropout(x, 0.5, false, new DropoutSeeds(1))).toBe(x);
    expect(dropout(x, 0.5, false)).toBe(x);
    expect(dropout(x, 0, true, new DropoutSeeds(1))).toBe(x);
    const mask = (seed: number) => dropout(x, 0.5, true, new DropoutSeeds(seed)).arraySync() as number[][];
    const a = mask(7);
    expect(mask(7)).toEqual(a);
    expect(mask(8)).not.toEqual(a);
    expect(a.flat().filter((v) => v === 0).length).toBeGreaterThan(0);
    // Without seeds, training-mode dropout still drops (tf.dropout's own randomness).
    expect((dropout(x, 0.5, true).arraySync() as number[][]).flat().filter((v) => v === 0).length).toBeGreaterThan(0);
  });

  it('makes a Transformer decoder pass a function of its seed stream, without Math.random', () => {
    const store = new ParameterStore(5);
    const decoder = new TransformerDecoder(store, 'dec', 2, { dim: 8, heads: 2, feedForward: 16, dropout: 0.3 });
    const y = tf.randomNormal([2, 4, 8], 0, 1, 'float32', 1);
    const memory = tf.randomNormal([2, 3, 8], 0, 1, 'float32', 2);
    const spy = vi.spyOn(Math, 'random');
    const run = (seed: number) => decoder.apply(y, memory, true, causalMask(4), new DropoutSeeds(seed)).arraySync();
    const a = run(3);
    expect(run(3)).toEqual(a);
    expect(run(4)).not.toEqual(a);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});

describe('LayerNorm', () => {
  it('normalises the last axis to mean 0 and variance 1 at initialisation', () => {
    const store = new ParameterStore();
    const y = new LayerNorm(store, 'ln', 6).apply(tf.tensor2d([[1, 2, 3, 4, 5, 6]]));
    const { mean, variance } = tf.moments(y, -1);
    expect(Math.abs(mean.dataSync()[0] as number)).toBeLessThan(1e-6);
    expect(variance.dataSync()[0]).toBeCloseTo(1, 4);
    store.dispose();
  });
});

describe('BidirectionalLstm', () => {
  it('runs forward states left to right and backward states right to left', () => {
    const store = new ParameterStore(6);
    const lstm = new BidirectionalLstm(store, 'lstm', 4, 3);
    const x = tf.randomNormal([2, 5, 4], 0, 1, 'float32', 1) as tf.Tensor3D;
    const x2 = tf.concat([tf.slice(x, [0, 0, 0], [2, 4, 4]), tf.randomNormal([2, 1, 4], 0, 1, 'float32', 2)], 1) as tf.Tensor3D;
    const a = lstm.apply(x);
    const b = lstm.apply(x2);
    expect(a.shape).toEqual([2, 5, 6]);
    // Changing the last step: forward states before it are unchanged, backward states all change.
    expect(tf.slice(b, [0, 0, 0], [2, 4, 3]).arraySync()).toEqual(tf.slice(a, [0, 0, 0], [2, 4, 3]).arraySync());
    expect(maxAbsDiff(tf.slice(b, [0, 0, 3], [2, 1, 3]).dataSync(), tf.slice(a, [0, 0, 3], [2, 1, 3]).dataSync())).toBeGreaterThan(1e-6);
    store.dispose();
  });
});

describe('ParameterStore', () => {
  it('gives the same weights for the same seed and name, and rejects duplicate names', () => {
    const a = new ParameterStore(7);
    const b = new ParameterStore(7);
    const c = new ParameterStore(8);
    const shape = [3, 4];
    const init = { kind: 'uniform', bound: 1 } as const;
    const wa = a.variable('w', shape, init).arraySync();
    expect(b.variable('w', shape, init).arraySync()).toEqual(wa);
    expect(c.variable('w', shape, init).arraySync()).not.toEqual(wa);
    expect(a.variable('v', shape, init).arraySync()).not.toEqual(wa);
    expect(() => a.variable('w', shape, init)).toThrow(/"w"/);
    for (const s of [a, b, c]) s.dispose();
  });
});
