import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { categorize, channelNames, evaluateMotifs, MotifEvaluator, MotifInputError, realignConfusion, type SparseMotifMap, type TrueMotif } from '../src/index.js';
import { random, randomCase, toDense, worked } from './helpers.js';

interface ReferenceCase {
  /** The reference's (predicted, true) list over all items. */
  results: [string, string][];
  input: { items: { shape: number[]; channels: number; activations: SparseMotifMap['activations']; motifs: TrueMotif[] }[] };
  expected: {
    fne: number | null;
    fpe: number | null;
    ce: number | null;
    ceMajority: number | null;
    majority: (string | null)[];
    realigned: { rows: string[]; columns: string[]; fractions: number[][]; rowShares: number[] };
  };
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/reference-cases.json', import.meta.url), 'utf8')) as { cases: ReferenceCase[] };
const itemsOf = (c: ReferenceCase) =>
  c.input.items.map((it) => ({ map: { kind: 'sparse', shape: it.shape, channels: it.channels, activations: it.activations } as SparseMotifMap, motifs: it.motifs }));

describe('evaluateMotifs', () => {
  it('reproduces the spec 7.6 worked example', () => {
    const m = evaluateMotifs([worked]);
    expect(m.fne).toBe(0.25);
    expect(m.fpe).toBe(0.4);
    expect(m.fpePaper).toBeCloseTo(2 / 6, 15);
    expect(m.ce).toBe(1 / 3);
    expect(m.ceMajority).toBe(0);
    expect(m.density).toBe(6 / (8 * 8 * 3));
    expect(m.counts).toEqual({ items: 1, trueMotifs: 4, covered: 3, falsePositives: 2, activations: 6 });
    expect(m.confusion).toEqual({
      rows: ['1', '2', '3', 'none'],
      columns: ['A', 'B', 'C', 'none'],
      counts: [
        [1, 0, 1, 0],
        [0, 1, 0, 0],
        [0, 0, 0, 1],
        [1, 0, 1, 0],
      ],
    });
    expect(m.majority).toEqual(['1', '2', '1']);
    expect(m.assignment.filter((s) => s !== null).sort()).toEqual(['1', '2']);
  });

  it('matches the reference behaviour on 36 random datasets', () => {
    for (const c of fixture.cases) {
      const names = channelNames(c.input.items[0]!.channels);
      const results = itemsOf(c).flatMap(({ map, motifs }) => {
        const item = categorize(map, motifs);
        // The reference lists strays channel-major (np.where over [C, ...]).
        const strays = [...item.falsePositives].sort((a, b) => a.channel - b.channel);
        return [...item.footprints.map((f) => [f.channel === null ? 'none' : names[f.channel]!, f.symbol]), ...strays.map((a) => [names[a.channel]!, 'none'])];
      });
      expect(results).toEqual(c.results);
      const m = evaluateMotifs(itemsOf(c));
      for (const key of ['fne', 'fpe', 'ce', 'ceMajority'] as const) {
        if (c.expected[key] === null) expect(m[key]).toBeNull();
        else expect(m[key]).toBeCloseTo(c.expected[key]!, 12);
      }
      expect(m.majority).toEqual(c.expected.majority);
      if (m.ce !== null) expect(m.ceMajority!).toBeLessThanOrEqual(m.ce);
      if (m.fpe !== null) expect(m.fpePaper!).toBeLessThanOrEqual(m.fpe);
      const shown = realignConfusion(m.confusion);
      expect(shown.rows).toEqual(c.expected.realigned.rows);
      expect(shown.columns).toEqual(c.expected.realigned.columns);
      shown.fractions.forEach((row, i) => row.forEach((f, j) => expect(f).toBeCloseTo(c.expected.realigned.fractions[i]![j]!, 12)));
      shown.rowShares.forEach((s, i) => expect(s).toBeCloseTo(c.expected.realigned.rowShares[i]!, 12));
    }
  });

  it('reports undefined metrics as null, never 0 (spec 12.6)', () => {
    const noMotifs = evaluateMotifs([{ map: worked.map, motifs: [] }]);
    expect(noMotifs.fne).toBeNull();
    expect(noMotifs.ce).toBeNull();
    expect(noMotifs.ceMajority).toBeNull();
    expect(noMotifs.fpe).toBe(1);
    const silent = evaluateMotifs([{ map: { ...worked.map, activations: [] }, motifs: worked.motifs }]);
    expect(silent.fne).toBe(1);
    expect(silent.fpe).toBeNull();
    expect(silent.fpePaper).toBeNull();
    expect(silent.ce).toBeNull();
    const nothing = evaluateMotifs([]);
    expect([nothing.fne, nothing.fpe, nothing.fpePaper, nothing.ce, nothing.ceMajority, nothing.density]).toEqual([null, null, null, null, null, null]);
    expect(nothing.confusion).toEqual({ rows: ['none'], columns: ['none'], counts: [[0]] });
  });

  it('breaks majority ties in favour of the symbol the channel met first', () => {
    const map = (channel: number): SparseMotifMap => ({ kind: 'sparse', shape: [4], channels: 1, activations: [{ channel, position: [0], value: 1 }] });
    const at = (symbol: string): TrueMotif[] => [{ symbol, footprint: { start: [0], end: [1] } }];
    const m = evaluateMotifs([
      { map: map(0), motifs: at('b') },
      { map: map(0), motifs: at('a') },
    ]);
    expect(m.majority).toEqual(['b']);
    expect(m.ceMajority).toBe(0.5);
  });

  it('gives the same metrics for sparse and dense inputs', () => {
    const rnd = random(11);
    const items = Array.from({ length: 200 }, () => {
      const c = randomCase(rnd, 2);
      return { ...c, map: { ...c.map, channels: 4, activations: c.map.activations.map((a) => ({ ...a, channel: a.channel % 4 })) } };
    }).map((c) => ({ ...c, map: { ...c.map, activations: dedupe(c.map.activations) } }));
    const sparse = evaluateMotifs(items);
    const dense = evaluateMotifs(items.map((c) => ({ map: toDense(c.map), motifs: c.motifs })));
    expect(dense).toEqual(sparse);
    expect(sparse.counts.items).toBe(200);
  });

  it('names the item of the first invalid value', () => {
    const bad = { ...worked.map, activations: [{ channel: 0, position: [1, 8], value: 1 }] };
    expect(() => evaluateMotifs([worked, worked, { map: bad, motifs: [] }])).toThrow(
      'evaluateMotifs: items[2].map.activations[0].position[1]: expected an integer in [0, 8), received 8',
    );
  });

  it('requires one channel count across items', () => {
    const other = { ...worked.map, channels: 4 };
    expect(() => evaluateMotifs([worked, { map: other, motifs: [] }])).toThrow('items[1].map.channels: expected 3 (the channel count of the first item), received 4');
  });

  it('uses channelNames for the confusion matrix only', () => {
    const named = evaluateMotifs([worked], { channelNames: ['x', 'y', 'z'] });
    const plain = evaluateMotifs([worked]);
    expect(named.confusion.columns).toEqual(['x', 'y', 'z', 'none']);
    expect({ ...named, confusion: null, channelNames: null }).toEqual({ ...plain, confusion: null, channelNames: null });
    expect(() => evaluateMotifs([worked], { channelNames: ['x', 'y'] })).toThrow("options.channelNames: expected 3 names (items[0].map.channels is 3), received an array of length 2");
    expect(() => evaluateMotifs([worked], { channelNames: ['x', 'x', 'z'] })).toThrow('"x" is also options.channelNames[0]');
    expect(() => evaluateMotifs([worked], { channelNames: ['x', 'none', 'z'] })).toThrow(MotifInputError);
  });
});

describe('MotifEvaluator', () => {
  it('streams to the same result as the one-shot function', () => {
    const rnd = random(5);
    const items = Array.from({ length: 50 }, () => randomCase(rnd, 2)).map((c) => ({ map: { ...c.map, channels: 6 }, motifs: c.motifs }));
    const evaluator = new MotifEvaluator();
    for (const { map, motifs } of items) evaluator.add(map, motifs);
    expect(evaluator.items).toBe(50);
    expect(evaluator.result()).toEqual(evaluateMotifs(items));
    expect(evaluator.result()).toEqual(evaluator.result());
  });

  it('counts nothing from an item it rejects', () => {
    const evaluator = new MotifEvaluator();
    evaluator.add(worked.map, worked.motifs);
    const before = evaluator.result();
    expect(() => evaluator.add(worked.map, [...worked.motifs, { symbol: 'none', footprint: { start: [0, 0], end: [1, 1] } }])).toThrow(
      'MotifEvaluator.add (item 1): motifs[4].symbol',
    );
    expect(evaluator.result()).toEqual(before);
  });
});

function dedupe<T extends { channel: number; position: readonly number[] }>(acts: readonly T[]): T[] {
  const seen = new Set<string>();
  return acts.filter((a) => {
    const key = `${a.channel}@${a.position.join(',')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
