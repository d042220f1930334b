/**
 * Registration of the package's layers with tfjs serialization, so that
 * `tf.loadLayersModel` can restore models containing them (saved as
 * `class_name: "SpatialSparsity"`, `"BatchNorm"`, `"ShiftedReLU"`).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { ShiftedReLU } from './baselines.js';
import { BatchNorm } from './batch-norm.js';
import { SpatialSparsity } from './spatial-sparsity.js';

/**
 * Registers the layer classes (idempotent). `index.ts` calls it at load time;
 * a call, not a bare `import './register.js'`, because bundlers drop bare
 * imports of modules that package.json `sideEffects` does not list.
 * @internal
 */
export function registerLayers(): void {
  tf.serialization.registerClass(SpatialSparsity);
  tf.serialization.registerClass(BatchNorm);
  tf.serialization.registerClass(ShiftedReLU);
}
