import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EvaluationResult } from '@sparling/models';
import { evaluationTable, missedSymbols, sharedSymbols } from '../src/commands/eval.js';

const results = fileURLToPath(new URL('../../../docs/results/', import.meta.url));
const stored = (path: string) => JSON.parse(readFileSync(`${results}${path}`, 'utf8')) as EvaluationResult;

/** A two-digit confusion matrix in which `missedOf2` of the ten 2s have no channel. */
const withMissed2 = (missedOf2: number): Pick<EvaluationResult, 'confusion'> => ({
  confusion: {
    rows: ['1', '2', 'none'],
    columns: ['A', 'B', 'none'],
    counts: [
      [10, 0, 0],
      [0, 10 - missedOf2, missedOf2],
      [1, 1, 0],
    ],
  },
});

describe('missedSymbols', () => {
  it('names the symbols whose own FNE is at least 50%', () => {
    expect(missedSymbols(withMissed2(5))).toBe('2');
    expect(missedSymbols(withMissed2(4))).toBe('none');
    expect(missedSymbols({ confusion: null })).toBe('-');
    expect(missedSymbols({})).toBe('-');
  });

  it('finds the digits the committed runs lost (98% of the 7s; 99% of the 2s and 7s)', () => {
    expect(missedSymbols(stored('tuning/e-cpu-seed1-w8/eval-2.116472e-04.json'))).toBe('7');
    expect(missedSymbols(stored('table1/st/eval-2.116472e-04.json'))).toBe('2 7');
    expect(missedSymbols(stored('table1/l1-1/eval-latest.json'))).toBe('none');
    // Retrained has no bottleneck, so no motif metrics.
    expect(missedSymbols(stored('table1/retrained/eval-latest.json'))).toBe('-');
  });
});

describe('sharedSymbols', () => {
  it('groups the found symbols by main channel, leaving out the missed ones', () => {
    const confusion = {
      rows: ['6', '7', '8', '9', 'none'],
      columns: ['A', 'B', 'C', 'none'],
      counts: [
        [90, 0, 0, 10],
        [0, 30, 0, 0],
        [50, 0, 40, 10],
        // The 9 is missed (60%): its few found footprints in B do not make B shared.
        [0, 4, 0, 6],
        [0, 0, 0, 0],
      ],
    };
    expect(sharedSymbols({ confusion })).toBe('6/8');
    expect(sharedSymbols({ confusion: { ...confusion, counts: confusion.counts.map((r, i) => (i === 3 ? [0, 6, 0, 4] : r)) } })).toBe('6/8 7/9');
    expect(sharedSymbols(withMissed2(0))).toBe('none');
    expect(sharedSymbols({ confusion: null })).toBe('-');
    expect(sharedSymbols({})).toBe('-');
  });

  it("names the committed runs' shared channels: the seed-1 run's 8 in the 6's", () => {
    expect(sharedSymbols(stored('cpu-seed1/eval-2.116528e-04.json'))).toBe('6/8');
    expect(sharedSymbols(stored('table1/st/eval-2.116472e-04.json'))).toBe('none');
    expect(sharedSymbols(stored('table1/l1-1/eval-latest.json'))).toBe('2/3/4/5/7');
    expect(sharedSymbols(stored('table1/retrained/eval-latest.json'))).toBe('-');
  });
});

describe('evaluationTable', () => {
  it('prints one row per result, the missed and the shared symbols before the source', () => {
    const st = stored('table1/st/eval-2.116472e-04.json');
    const [head, row, end] = evaluationTable([{ ...st, file: 'eval.json' }]).split('\n');
    expect(head?.trim().split(/ {2,}/)).toEqual(['density', 'x min', 'FPE', 'FNE', 'CE', 'CE maj', 'E2EE', 'exact', 'measured', 'missed', 'shared', 'source']);
    expect(row).toMatch(/^ +2\.116e-4 +1\.40 +0\.01% +23\.88% +1\.72% +1\.72% +43\.46% +20\.31% +\S+ +2 7 +none +snapshots\/density-2\.116472e-04$/);
    expect(end).toBe('');
  });
});
