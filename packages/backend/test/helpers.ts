import * as tf from '@tensorflow/tfjs';

/** Deterministic values in [-1, 1), so the cpu and wasm runs see identical inputs. */
export function seeded(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

export function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seeded(shape.reduce((a, b) => a * b, 1), seed), shape);
}

/** Runs `compute` on `backendName` and returns its outputs as plain arrays, disposing everything. */
export async function runOn(
  backendName: string,
  compute: () => tf.Tensor[],
): Promise<Float32Array[]> {
  await tf.setBackend(backendName);
  const outs = tf.tidy(compute);
  const data = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return data;
}

/** Largest |a - b| divided by the largest |b| (at least 1). */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) {
    throw new Error(`length ${actual.length} != ${expected.length}`);
  }
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs((actual[i] ?? NaN) - (expected[i] ?? NaN)));
    scale = Math.max(scale, Math.abs(expected[i] ?? 0));
  }
  return Number.isNaN(diff) ? Infinity : diff / scale;
}

/** Computes on cpu, then on wasm, and returns the relative error of each output. */
export async function compareWithCpu(compute: () => tf.Tensor[]): Promise<number[]> {
  const expected = await runOn('cpu', compute);
  const actual = await runOn('wasm', compute);
  return actual.map((a, i) => relativeError(a, expected[i] ?? new Float32Array()));
}
