/**
 * Motif metrics for SPARLING-style motif models (FNE, FPE, CE, confusion matrices, end-to-end
 * error, density and information bounds, bootstrap intervals) over plain arrays: no tfjs, so
 * maps from PyTorch, JAX or anything else can be evaluated.
 *
 * @packageDocumentation
 */
export type { Activation, DenseMotifMap, Footprint, MotifMap, SparseMotifMap, TrueMotif } from './motif-map.js';
export { MotifInputError } from './errors.js';
export { channelNames, type ChannelNameStyle } from './channel-names.js';
export { categorize, type CategorizedItem, type FootprintResult } from './categorize.js';
export { MotifEvaluator, evaluateMotifs, type EvaluateOptions, type MotifCounts, type MotifMetrics } from './dataset-metrics.js';
export { linearSumAssignment, type Assignment } from './assignment.js';
export {
  fneBySymbol,
  realignConfusion,
  symbolChannels,
  type ConfusionMatrix,
  type RealignOptions,
  type RealignedConfusion,
  type SymbolChannel,
  type SymbolFne,
} from './confusion.js';
export { renderConfusionPng, renderConfusionSvg, type RenderConfusionOptions } from './render-confusion.js';
export { editDistance, endToEndError, normalizedEditDistance, type EndToEndError, type Token } from './edit-distance.js';
export { bernoulliEntropy, entropyBound, motifDensity, type EntropyBoundOptions } from './density.js';
export { bootstrapMeanCI, type BootstrapInterval, type BootstrapOptions } from './bootstrap.js';
export { parseMetricsInput, type MetricsInputItem } from './input-format.js';
