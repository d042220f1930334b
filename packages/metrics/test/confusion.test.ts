import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateMotifs, fneBySymbol, realignConfusion, symbolChannels, type ConfusionMatrix, type SparseMotifMap, type TrueMotif } from '../src/index.js';
import { worked } from './helpers.js';

/** The reference's result lists: one (predicted, true) pair per footprint, "none" predicted when missed. */
const fixture = JSON.parse(readFileSync(new URL('./fixtures/reference-cases.json', import.meta.url), 'utf8')) as {
  cases: { results: [string, string][]; input: { items: { shape: number[]; channels: number; activations: SparseMotifMap['activations']; motifs: TrueMotif[] }[] } }[];
};
type ReferenceCase = (typeof fixture.cases)[number];

const referenceMetrics = (c: ReferenceCase) =>
  evaluateMotifs(c.input.items.map((it) => ({ map: { kind: 'sparse', shape: it.shape, channels: it.channels, activations: it.activations }, motifs: it.motifs })));

describe('realignConfusion', () => {
  it('normalises rows, labels their shares and moves the mass onto the diagonal', () => {
    const shown = realignConfusion(evaluateMotifs([worked]).confusion);
    expect(shown.rows).toEqual(['1', '2', '3', 'none']);
    expect(shown.columns).toEqual(['A', 'C', 'B', 'none']);
    expect(shown.counts).toEqual([
      [1, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
      [1, 1, 0, 0],
    ]);
    expect(shown.fractions[0]).toEqual([0.5, 0.5, 0, 0]);
    expect(shown.rowShares).toEqual([2 / 6, 1 / 6, 1 / 6, 2 / 6]);
  });

  it('drops channels that never fired and an empty none row or column', () => {
    const m: ConfusionMatrix = {
      rows: ['x', 'y', 'none'],
      columns: ['A', 'B', 'C', 'none'],
      counts: [
        [0, 5, 0, 0],
        [2, 0, 0, 0],
        [0, 0, 0, 0],
      ],
    };
    const shown = realignConfusion(m);
    expect(shown.rows).toEqual(['x', 'y']);
    expect(shown.columns).toEqual(['B', 'A']);
  });

  it('joins channels that share a majority symbol (rename="join")', () => {
    const m: ConfusionMatrix = {
      rows: ['+', 'x', 'none'],
      columns: ['#0', '#1', '#2', '#3', 'none'],
      counts: [
        [0, 4, 0, 0, 1],
        [3, 0, 2, 0, 0],
        [1, 0, 1, 6, 0],
      ],
    };
    const shown = realignConfusion(m, { join: true });
    // #3 covers no footprint, so it keeps a column of its own.
    expect(shown.columns).toEqual(['#3', '#1', '#0/#2', 'none']);
    expect(shown.counts).toEqual([
      [0, 4, 0, 1],
      [0, 0, 5, 0],
      [6, 0, 2, 0],
    ]);
    const byGiven = realignConfusion(m, { join: true, majority: ['x', 'x', 'x', null] });
    expect(byGiven.columns).toEqual(['#3', '#0/#1/#2', 'none']);
  });

  it('rejects matrices without the none row and column', () => {
    expect(() => realignConfusion({ rows: ['1'], columns: ['A', 'none'], counts: [[1, 0]] })).toThrow('realignConfusion: confusion.rows: expected a list ending with "none"');
    expect(() => realignConfusion({ rows: ['1', 'none'], columns: ['A', 'none'], counts: [[1, 0]] })).toThrow('confusion.counts: expected 2 rows');
  });
});

describe('fneBySymbol', () => {
  it('gives each symbol of the spec 7.6 worked example its footprints and misses', () => {
    expect(fneBySymbol(evaluateMotifs([worked]).confusion)).toEqual([
      { symbol: '1', footprints: 2, missed: 0, fne: 0 },
      { symbol: '2', footprints: 1, missed: 0, fne: 0 },
      { symbol: '3', footprints: 1, missed: 1, fne: 1 },
    ]);
  });

  it("matches the reference's result lists, and its misses add up to the dataset's FNE", () => {
    for (const [k, c] of fixture.cases.entries()) {
      const metrics = referenceMetrics(c);
      const bySymbol = fneBySymbol(metrics.confusion);
      // Brute force over the reference's (predicted, true) pairs: one per footprint, "none" predicted when missed.
      for (const s of bySymbol) {
        const mine = c.results.filter(([, truth]) => truth === s.symbol);
        expect(s.footprints, `case ${k}, symbol ${s.symbol}`).toBe(mine.length);
        expect(s.missed, `case ${k}, symbol ${s.symbol}`).toBe(mine.filter(([predicted]) => predicted === 'none').length);
      }
      const footprints = bySymbol.reduce((a, s) => a + s.footprints, 0);
      const missed = bySymbol.reduce((a, s) => a + s.missed, 0);
      expect(footprints === 0 ? null : missed / footprints, `case ${k}`).toBe(metrics.fne);
    }
  });

  it('gives a symbol without footprints a null FNE', () => {
    expect(fneBySymbol({ rows: ['x', 'y', 'none'], columns: ['A', 'none'], counts: [[2, 2], [0, 0], [3, 0]] })).toEqual([
      { symbol: 'x', footprints: 4, missed: 2, fne: 0.5 },
      { symbol: 'y', footprints: 0, missed: 0, fne: null },
    ]);
  });

  it('rejects what is not a confusion matrix, naming the part', () => {
    expect(() => fneBySymbol({ rows: ['1'], columns: ['A', 'none'], counts: [[1, 0]] })).toThrow('fneBySymbol: confusion.rows: expected a list ending with "none"');
    expect(() => fneBySymbol({ rows: ['1', 'none'], columns: ['A', 'none'], counts: [[1, 0], [0]] })).toThrow('confusion.counts[1]: expected 2 counts');
    expect(() => fneBySymbol({ rows: ['1', 'none'], columns: ['A', 'none'], counts: [[1, -1], [0, 0]] })).toThrow('confusion.counts[0][1]: expected a finite number >= 0');
    expect(() => fneBySymbol(null as unknown as ConfusionMatrix)).toThrow('fneBySymbol: confusion: expected an object');
  });
});

describe('symbolChannels', () => {
  it('gives each symbol of the spec 7.6 worked example its main channel, the first on a tie', () => {
    // The 1 is found once in A and once in C; the 3 is never found.
    expect(symbolChannels(evaluateMotifs([worked]).confusion)).toEqual([
      { symbol: '1', found: 2, channel: 'A', share: 0.5, sharedWith: [] },
      { symbol: '2', found: 1, channel: 'B', share: 1, sharedWith: [] },
      { symbol: '3', found: 0, channel: null, share: null, sharedWith: [] },
    ]);
  });

  it("matches a brute force over the reference's result lists", () => {
    let checked = 0;
    for (const [k, c] of fixture.cases.entries()) {
      const metrics = referenceMetrics(c);
      const names = metrics.confusion.columns.slice(0, -1);
      const bySymbol = symbolChannels(metrics.confusion);
      const mainOf = new Map<string, string | null>();
      for (const symbol of metrics.confusion.rows.slice(0, -1)) {
        const found = c.results.filter(([predicted, truth]) => truth === symbol && predicted !== 'none').map(([predicted]) => predicted);
        let best: string | null = null;
        for (const name of names) {
          const n = found.filter((p) => p === name).length;
          if (n > 0 && (best === null || n > found.filter((p) => p === best).length)) best = name;
        }
        mainOf.set(symbol, best);
        const mine = bySymbol.find((s) => s.symbol === symbol)!;
        expect(mine.found, `case ${k}, symbol ${symbol}`).toBe(found.length);
        expect(mine.channel, `case ${k}, symbol ${symbol}`).toBe(best);
        expect(mine.share, `case ${k}, symbol ${symbol}`).toBe(best === null ? null : found.filter((p) => p === best).length / found.length);
        checked++;
      }
      for (const s of bySymbol) {
        const others = [...mainOf].filter(([symbol, channel]) => symbol !== s.symbol && channel !== null && channel === s.channel).map(([symbol]) => symbol);
        expect(s.sharedWith, `case ${k}, symbol ${s.symbol}`).toEqual(others);
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('names the symbols that share a channel, and ignores false positives and misses', () => {
    const m: ConfusionMatrix = {
      rows: ['6', '8', '9', 'none'],
      columns: ['A', 'B', 'C', 'none'],
      counts: [
        [90, 0, 1, 9],
        [50, 0, 40, 10],
        [0, 0, 70, 99],
        [0, 500, 0, 0],
      ],
    };
    expect(symbolChannels(m)).toEqual([
      { symbol: '6', found: 91, channel: 'A', share: 90 / 91, sharedWith: ['8'] },
      { symbol: '8', found: 90, channel: 'A', share: 50 / 90, sharedWith: ['6'] },
      { symbol: '9', found: 70, channel: 'C', share: 1, sharedWith: [] },
    ]);
  });

  it('rejects what is not a confusion matrix, naming the function', () => {
    expect(() => symbolChannels({ rows: ['1', 'none'], columns: ['A'], counts: [[1], [0]] })).toThrow('symbolChannels: confusion.columns: expected a list ending with "none"');
  });
});
