import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateMotifs, fneBySymbol, realignConfusion, type ConfusionMatrix, type SparseMotifMap, type TrueMotif } from '../src/index.js';
import { worked } from './helpers.js';

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
    const fixture = JSON.parse(readFileSync(new URL('./fixtures/reference-cases.json', import.meta.url), 'utf8')) as {
      cases: { results: [string, string][]; input: { items: { shape: number[]; channels: number; activations: SparseMotifMap['activations']; motifs: TrueMotif[] }[] } }[];
    };
    for (const [k, c] of fixture.cases.entries()) {
      const metrics = evaluateMotifs(c.input.items.map((it) => ({ map: { kind: 'sparse', shape: it.shape, channels: it.channels, activations: it.activations }, motifs: it.motifs })));
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
