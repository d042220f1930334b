/**
 * `@sparling/layer`: the SPARLING spatial sparsity layer, its batch-norm
 * bottleneck, the adaptive density annealer and the L1/KL baselines for
 * TensorFlow.js. Works on whatever tfjs backend is active; importing it
 * registers the layer classes for `tf.loadLayersModel`.
 *
 * @packageDocumentation
 */
import { registerLayers } from './register.js';

export {
  AnnealerCallback,
  annealerCallback,
  type AnnealerCallbackOptions,
  type AnnealerValidationEvent,
  type SparsityHolder,
} from './annealer-callback.js';
export {
  DensityAnnealer,
  type DensityAnnealerOptions,
  type DensityAnnealerState,
  type DensityAnnealerUpdate,
} from './annealer.js';
export {
  KL_DEFAULT_TARGET_DENSITY,
  klAuxLoss,
  l1AuxLoss,
  ShiftedReLU,
  type ShiftedReLUOptions,
} from './baselines.js';
export { BatchNorm, type BatchNormOptions } from './batch-norm.js';
export {
  Bottleneck,
  bottleneck,
  type BottleneckKind,
  type BottleneckOptions,
  type BottleneckOutputs,
  type SparseBottleneck,
  sparseBottleneck,
} from './bottleneck.js';
export { channelDensities, measuredDensity, type MeasuredDensityOptions } from './density.js';
export { channelKthSmallest, emaThreshold, kthSmallest, thresholdRank } from './quantile.js';
export { type SparsityMode, SpatialSparsity, type SpatialSparsityOptions } from './spatial-sparsity.js';

// The package's one side effect (package.json lists dist/index.* in sideEffects).
registerLayers();
