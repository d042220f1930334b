import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bootstrapMeanCI } from '../src/index.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/reference-cases.json', import.meta.url), 'utf8')) as {
  bootstrap: { values: (number | null)[]; seed: number; mean: number; low: number; high: number }[];
};

describe('bootstrapMeanCI', () => {
  it('reproduces numpy RandomState(seed).choice / mean / quantile bit for bit', () => {
    for (const b of fixture.bootstrap) {
      const values = b.values.map((v) => v ?? NaN);
      const r = bootstrapMeanCI(values, { seed: b.seed });
      expect([r.mean, r.low, r.high]).toEqual([b.mean, b.low, b.high]);
      expect(r.count).toBe(values.filter((v) => !Number.isNaN(v)).length);
    }
  });

  it('is deterministic for a seed and changes with it', () => {
    const v = [3.1, 1.41, 4.59, 1.26, 5.35, 8.97, 2.38, 6.46];
    expect(bootstrapMeanCI(v, { seed: 5 })).toEqual(bootstrapMeanCI(v, { seed: 5 }));
    expect(bootstrapMeanCI(v, { seed: 5 })).not.toEqual(bootstrapMeanCI(v, { seed: 6 }));
  });

  it('narrows with a larger alpha and accepts typed arrays', () => {
    const v = Float64Array.from({ length: 30 }, (_, i) => Math.sin(i) * 3);
    const wide = bootstrapMeanCI(v);
    const narrow = bootstrapMeanCI(v, { alpha: 0.5, resamples: 200 });
    expect(narrow.low).toBeGreaterThan(wide.low);
    expect(narrow.high).toBeLessThan(wide.high);
  });

  it('returns NaN everywhere when no value is left', () => {
    expect(bootstrapMeanCI([NaN, NaN])).toEqual({ mean: NaN, low: NaN, high: NaN, count: 0 });
  });

  it('names a bad option', () => {
    expect(() => bootstrapMeanCI([1], { resamples: 0 })).toThrow('bootstrapMeanCI: options.resamples: expected a positive integer, received 0');
    expect(() => bootstrapMeanCI([1], { alpha: 1 })).toThrow('options.alpha: expected a number in (0, 1), received 1');
    expect(() => bootstrapMeanCI([1, '2' as never])).toThrow('values[1]: expected a number, received "2"');
  });
});
