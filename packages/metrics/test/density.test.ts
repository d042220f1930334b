import { describe, expect, it } from 'vitest';
import { bernoulliEntropy, entropyBound, motifDensity } from '../src/index.js';
import { toDense, worked } from './helpers.js';

describe('density', () => {
  it('is the fraction of nonzero entries, for sparse and dense maps', () => {
    expect(motifDensity(worked.map)).toBe(6 / 192);
    expect(motifDensity(toDense(worked.map))).toBe(6 / 192);
  });

  it('computes Bernoulli entropy in bits', () => {
    expect(bernoulliEntropy(0.5)).toBe(1);
    expect(bernoulliEntropy(0)).toBe(0);
    expect(bernoulliEntropy(1)).toBe(0);
    expect(bernoulliEntropy(0.11)).toBeCloseTo(0.4999, 4);
    expect(() => bernoulliEntropy(1.5)).toThrow('bernoulliEntropy: p: expected a probability in [0, 1], received 1.5');
  });

  it('gives the section 3.3 bound S·C·(H(B(δ)) + ηδ)', () => {
    const d = 5.022621e-5;
    const h = -d * Math.log2(d) - (1 - d) * Math.log2(1 - d);
    expect(entropyBound({ density: d, positions: 10_000, channels: 10 })).toBeCloseTo(100_000 * (h + 4 * d), 9);
    expect(entropyBound({ density: d, positions: 10_000, channels: 10, eta: 0 })).toBeCloseTo(100_000 * h, 9);
    expect(entropyBound({ density: 0, positions: 5, channels: 2 })).toBe(0);
    expect(() => entropyBound({ density: 0.1, positions: 0, channels: 2 })).toThrow('entropyBound: options.positions: expected a positive integer, received 0');
  });
});
