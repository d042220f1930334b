import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EvaluationResult } from '@sparling/models';
import { evaluationTable, missedSymbols } from '../src/commands/eval.js';

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

describe('evaluationTable', () => {
  it('prints one row per result, the missed symbols before the source', () => {
    const st = stored('table1/st/eval-2.116472e-04.json');
    const [head, row, end] = evaluationTable([{ ...st, file: 'eval.json' }]).split('\n');
    expect(head?.trim().split(/ {2,}/)).toEqual(['density', 'x min', 'FPE', 'FNE', 'CE', 'CE maj', 'E2EE', 'exact', 'measured', 'missed', 'source']);
    expect(row).toMatch(/^ +2\.116e-4 +1\.40 +0\.01% +23\.88% +1\.72% +1\.72% +43\.46% +20\.31% +\S+ +2 7 +snapshots\/density-2\.116472e-04$/);
    expect(end).toBe('');
  });
});
