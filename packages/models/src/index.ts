/**
 * `@sparling/models`: the SPARLING end-to-end model (motif model, sparse bottleneck,
 * LSTM + Transformer encoder/decoder), its presets, and its building blocks.
 *
 * @packageDocumentation
 */
export type {
  BottleneckConfig,
  MotifModelConfig,
  NamedArray,
  PostSparseConfig,
  SparlingModelApi,
  SparlingModelConfig,
} from './contract.js';
export type { Preset, PresetAnnealerOptions, PresetTraining } from './preset-types.js';
export { causalMask, keyPaddingMask, MASKED, MultiHeadAttention } from './attention.js';
export { BidirectionalLstm } from './lstm.js';
export { Convolution } from './convolution.js';
export { createSparlingModel } from './create-sparling-model.js';
export { dropout, DropoutSeeds } from './dropout.js';
export { LayerNorm } from './layer-norm.js';
export { Linear, type LinearOptions } from './linear.js';
export { checkMotifModelConfig, MotifModel, receptiveField } from './motif-model.js';
export { constant, type Initializer, normal, type ParameterEntry, ParameterStore, uniform } from './parameter-store.js';
export { centroidDirections, gridCoordinates, gridEncoding, polarCoordinates, sinusoidalEncoding } from './positional-encoding.js';
export { checkPostSparseConfig, PostSparseModel } from './post-sparse-model.js';
export { cpuPreset, paperPreset, type PresetName, presets } from './presets.js';
export {
  checkSparlingModelConfig,
  SparlingModel,
  type SparlingModelOptions,
  type SparlingModelOverrides,
  withOverrides,
} from './sparling-model.js';
export {
  TransformerDecoder,
  TransformerDecoderLayer,
  TransformerEncoder,
  TransformerEncoderLayer,
  type TransformerOptions,
} from './transformer.js';
export {
  appendLog,
  findSnapshot,
  formatDensity,
  listSnapshots,
  loadRun,
  readCheckpoint,
  readLog,
  readRunConfig,
  readSnapshotState,
  snapshotName,
  writeDirAtomic,
  writeFileAtomic,
  type Checkpoint,
  type LoadedRun,
  type OptimizerState,
  type RunConfig,
  type Snapshot,
  type SnapshotInfo,
  type StopReason,
  type TrainProgressState,
  type ValidationRecord,
} from './checkpoint.js';
export {
  defaultModelFactory,
  getOptimizerState,
  runConfigDifference,
  setOptimizerState,
  train,
  validationAccuracy,
  type ModelFactory,
  type TrainOptions,
  type TrainProgress,
  type TrainResult,
} from './train.js';
export {
  domainOf,
  evaluateModel,
  evaluateRun,
  motifEvaluationSeed,
  readEvaluation,
  type EvaluateOptions,
  type EvaluationResult,
  type StoredEvaluation,
} from './evaluate.js';
/** Figure 2 data: a few items with their true motifs and the model's maximal motifs, channels named by the confusion matrix. */
export {
  channelSymbols,
  localMaxima,
  predictMotifs,
  type MotifPeak,
  type MotifPredictionItem,
  type MotifPredictionOptions,
  type MotifPredictions,
  type PredictedMaximalMotif,
} from './motif-predictions.js';
