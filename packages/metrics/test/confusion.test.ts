import { describe, expect, it } from 'vitest';
import { evaluateMotifs, realignConfusion, type ConfusionMatrix } from '../src/index.js';
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
