import { describe, expect, it } from 'vitest';
import { computeSeed } from '../src/index.js';

describe('computeSeed', () => {
  it('matches the spec 3.4 examples', () => {
    expect(computeSeed(1, 0)).toBe(3993328244);
    expect(computeSeed(1, 1)).toBe(635502921);
    expect(computeSeed(-1, 0)).toBe(2072014212);
    expect(computeSeed(-2, 0)).toBe(4270960298);
    expect(computeSeed(9, 12345)).toBe(2730335011);
  });
  it('matches Python for more seeds, including ones beyond 2^32 and bigints', () => {
    expect(computeSeed(0, 0)).toBe(2056903543);
    expect(computeSeed(-7, 0)).toBe(3617307845);
    expect(computeSeed(123456789012, 5)).toBe(27304946);
    expect(computeSeed(123456789012n, 5n)).toBe(27304946);
  });
  it('reduces the index modulo looping first, as Python does for negative indices', () => {
    expect(computeSeed(1, 12, 12)).toBe(computeSeed(1, 0));
    expect(computeSeed(1, -11, 12)).toBe(computeSeed(1, 1));
  });
  it('names bad arguments', () => {
    expect(() => computeSeed(1.5, 0)).toThrow('computeSeed: seed: expected a safe integer or a bigint, received 1.5');
    expect(() => computeSeed(1, Number.NaN)).toThrow('computeSeed: index: expected a safe integer or a bigint, received NaN');
    expect(() => computeSeed(1, 0, 0)).toThrow('computeSeed: looping: expected a positive integer, received 0');
  });
});
