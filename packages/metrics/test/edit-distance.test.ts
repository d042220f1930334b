import { describe, expect, it } from 'vitest';
import { editDistance, endToEndError, normalizedEditDistance } from '../src/index.js';

describe('edit distance', () => {
  it('counts token edits, not character edits', () => {
    expect(editDistance(['10', '2'], ['1', '02'])).toBe(2);
    expect(editDistance(['FRACBAR', 'x'], ['x'])).toBe(1);
    expect(editDistance([1, 2, 3], [3, 2, 1])).toBe(2);
    expect(editDistance([], ['a', 'b'])).toBe(2);
  });

  it('keeps tokens apart from the surrogate range and from each other by identity', () => {
    const many = Array.from({ length: 0xe000 }, (_, i) => i);
    expect(editDistance(many, [many[0xd900]!, many[0xdfff]!])).toBe(many.length - 2);
    expect(() => editDistance([...many, ...many.map((i) => -1 - i)], [])).toThrow('editDistance: tokens: expected at most 63488 distinct tokens in one pair');
    expect(editDistance([1], ['1'])).toBe(1);
  });

  it('normalises by the longer length, NaN when both are empty', () => {
    expect(normalizedEditDistance(['0', '7', '2', '6', '3', '4'], ['0', '7', '6', '3', '4'])).toBe(1 / 6);
    expect(normalizedEditDistance([], [])).toBeNaN();
  });

  it('reproduces the spec 7.6 E2EE example', () => {
    const r = endToEndError(
      [
        ['0', '7', '2', '6', '3', '4'],
        ['1', '2', '3'],
      ],
      [
        ['0', '7', '6', '3', '4'],
        ['1', '2', '3'],
      ],
    );
    expect(r.e2ee).toBeCloseTo(1 / 12, 15);
    expect(r.exactAccuracy).toBe(0.5);
    expect(r.items).toBe(2);
  });

  it('reports undefined means as null', () => {
    expect(endToEndError([], [])).toEqual({ e2ee: null, exactAccuracy: null, items: 0 });
    expect(endToEndError([[], ['a']], [[], ['a']])).toEqual({ e2ee: null, exactAccuracy: 1, items: 2 });
  });

  it('names the bad argument', () => {
    expect(() => endToEndError([['a']], [])).toThrow('endToEndError: predictions: expected an array of 1 token sequences (one per truth), received an array of length 0');
    expect(() => endToEndError([['a', null as never]], [['a']])).toThrow('endToEndError: truths[0][1]: expected a token (string or number), received null');
    expect(() => editDistance('abc' as never, [])).toThrow('editDistance: a: expected an array of tokens');
  });
});
