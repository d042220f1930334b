import { describe, expect, it } from 'vitest';

import * as api from '../src/index.js';

describe('public API', () => {
  it('exports exactly these runtime names (update deliberately when the API changes)', () => {
    const manifest = Object.fromEntries(Object.entries(api).map(([name, value]) => [name, typeof value]));
    expect(manifest).toEqual({
      AnnealerCallback: 'function',
      annealerCallback: 'function',
      BatchNorm: 'function',
      Bottleneck: 'function',
      bottleneck: 'function',
      channelDensities: 'function',
      channelKthSmallest: 'function',
      DensityAnnealer: 'function',
      emaThreshold: 'function',
      KL_DEFAULT_TARGET_DENSITY: 'number',
      klAuxLoss: 'function',
      kthSmallest: 'function',
      l1AuxLoss: 'function',
      measuredDensity: 'function',
      ShiftedReLU: 'function',
      sparseBottleneck: 'function',
      SpatialSparsity: 'function',
      thresholdRank: 'function',
    });
  });

  it('registers every layer class for tf.loadLayersModel', async () => {
    const tf = await import('@tensorflow/tfjs');
    const registered = tf.serialization.SerializationMap.getMap().classNameMap;
    for (const name of ['SpatialSparsity', 'BatchNorm', 'ShiftedReLU']) expect(registered[name]).toBeDefined();
  });
});
