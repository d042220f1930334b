import type { Domain, Motif } from '../domain.js';

/** Which items a batch holds: `sample(seed, i)`, or `sampleRaw(i)` when seed is 'raw'. */
export type BatchSeed = number | 'raw';

/** The payload of one batch, as a worker posts it. */
export interface BatchData {
  readonly start: number;
  readonly size: number;
  readonly inputs: Float32Array;
  readonly labels: string[][];
  readonly motifs: Motif[][];
}

/** Values in one item's input. */
export function itemLength(domain: Domain): number {
  return domain.inputShape.reduce((a, b) => a * b, 1);
}

/**
 * Generates items [start, start + size) into one contiguous input buffer: `into` when given
 * (it must hold exactly `size` items), else a new one.
 */
export function generateBatch(domain: Domain, seed: BatchSeed, start: number, size: number, into?: Float32Array): BatchData {
  const length = itemLength(domain);
  const inputs = into ?? new Float32Array(size * length);
  const labels: string[][] = [];
  const motifs: Motif[][] = [];
  for (let k = 0; k < size; k++) {
    const item = seed === 'raw' ? domain.sampleRaw(start + k) : domain.sample(seed, start + k);
    inputs.set(item.input, k * length);
    labels.push([...item.label]);
    motifs.push([...item.motifs]);
  }
  return { start, size, inputs, labels, motifs };
}
