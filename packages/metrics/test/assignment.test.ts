import { describe, expect, it } from 'vitest';
import { linearSumAssignment } from '../src/index.js';
import { random } from './helpers.js';

/** Best total over every injective map from the smaller side to the larger one. */
function bruteForce(m: number[][], maximize: boolean): number {
  const rows = m.length;
  const cols = m[0]!.length;
  const t = rows <= cols ? m : m[0]!.map((_, j) => m.map((r) => r[j]!));
  const n = t.length;
  const k = t[0]!.length;
  let best = maximize ? -Infinity : Infinity;
  const used = new Array<boolean>(k).fill(false);
  const go = (i: number, sum: number): void => {
    if (i === n) {
      best = maximize ? Math.max(best, sum) : Math.min(best, sum);
      return;
    }
    for (let j = 0; j < k; j++) {
      if (used[j]) continue;
      used[j] = true;
      go(i + 1, sum + t[i]![j]!);
      used[j] = false;
    }
  };
  go(0, 0);
  return best;
}

function randomMatrix(rnd: () => number, rows: number, cols: number, range: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.floor(rnd() * range)));
}

function checkValid(m: number[][], a: ReturnType<typeof linearSumAssignment>): void {
  expect(a.rowIndices).toHaveLength(Math.min(m.length, m[0]!.length));
  expect(new Set(a.columnIndices).size).toBe(a.columnIndices.length);
  expect([...a.rowIndices].sort((x, y) => x - y)).toEqual(a.rowIndices);
  expect(a.total).toBe(a.rowIndices.reduce((s, i, k) => s + m[i]![a.columnIndices[k]!]!, 0));
}

describe('linearSumAssignment', () => {
  it('equals a brute-force permutation search on random 6×6 matrices (maximising, many ties)', () => {
    const rnd = random(1);
    for (let t = 0; t < 300; t++) {
      const m = randomMatrix(rnd, 6, 6, t % 2 === 0 ? 4 : 1000);
      const a = linearSumAssignment(m, { maximize: true });
      checkValid(m, a);
      expect(a.total).toBe(bruteForce(m, true));
    }
  });

  it('equals brute force on random rectangular matrices, both directions', () => {
    const rnd = random(2);
    for (let t = 0; t < 400; t++) {
      const m = randomMatrix(rnd, 1 + Math.floor(rnd() * 6), 1 + Math.floor(rnd() * 6), 10);
      const maximize = t % 2 === 0;
      const a = linearSumAssignment(m, { maximize });
      checkValid(m, a);
      expect(a.total).toBe(bruteForce(m, maximize));
    }
  });

  it('handles negative and fractional costs', () => {
    const m = [
      [-1.5, 2.25, 0],
      [3, -4, 1.125],
    ];
    expect(linearSumAssignment(m).total).toBe(bruteForce(m, false));
  });

  it('returns an empty assignment for an empty matrix', () => {
    expect(linearSumAssignment([])).toEqual({ rowIndices: [], columnIndices: [], total: 0 });
    expect(linearSumAssignment([[], []])).toEqual({ rowIndices: [], columnIndices: [], total: 0 });
  });

  it('rejects ragged rows and non-finite entries', () => {
    expect(() => linearSumAssignment([[1, 2], [3]])).toThrow('linearSumAssignment: matrix[1]: expected a row of 2 numbers like matrix[0], received an array of length 1');
    expect(() => linearSumAssignment([[1, Infinity]])).toThrow('matrix[0][1]: expected a finite number, received Infinity');
  });
});
