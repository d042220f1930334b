import { describe, expect, it } from 'vitest';
import { inferenceBatchSize } from '../src/internal/inference-batch.js';

describe('inferenceBatchSize', () => {
  it('keeps 64 items for small inputs and shrinks the batch for large ones', () => {
    expect(inferenceBatchSize([48, 48, 1])).toBe(64);
    expect(inferenceBatchSize([642, 64])).toBe(64);
    expect(inferenceBatchSize([100, 100, 1])).toBe(34);
    // 64 LaTeX-OCR items overflowed the wasm heap in a validation; 8 fit.
    expect(inferenceBatchSize([120, 360, 1])).toBe(8);
    expect(inferenceBatchSize([4000, 4000, 1])).toBe(1);
    expect(inferenceBatchSize([48, 48, 1], 16)).toBe(16);
  });
});
