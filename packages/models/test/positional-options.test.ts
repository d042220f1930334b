import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { centroidDirections, gridCoordinates, gridEncoding, ParameterStore, polarCoordinates, PostSparseModel, SparlingModel, withOverrides } from '../src/index.js';
import type { PostSparseConfig } from '../src/index.js';
import { maxAbsDiff, randomInputs, tinyConfig, useWasm } from './model-helpers.js';

beforeAll(useWasm);

const post: PostSparseConfig = { width: 8, pool: 2, rowLstm: false, heads: 2, encoderLayers: 1, decoderLayers: 1, feedForward: 16, dropout: 0 };

/** Four coordinate features are projected by a [4, width] kernel that gets a gradient in training. */
async function expectFourCoordinateFeaturesTrain(coordinates: 'polar' | 'centroid'): Promise<void> {
  const model = new SparlingModel(withOverrides(tinyConfig(), { post: { coordinates, rowLstm: false } }), { seed: 3 });
  expect((await model.getState()).find((e) => e.name === 'h/coordinates/kernel')?.shape).toEqual([4, 16]);
  const { value, grads } = tf.variableGrads(() => model.loss(randomInputs([2, 8, 8, 1]), [['a', 'b'], ['c']], true), model.trainableVariables());
  expect(Number.isFinite(value.dataSync()[0])).toBe(true);
  const kernel = model.trainableVariables().find((v) => v.shape.join() === '4,16');
  expect(tf.norm(grads[kernel!.name]!).dataSync()[0]).toBeGreaterThan(0);
  model.dispose();
}

describe('gridEncoding', () => {
  it('puts the row sinusoid in the first half of the channels and the column sinusoid in the second', () => {
    const pe = gridEncoding(2, 3, 4).arraySync();
    expect(pe).toHaveLength(2);
    expect(pe[0]).toHaveLength(3);
    expect(pe[0]![0]).toEqual([0, 1, 0, 1]);
    expect(maxAbsDiff(pe[1]![2]!, [Math.sin(1), Math.cos(1), Math.sin(2), Math.cos(2)])).toBeLessThan(1e-6);
    expect(maxAbsDiff(pe[0]![2]!, [0, 1, Math.sin(2), Math.cos(2)])).toBeLessThan(1e-6);
  });

  it('rejects an odd dimension', () => {
    expect(() => gridEncoding(2, 2, 3)).toThrow(/dim.*received 3/);
  });
});

describe('gridCoordinates', () => {
  it('gives centred, normalised cell centres in row-major order', () => {
    expect(gridCoordinates(2, 2, 2, 4, 4).arraySync()).toEqual([[-0.5, -0.5], [-0.5, 0.5], [0.5, -0.5], [0.5, 0.5]]);
    const c = gridCoordinates(12, 12, 4, 48, 48).arraySync();
    expect(c).toHaveLength(144);
    expect(c[0]![0]).toBeCloseTo(-0.9167, 4);
    expect(c[143]![1]).toBeCloseTo(0.9167, 4);
  });
});

describe('post.positionalEncoding and post.coordinates', () => {
  it('default to the row encoding without coordinates (the paper)', async () => {
    const store = new ParameterStore(1);
    const h = new PostSparseModel(store, post, 2, 3, 6);
    expect((await store.getState()).some((e) => e.name.startsWith('h/coordinates/'))).toBe(false);
    const explicit = new PostSparseModel(new ParameterStore(1), { ...post, positionalEncoding: 'row', coordinates: false }, 2, 3, 6);
    const x = randomInputs([2, 8, 8, 3]);
    expect(maxAbsDiff(h.encode(x as tf.Tensor4D, false).dataSync(), explicit.encode(x as tf.Tensor4D, false).dataSync())).toBe(0);
  });

  it("'2d' encodes the column: the memory depends on it even without the row LSTM", () => {
    const x = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
    for (const [encoding, differs] of [['row', false], ['2d', true]] as const) {
      const h = new PostSparseModel(new ParameterStore(1), { ...post, positionalEncoding: encoding }, 2, 3, 6);
      const memory = tf.reshape(h.encode(x, false), [4, 4, 8]).arraySync() as number[][][];
      // Row 0, columns 0 and 1: equal inputs, so only a column encoding can tell them apart.
      expect(maxAbsDiff(memory[0]![0]!, memory[0]![1]!) > 1e-4).toBe(differs);
    }
  });

  it('shapes and state names with both options on 48×48 motif maps', async () => {
    const config = { ...post, width: 16, pool: 4, rowLstm: true, positionalEncoding: '2d', coordinates: true } as const;
    const store = new ParameterStore(2);
    const h = new PostSparseModel(store, config, 2, 10, 12);
    const names = (await store.getState()).map((e) => e.name);
    expect(names).toContain('h/coordinates/kernel');
    expect(names).toContain('h/coordinates/bias');
    const memory = h.encode(randomInputs([2, 48, 48, 10]) as tf.Tensor4D, true);
    expect(memory.shape).toEqual([2, 144, 16]);
    expect(h.decode(tf.tensor2d([[0, 5], [0, 3]], [2, 2], 'int32'), memory, false).shape).toEqual([2, 2, 12]);
  });

  it('trains end to end inside SparlingModel (gradients reach the coordinate projection)', async () => {
    const model = new SparlingModel(withOverrides(tinyConfig(), { post: { positionalEncoding: '2d', coordinates: true, rowLstm: false } }), { seed: 3 });
    const variables = model.trainableVariables();
    const { grads } = tf.variableGrads(() => model.loss(randomInputs([2, 8, 8, 1]), [['a', 'b'], ['c']], true), variables);
    const norms = Object.values(grads).map((g) => tf.norm(g).dataSync()[0] as number);
    expect(norms.every(Number.isFinite)).toBe(true);
    const coordinateKernel = variables.find((v) => v.shape.join() === '2,16');
    expect(coordinateKernel).toBeDefined();
    expect(tf.norm(grads[coordinateKernel!.name]!).dataSync()[0]).toBeGreaterThan(0);
    expect((await model.getState()).find((e) => e.name === 'h/coordinates/kernel')?.shape).toEqual([2, 16]);
    model.dispose();
  });

  it("'polar' adds each cell's unit direction from the centre, so direction dot products are cos(θ₁ − θ₂)", async () => {
    const rows = 6;
    const values = polarCoordinates(rows, rows, 8, 48, 48).arraySync();
    const grid = gridCoordinates(rows, rows, 8, 48, 48).arraySync();
    values.forEach((v, k) => {
      const [y, x, c, s] = v as [number, number, number, number];
      expect([y, x]).toEqual(grid[k]);
      expect(Math.hypot(c, s)).toBeCloseTo(1, 6);
      // Counter-clockwise on screen: rows grow downwards, so the sine is of −y.
      expect(Math.atan2(s, c)).toBeCloseTo(Math.atan2(-y, x), 6);
    });
    // Top-right cell (row 0, column 5) is at 45°; bottom-left (row 5, column 0) at −135°.
    const at = (i: number, j: number) => values[i * rows + j] as number[];
    expect(at(0, 5)[2]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(at(0, 5)[3]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(at(5, 0)[2]).toBeCloseTo(-Math.SQRT1_2, 6);
    expect(at(5, 0)[3]).toBeCloseTo(-Math.SQRT1_2, 6);
    // An odd grid has a cell on the centre: no direction there.
    expect(polarCoordinates(3, 3, 2, 6, 6).arraySync()[4]).toEqual([0, 0, 0, 0]);

    await expectFourCoordinateFeaturesTrain('polar');
  });

  it("'centroid' gives each cell the angle of its motifs around the map's centre of mass, wherever the circle lies", () => {
    // Four unit motifs on a circle of radius 6 around (14, 9) in a 24×24 map of 3 channels, at
    // 0°, 100°, 190° and 280° counter-clockwise: far from the map's centre (12, 12).
    const [height, width, channels, cell] = [24, 24, 3, 4];
    const values = new Float32Array(height * width * channels);
    const degrees = [0, 100, 190, 280];
    const cells: [number, number][] = [];
    degrees.forEach((d, k) => {
      const y = Math.round(14 - 6 * Math.sin((d * Math.PI) / 180));
      const x = Math.round(9 + 6 * Math.cos((d * Math.PI) / 180));
      values[(y * width + x) * channels + (k % channels)] = 0.5 + k;
      cells.push([Math.floor(y / cell), Math.floor(x / cell)]);
    });
    const out = centroidDirections(values, [1, height, width, channels], cell);
    expect(out).toHaveLength(6 * 6 * 2);
    // Brute force: the centroid of the four weighted points, then each point's angle around it.
    let [total, cy, cx] = [0, 0, 0];
    for (let i = 0; i < values.length; i += 1) {
      const v = values[i]!;
      if (v === 0) continue;
      const p = Math.floor(i / channels);
      total += v;
      cy += v * Math.floor(p / width);
      cx += v * (p % width);
    }
    [cy, cx] = [cy / total, cx / total];
    const angles = cells.map(([i, j]) => {
      const k = (i * 6 + j) * 2;
      expect(Math.hypot(out[k]!, out[k + 1]!)).toBeCloseTo(1, 5);
      return Math.atan2(out[k + 1]!, out[k]!);
    });
    degrees.forEach((d, k) => {
      const y = Math.round(14 - 6 * Math.sin((d * Math.PI) / 180));
      const x = Math.round(9 + 6 * Math.cos((d * Math.PI) / 180));
      expect(angles[k]).toBeCloseTo(Math.atan2(-(y - cy), x - cx), 5);
    });
    // Sorting by angle from the first motif recovers the counter-clockwise order.
    const turn = (a: number) => (a - angles[0]! + 4 * Math.PI) % (2 * Math.PI);
    expect([0, 1, 2, 3].sort((a, b) => turn(angles[a]!) - turn(angles[b]!))).toEqual([0, 1, 2, 3]);
    // Every other cell is empty, and so is an all-zero item; negative values count as nothing.
    const occupied = new Set(cells.map(([i, j]) => i * 6 + j));
    for (let c = 0; c < 36; c += 1) if (!occupied.has(c)) expect([out[2 * c], out[2 * c + 1]]).toEqual([0, 0]);
    expect(centroidDirections(new Float32Array(8).fill(-1), [2, 2, 2, 1], 1).every((v) => v === 0)).toBe(true);
  });

  it("'centroid' weights the pixels inside a cell by their activation", () => {
    // 1×3 map with masses 1, 2, 3: the centroid is x = 8/6, so pixels 0 and 1 point left and 2 right.
    const out = centroidDirections(new Float32Array([1, 2, 3]), [1, 1, 3, 1], 1);
    expect(Array.from(out, (v) => v + 0)).toEqual([-1, 0, -1, 0, 1, 0]);
    const pooled = centroidDirections(new Float32Array([1, 3, 0, 0, 0, 0, 0, 0]), [1, 2, 4, 1], 2);
    // Centroid x = 0.75: pixel 0 points left (weight 1), pixel 1 right (weight 3) → (3 − 1)/4.
    expect(pooled[0]).toBeCloseTo(0.5, 6);
    expect([pooled[2], pooled[3]]).toEqual([0, 0]);
    expect(() => centroidDirections(new Float32Array(3), [1, 2, 2, 1], 1)).toThrow(/values.*4/);
  });

  it("'centroid' projects those directions inside ĥ: a cell's token changes with where the other motifs are", async () => {
    // Cell (0, 0) holds the same motif in both maps; only the other motif, and so the centroid, moves.
    const map = (other: [number, number]) => {
      const values = new Float32Array(8 * 8 * 3);
      values[(1 * 8 + 1) * 3] = 1;
      values[(other[0] * 8 + other[1]) * 3 + 1] = 1;
      return tf.tensor4d(values, [1, 8, 8, 3]);
    };
    const firstToken = (coordinates: true | 'centroid', other: [number, number]) => {
      const h = new PostSparseModel(new ParameterStore(1), { ...post, encoderLayers: 0, coordinates }, 2, 3, 6);
      return Array.from(h.encode(map(other), false).dataSync().slice(0, post.width));
    };
    expect(maxAbsDiff(firstToken(true, [6, 6]), firstToken(true, [6, 1]))).toBe(0);
    expect(maxAbsDiff(firstToken('centroid', [6, 6]), firstToken('centroid', [6, 1]))).toBeGreaterThan(1e-3);
    await expectFourCoordinateFeaturesTrain('centroid');
  });

  it('rejects bad values naming the field', () => {
    const bad = (p: Record<string, unknown>) => () => new SparlingModel(withOverrides(tinyConfig(), { post: p as never }));
    expect(bad({ positionalEncoding: 'col' })).toThrow(/config\.post\.positionalEncoding.*"col"/);
    expect(bad({ coordinates: 1 })).toThrow(/config\.post\.coordinates.*received 1/);
    expect(bad({ coordinates: 'radial' })).toThrow(/config\.post\.coordinates.*'polar' or 'centroid'.*"radial"/);
    expect(bad({ positionalEncoding: '2d', width: 18, heads: 3, rowLstm: false })).not.toThrow();
    expect(bad({ positionalEncoding: '2d', width: 15, heads: 3, rowLstm: false })).toThrow(/config\.post\.width.*received 15/);
    const sequence = (p: Record<string, unknown>) => () =>
      new SparlingModel(withOverrides(tinyConfig(), { inputShape: [40, 3], motif: { dims: 1 }, post: { rowLstm: false, pool: 4, ...p } }));
    expect(sequence({ positionalEncoding: '2d' })).toThrow(/config\.post\.positionalEncoding.*'row' for 1-D/);
    expect(sequence({ coordinates: true })).toThrow(/config\.post\.coordinates/);
    expect(sequence({ positionalEncoding: 'row', coordinates: false })).not.toThrow();
  });
});
