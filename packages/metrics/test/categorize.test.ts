import { describe, expect, it } from 'vitest';
import { categorize, MotifInputError, type SparseMotifMap, type TrueMotif } from '../src/index.js';
import { random, randomCase, rows, toDense, worked } from './helpers.js';

const sparse = (shape: number[], channels: number, activations: SparseMotifMap['activations']): SparseMotifMap => ({ kind: 'sparse', shape, channels, activations });

describe('categorize', () => {
  it('reproduces the spec 7.6 results list', () => {
    const item = categorize(worked.map, worked.motifs);
    expect(item.footprints).toEqual([
      { symbol: '1', channel: 0, value: 0.9 },
      { symbol: '2', channel: 1, value: 0.7 },
      { symbol: '1', channel: 2, value: 0.5 },
      { symbol: '3', channel: null, value: 0 },
    ]);
    // The reference lists (A, none) and (C, none); here in channels-last row-major order.
    expect(item.falsePositives).toEqual([
      { channel: 2, position: [4, 0], value: 0.2 },
      { channel: 0, position: [4, 4], value: 0.3 },
    ]);
    expect(item.activations).toBe(6);
  });

  it('gives every activation to false positives when there are no motifs', () => {
    const item = categorize(worked.map, []);
    expect(item.footprints).toEqual([]);
    expect(item.falsePositives).toHaveLength(6);
  });

  it('leaves every footprint uncovered when there are no activations', () => {
    const item = categorize(sparse([8, 8], 3, []), worked.motifs);
    expect(item.footprints.map((f) => f.channel)).toEqual([null, null, null, null]);
    expect(item.falsePositives).toEqual([]);
    expect(item.activations).toBe(0);
  });

  it('resolves equal maxima to the lowest channel', () => {
    const map = sparse([4, 4], 4, [
      { channel: 3, position: [0, 0], value: 0.5 },
      { channel: 1, position: [1, 1], value: 0.5 },
      { channel: 2, position: [0, 1], value: 0.5 },
      { channel: 0, position: [3, 3], value: 0.5 },
    ]);
    const item = categorize(map, [{ symbol: 'x', footprint: rows(0, 1, 0, 1) }]);
    expect(item.footprints[0]).toEqual({ symbol: 'x', channel: 1, value: 0.5 });
    expect(item.falsePositives.map((a) => a.channel)).toEqual([0]);
  });

  it('lets the earlier motif claim activations in overlapping footprints', () => {
    const map = sparse([6, 6], 2, [
      { channel: 0, position: [2, 2], value: 0.9 },
      { channel: 1, position: [3, 3], value: 0.4 },
    ]);
    const motifs: TrueMotif[] = [
      { symbol: 'a', footprint: rows(0, 2, 0, 2) },
      { symbol: 'b', footprint: rows(2, 4, 2, 4) },
    ];
    expect(categorize(map, motifs).footprints.map((f) => f.channel)).toEqual([0, 1]);
    // Swapped order: 'b' now claims both, and 'a' finds its overlap already cleared.
    expect(categorize(map, [motifs[1]!, motifs[0]!]).footprints.map((f) => [f.symbol, f.channel])).toEqual([
      ['b', 0],
      ['a', null],
    ]);
  });

  it('drops non-maximal in-footprint activations from the false positives', () => {
    const item = categorize(worked.map, worked.motifs.slice(0, 1));
    expect(item.falsePositives.map((a) => a.position)).not.toContainEqual([2, 2]);
  });

  it('clips footprints past the edge and clamps negative starts', () => {
    const map = sparse([5, 5], 1, [
      { channel: 0, position: [4, 4], value: 1 },
      { channel: 0, position: [0, 0], value: 1 },
    ]);
    const item = categorize(map, [
      { symbol: 'edge', footprint: { start: [3, 3], end: [50, 50] } },
      { symbol: 'corner', footprint: { start: [-3, -3], end: [1, 1] } },
      { symbol: 'outside', footprint: { start: [7, 7], end: [9, 9] } },
      { symbol: 'empty', footprint: { start: [2, 2], end: [2, 4] } },
    ]);
    expect(item.footprints.map((f) => f.channel)).toEqual([0, 0, null, null]);
  });

  it('works on 1-D (audio) maps', () => {
    const map = sparse([100], 2, [
      { channel: 1, position: [10], value: 0.3 },
      { channel: 0, position: [55], value: 0.6 },
      { channel: 1, position: [99], value: 0.1 },
    ]);
    const item = categorize(map, [
      { symbol: '7', footprint: { start: [0], end: [20] } },
      { symbol: '3', footprint: { start: [50], end: [60] } },
    ]);
    expect(item.footprints.map((f) => f.channel)).toEqual([1, 0]);
    expect(item.falsePositives).toEqual([{ channel: 1, position: [99], value: 0.1 }]);
  });

  it('ignores zero-valued sparse activations, as a dense map would', () => {
    const item = categorize(sparse([3], 1, [{ channel: 0, position: [1], value: 0 }]), []);
    expect(item.activations).toBe(0);
  });

  it('gives identical results for sparse and dense inputs (random cases, both scan paths)', () => {
    const rnd = random(7);
    for (let t = 0; t < 300; t++) {
      const { map, motifs } = randomCase(rnd, 1 + (t % 3));
      const expected = categorize(map, motifs);
      expect(categorize(toDense(map), motifs)).toEqual(expected);
      // A Float32Array at an odd 4-byte offset takes the one-float-at-a-time path.
      const n = map.shape.reduce((a, b) => a * b, 1) * map.channels;
      const unaligned = new Float32Array(n + 1).subarray(1);
      expect(categorize(toDense(map, unaligned), motifs)).toEqual(expected);
      const f64 = Float64Array.from(toDense(map).values);
      expect(categorize({ kind: 'dense', shape: map.shape, channels: map.channels, values: f64 }, motifs)).toEqual(expected);
    }
  });
});

describe('categorize input checks', () => {
  const motif = [{ symbol: '1', footprint: rows(0, 1, 0, 1) }];
  const cases: [string, () => unknown, string][] = [
    ['an activation outside the map', () => categorize(sparse([8, 8], 3, [{ channel: 0, position: [8, 0], value: 1 }]), motif), 'categorize: map.activations[0].position[0]: expected an integer in [0, 8), received 8'],
    ['a negative position', () => categorize(sparse([8, 8], 3, [{ channel: 0, position: [0, -1], value: 1 }]), motif), 'map.activations[0].position[1]: expected an integer in [0, 8), received -1'],
    ['a channel out of range', () => categorize(sparse([8, 8], 3, [{ channel: 3, position: [0, 0], value: 1 }]), motif), 'map.activations[0].channel: expected an integer in [0, 3), received 3'],
    ['a position of the wrong rank', () => categorize(sparse([8, 8], 3, [{ channel: 0, position: [1], value: 1 }]), motif), 'map.activations[0].position: expected an array of 2 integer coordinates, received an array of length 1'],
    ['a negative value', () => categorize(sparse([8, 8], 3, [{ channel: 0, position: [1, 1], value: -0.5 }]), motif), 'map.activations[0].value: expected a finite number >= 0 (motif maps are post-ReLU), received -0.5'],
    ['a NaN value', () => categorize(sparse([8, 8], 3, [{ channel: 0, position: [1, 1], value: NaN }]), motif), 'received NaN'],
    [
      'a duplicate activation',
      () => categorize(sparse([8, 8], 3, [{ channel: 0, position: [1, 1], value: 1 }, { channel: 1, position: [1, 1], value: 1 }, { channel: 0, position: [1, 1], value: 2 }]), motif),
      'map.activations[2]: channel 0 at [1, 1] appears twice (also map.activations[0])',
    ],
    ['a bad shape', () => categorize(sparse([8, 0], 3, []), motif), 'map.shape[1]: expected a positive integer below 2^31, received 0'],
    ['a bad channel count', () => categorize(sparse([8], 1.5, []), motif), 'map.channels: expected a positive integer below 2^31, received 1.5'],
    ['a dense map of the wrong length', () => categorize({ kind: 'dense', shape: [4, 4], channels: 2, values: new Float32Array(31) }, motif), 'map.values: expected length 32 (4×4 positions × 2 channels, channels-last), received length 31'],
    ['a negative dense value', () => categorize({ kind: 'dense', shape: [2], channels: 2, values: new Float32Array([0, 0, -1, 0]) }, []), 'map.values[2]: expected a finite value >= 0 (motif maps are post-ReLU), received -1'],
    ['dense values in a plain array', () => categorize({ kind: 'dense', shape: [2], channels: 1, values: [0, 1] as unknown as Float32Array }, []), 'map.values: expected a Float32Array or Float64Array, received an array of length 2'],
    ['an unknown kind', () => categorize({ kind: 'csr', shape: [2], channels: 1 } as never, []), 'map.kind: expected "sparse" or "dense", received "csr"'],
    ['the reserved symbol', () => categorize(sparse([4], 1, []), [{ symbol: 'none', footprint: { start: [0], end: [1] } }]), 'motifs[0].symbol: expected a symbol other than "none"'],
    ['a footprint of the wrong rank', () => categorize(sparse([4], 1, []), [{ symbol: '1', footprint: { start: [0, 0], end: [1, 1] } }]), 'motifs[0].footprint.start: expected an array of 1 integer (one per spatial axis), received an array of length 2'],
    ['a footprint ending before it starts', () => categorize(sparse([4], 1, []), [{ symbol: '1', footprint: { start: [3], end: [1] } }]), 'motifs[0].footprint.end[0]: expected an integer >= start[0] = 3 (end is exclusive), received 1'],
    ['motifs that are not an array', () => categorize(sparse([4], 1, []), {} as never), 'motifs: expected an array of { symbol, footprint }, received an object'],
  ];
  it.each(cases)('rejects %s', (_, run, message) => {
    expect(run).toThrow(MotifInputError);
    expect(run).toThrow(message);
  });
});
