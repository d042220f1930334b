import { describe, expect, it } from 'vitest';

import { channelKthSmallest, emaThreshold, kthSmallest, thresholdRank } from '../src/index.js';
import { bruteKth, errorMessage, uniform } from './helpers.js';

describe('kthSmallest', () => {
  it('gives the §1.8 worked-example quantile', () => {
    const x = new Float32Array([0.1, -0.5, 2.0, 0.3, 1.5, -1.0, 0.0, 0.7]);
    expect(kthSmallest(x, 6)).toBe(Math.fround(0.7));
    expect(kthSmallest(x, 1)).toBe(-1);
    expect(kthSmallest(x, 8)).toBe(2);
  });

  it('matches sorting on random inputs with ties, infinities and both small and large sizes', () => {
    const u = uniform(1);
    for (let trial = 0; trial < 300; trial++) {
      const n = trial < 200 ? 1 + Math.floor(u() * 40) : 600 + Math.floor(u() * 5000);
      const levels = trial % 3 === 0 ? 3 : 1000; // few distinct values => many ties
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const r = u();
        values[i] = r < 0.01 ? -Infinity : r > 0.99 ? Infinity : Math.floor(u() * levels) - levels / 2;
      }
      const copy = values.slice();
      for (const k of [1, n, 1 + Math.floor(u() * n), Math.max(1, n - 3)]) {
        expect(kthSmallest(values, k)).toBe(bruteKth(values, k));
      }
      expect(values).toEqual(copy); // input untouched
    }
  });

  it('handles sorted, reversed and constant inputs of 100,000 values', () => {
    const n = 100_000;
    const up = new Float32Array(n).map((_, i) => i);
    const down = new Float32Array(n).map((_, i) => n - i);
    const flat = new Float32Array(n).fill(3);
    for (const k of [1, 99_994, n]) {
      expect(kthSmallest(up, k)).toBe(k - 1);
      expect(kthSmallest(down, k)).toBe(k);
      expect(kthSmallest(flat, k)).toBe(3);
    }
  });

  it('sorts NaN above every number, as torch does', () => {
    const x = [3, Number.NaN, 1, 2];
    expect(kthSmallest(x, 3)).toBe(3);
    expect(kthSmallest(x, 4)).toBeNaN();
  });

  it('rejects k outside 1..n, naming the argument and the value', () => {
    expect(errorMessage(() => kthSmallest([1, 2], 3))).toMatch(/kthSmallest: argument "k".*<= values.length \(2\).*received 3/);
    expect(errorMessage(() => kthSmallest([1, 2], 0))).toMatch(/"k".*integer >= 1.*received 0/);
    expect(errorMessage(() => kthSmallest([1, 2], 1.5))).toMatch(/received 1.5/);
  });
});

describe('channelKthSmallest', () => {
  it('selects per channel across chunks, like sorting each column', () => {
    const u = uniform(2);
    const channels = 5;
    const chunks = [3, 700, 1, 250].map((rows) => {
      const a = new Float32Array(rows * channels);
      for (let i = 0; i < a.length; i++) a[i] = Math.round((u() - 0.5) * 200) / 7;
      return a;
    });
    const rows = 954;
    for (const k of [1, 17, 477, 953, 954]) {
      const got = channelKthSmallest(chunks, channels, k);
      for (let c = 0; c < channels; c++) {
        const column: number[] = [];
        for (const chunk of chunks) for (let i = c; i < chunk.length; i += channels) column.push(chunk[i] as number);
        expect(column.length).toBe(rows);
        // ±0 compare equal in an order statistic (torch may return either)
        expect((got[c] as number) + 0).toBe(bruteKth(column, k) + 0);
      }
    }
  });

  it('rejects chunks that are not whole rows', () => {
    expect(errorMessage(() => channelKthSmallest(new Float32Array(5), 2, 1))).toMatch(
      /chunk length must be a multiple of channels \(2\); received 5/,
    );
  });
});

describe('thresholdRank', () => {
  it('is max(1, trunc(rows·sparsity)) on a double product', () => {
    expect(thresholdRank(8, 0.75)).toBe(6);
    expect(thresholdRank(10, 0.05)).toBe(1); // floor 0 -> 1
    expect(thresholdRank(1, 0)).toBe(1);
    expect(thresholdRank(500, 0.3)).toBe(150);
  });

  it('reproduces the DigitCircle bar: 32 reductions from 0.5, k = 99,994 of 100,000 rows', () => {
    let s = 0.5;
    for (let i = 0; i < 32; i++) s = 1 - (1 - s) * 0.75;
    expect(s).toBe(0.9999497737871397);
    expect(1 - s).toBe(5.0226212860327024e-5);
    expect(100_000 * s).toBeCloseTo(99994.977, 3);
    expect(thresholdRank(100_000, s)).toBe(99_994);
  });

  it('rejects bad rows and sparsity, naming the argument', () => {
    expect(errorMessage(() => thresholdRank(0, 0.5))).toMatch(/thresholdRank: argument "rows".*received 0/);
    expect(errorMessage(() => thresholdRank(10, 1))).toMatch(/"sparsity".*0 <= sparsity < 1; received 1/);
  });
});

describe('emaThreshold', () => {
  it('rounds to float32 after every operation (spec §12.1)', () => {
    const q = Math.fround(0.7);
    expect(emaThreshold(0, q, 0.1)).toBe(0.07000000029802322);
    expect(emaThreshold(0, q, 1)).toBe(q);
    expect(emaThreshold(q, 0, 0)).toBe(q);
    const t = 0.07000000029802322;
    const expected = Math.fround(Math.fround(t * Math.fround(0.9)) + Math.fround(q * Math.fround(0.1)));
    expect(emaThreshold(t, q, 0.1)).toBe(expected);
    // not the double-precision EMA
    expect(expected).not.toBe(0.9 * t + 0.1 * q);
  });
});
