import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the example is plain JavaScript, as a user would write it.
import { run } from '../main.mjs';

describe('layer quickstart example', () => {
  it('trains, anneals the density, and scores the motif map', async () => {
    const lines: string[] = [];
    const result = await run({ steps: 20, log: (l: string) => lines.push(l) });
    expect(lines[0]).toMatch(/^backend (wasm|cpu|tensorflow)/);
    expect(result.density).toBeLessThan(0.5);
    expect(result.thresholds).toHaveLength(4);
    expect(result.metrics.counts.trueMotifs).toBe(1);
    expect(result.metrics.density).toBeGreaterThan(0);
  });
  it('leaves no tensors behind', async () => {
    await run({ steps: 2, log: () => {} });
    const before = tf.memory().numTensors;
    await run({ steps: 5, log: () => {} });
    expect(tf.memory().numTensors).toBe(before);
  });
});
