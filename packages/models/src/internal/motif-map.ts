import * as tf from '@tensorflow/tfjs';
import type { SparlingModelApi } from '../contract.js';

/** The spatial shape of a motif map for inputs of `inputShape`: an image's height and width, a sequence's length. */
export function motifSpatialShape(inputShape: readonly number[]): number[] {
  return inputShape.length === 3 ? inputShape.slice(0, 2) : inputShape.slice(0, 1);
}

/**
 * The sparse motif maps of a batch of inputs, read back as one flat array (item-major, channels
 * last). No tensor outlives the call, whatever the model throws.
 */
export async function motifMapValues(model: Pick<SparlingModelApi, 'motifMap'>, inputs: Float32Array, shape: readonly number[]): Promise<Float32Array> {
  const x = tf.tensor(inputs, [...shape]);
  try {
    const map = model.motifMap(x);
    try {
      return (await map.data()) as Float32Array;
    } finally {
      map.dispose();
    }
  } finally {
    x.dispose();
  }
}
