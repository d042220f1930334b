/** Shared fixtures for the model tests: backend set-up and small configurations. */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@sparling/backend';
import { createDomain } from '@sparling/domains';

import type { SparlingModelConfig } from '../src/index.js';

/** Activates the wasm backend with the training kernels. */
export async function useWasm(): Promise<void> {
  await initBackend({ backend: 'wasm' });
}

/** The reduced DigitCircle canvas of the cpu preset. */
export const smallDigitCircle = () => createDomain('digit-circle', { size: 48, minRadius: 8, jitter: 1, maxDigits: 4 });

/** A tiny image model for fast tests: 8×8×1 inputs, 3 motif channels, vocabulary of 4 outputs. */
export function tinyConfig(overrides: Partial<SparlingModelConfig> = {}): SparlingModelConfig {
  return {
    inputShape: [8, 8, 1],
    vocabulary: ['<s>', '</s>', 'a', 'b', 'c', 'd'],
    motifChannels: 3,
    motif: { dims: 2, width: 4, residualUnits: 1, kernelSize: 3 },
    bottleneck: { kind: 'sparling', density: 0.5, mode: 'per-channel', batchNorm: true, affine: true, lambda: 0, accumulate: false },
    post: { width: 16, pool: 2, rowLstm: true, heads: 2, encoderLayers: 1, decoderLayers: 1, feedForward: 32, dropout: 0 },
    maxLength: 6,
    ...overrides,
  };
}

/** Seeded uniform inputs. */
export function randomInputs(shape: number[], seed = 1): tf.Tensor {
  return tf.randomUniform(shape, 0, 1, 'float32', seed);
}

/** Max |a − b| of two equal-length arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i += 1) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}
