import { describe, expect, it } from 'vitest';
import { channelSymbols, localMaxima } from '../src/index.js';

describe('localMaxima', () => {
  it('finds the nonzero local maxima of each channel of a 2-D channels-last map, strongest first', () => {
    // 3 × 4 map, 2 channels; channel 0 has a peak at (0, 1) and a weaker one at (2, 3); channel 1 a flat pair.
    const values = new Float32Array(3 * 4 * 2);
    const set = (r: number, c: number, ch: number, v: number) => (values[(r * 4 + c) * 2 + ch] = v);
    set(0, 1, 0, 0.9);
    set(1, 1, 0, 0.4); // a neighbour of the peak: not a maximum
    set(2, 3, 0, 0.3);
    set(1, 2, 1, 0.5);
    set(1, 3, 1, 0.5); // equal to its left neighbour, which comes first in row-major order
    expect(localMaxima(values, [3, 4], 2)).toEqual([
      { channel: 0, position: [0, 1], value: expect.closeTo(0.9, 6) },
      { channel: 1, position: [1, 2], value: 0.5 },
      { channel: 0, position: [2, 3], value: expect.closeTo(0.3, 6) },
    ]);
  });

  it('works on 1-D maps and ignores zeros', () => {
    expect(localMaxima([0, 0.2, 0.9, 0, 0, 0.1], [6], 1)).toEqual([
      { channel: 0, position: [2], value: 0.9 },
      { channel: 0, position: [5], value: 0.1 },
    ]);
    expect(localMaxima(new Float32Array(8), [2, 2], 2)).toEqual([]);
  });

  it('names the argument that does not fit', () => {
    expect(() => localMaxima(new Float32Array(5), [2, 2], 1)).toThrow('localMaxima: values: expected 4 numbers (prod(shape) × channels), received');
    expect(() => localMaxima(new Float32Array(4), [2, 0], 1)).toThrow('localMaxima: shape: expected a list of positive integers');
    expect(() => localMaxima(new Float32Array(4), [2, 2], 0)).toThrow('localMaxima: channels: expected a positive integer, received 0');
  });
});

describe('channelSymbols', () => {
  it("names each channel by the true symbol of its realigned column's largest row share", () => {
    const confusion = {
      rows: ['1', '2', '3', 'none'],
      columns: ['A', 'B', 'C', 'D', 'none'],
      // A marks 2s (and once a 1), B marks 1s, C only fires outside footprints, D never fires.
      counts: [
        [1, 9, 0, 0, 0],
        [8, 0, 0, 0, 1],
        [0, 0, 0, 0, 4],
        [2, 0, 5, 0, 0],
      ],
    };
    expect(channelSymbols(confusion)).toEqual(['2', '1', null, null]);
  });
});
