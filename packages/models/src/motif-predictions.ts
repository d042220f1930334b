/**
 * The data of the paper's Figure 2: a few items with their true motifs and the points where the
 * trained motif model fires, each channel named by the symbol the confusion matrix gives it.
 */
import { inferenceBatchSize } from './internal/inference-batch.js';
import { motifMapValues, motifSpatialShape } from './internal/motif-map.js';
import { fail } from '@sparling/errors';
import { batches, type Motif } from '@sparling/domains';
import { realignConfusion, type ConfusionMatrix } from '@sparling/metrics';
import { readRunConfig } from './checkpoint.js';
import { domainOf, evaluationTargets, loadTargetModel, motifEvaluationSeed, readEvaluation } from './evaluate.js';
import type { ModelFactory } from './train.js';

/**
 * One local maximum of a motif map's channel.
 *
 * @example
 * ```ts
 * const peak: MotifPeak = { channel: 2, position: [44, 18], value: 0.9 };
 * ```
 */
export interface MotifPeak {
  readonly channel: number;
  /** One coordinate per spatial axis, e.g. `[row, column]`. */
  readonly position: readonly number[];
  readonly value: number;
}

/**
 * A predicted maximal motif of {@link predictMotifs}: a peak plus the symbol its channel stands for.
 *
 * @example
 * ```ts
 * const motif: PredictedMaximalMotif = { channel: 2, symbol: '6', position: [44, 18], value: 0.9 };
 * ```
 */
export interface PredictedMaximalMotif extends MotifPeak {
  /** The channel's symbol from {@link channelSymbols}; null when no confusion matrix names it. */
  readonly symbol: string | null;
}

/**
 * One item of {@link predictMotifs}; it has the fields of a `Sample` from `@sparling/domains`, so
 * `renderSample(item, { predicted })` draws it.
 *
 * @example
 * ```ts
 * const { input, shape, label, motifs, predicted } = (await predictMotifs('runs/dc')).items[0]!;
 * ```
 */
export interface MotifPredictionItem {
  /** Index of the item in `MotifPredictions.seed` (with `'raw'`, the `RandomState` seed). */
  readonly index: number;
  /** Channels-last input, `shape` as the domain's `inputShape`. */
  readonly input: Float32Array;
  readonly shape: readonly number[];
  readonly label: readonly string[];
  /** The true motifs with their footprints, in placement order. */
  readonly motifs: readonly Motif[];
  /** Strongest first. */
  readonly predicted: readonly PredictedMaximalMotif[];
}

/**
 * What {@link predictMotifs} returns.
 *
 * @example
 * ```ts
 * const { source, channelSymbols, items } = await predictMotifs('runs/dc', { count: 4 });
 * ```
 */
export interface MotifPredictions {
  /** Where the weights came from: `snapshots/density-…` or `checkpoints/latest`. */
  readonly source: string;
  readonly density: number | null;
  readonly seed: number | 'raw';
  /** Per channel, the symbol it stands for (null: unnamed), as in {@link channelSymbols}. */
  readonly channelSymbols: readonly (string | null)[];
  readonly items: readonly MotifPredictionItem[];
}

/**
 * Options of {@link predictMotifs}.
 *
 * @example
 * ```ts
 * const options: MotifPredictionOptions = { density: 5.02e-5, count: 8 };
 * ```
 */
export interface MotifPredictionOptions {
  /** A snapshot density (within 1%) or `'latest'`; default the lowest-density snapshot, or the latest checkpoint without snapshots. */
  readonly density?: number | 'latest';
  /** Items to return (an integer ≥ 1); default 4. */
  readonly count?: number;
  /** Dataset seed of the items; default the domain's motif-evaluation items (DigitCircle: `RandomState(i)`). */
  readonly seed?: number | 'raw';
  /**
   * The confusion matrix that names the channels; default the one stored with the target's
   * evaluation (`eval-<density>.json`, see `evaluateRun`), or null (unnamed) if there is none.
   */
  readonly confusion?: ConfusionMatrix | null;
  readonly createModel?: ModelFactory;
  /** Items per forward pass; default 16. */
  readonly batchSize?: number;
}

/**
 * The nonzero entries of a channels-last motif map that are local maxima of their channel: at
 * least as large as every neighbour (8 in 2-D, 2 in 1-D). Of equal neighbours only the first in
 * row-major order counts, so a flat pair gives one peak. Ordered strongest first.
 *
 * @param values - `prod(shape) × channels` values; channel `c` at flat position `p` is `values[p * channels + c]`.
 * @example
 * ```ts
 * localMaxima(new Float32Array([0, 0.2, 0.9, 0]), [4], 1); // [{ channel: 0, position: [2], value: 0.9 }]
 * ```
 */
export function localMaxima(values: ArrayLike<number>, shape: readonly number[], channels: number): MotifPeak[] {
  const where = 'localMaxima';
  if (!Array.isArray(shape) || shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) fail(where, 'shape', 'a list of positive integers', shape);
  if (!Number.isInteger(channels) || channels < 1) fail(where, 'channels', 'a positive integer', channels);
  const positions = shape.reduce((p, d) => p * d, 1);
  if (values === null || typeof values !== 'object' || values.length !== positions * channels) {
    fail(where, 'values', `${positions * channels} numbers (prod(shape) × channels)`, values);
  }
  const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((p, d) => p * d, 1));
  // Every offset in {-1, 0, 1}^rank except the origin.
  let offsets: number[][] = [[]];
  for (let axis = 0; axis < shape.length; axis++) offsets = offsets.flatMap((o) => [-1, 0, 1].map((d) => [...o, d]));
  offsets = offsets.filter((o) => o.some((d) => d !== 0));

  const peaks: MotifPeak[] = [];
  const coords = new Array<number>(shape.length).fill(0);
  for (let p = 0; p < positions; p++) {
    strides.forEach((stride, axis) => (coords[axis] = Math.floor(p / stride) % shape[axis]!));
    for (let c = 0; c < channels; c++) {
      const v = values[p * channels + c]!;
      if (!(v > 0)) continue;
      const isPeak = offsets.every((offset) => {
        let q = 0;
        for (let axis = 0; axis < shape.length; axis++) {
          const x = coords[axis]! + offset[axis]!;
          if (x < 0 || x >= shape[axis]!) return true;
          q += x * strides[axis]!;
        }
        const n = values[q * channels + c]!;
        return n < v || (n === v && q > p);
      });
      if (isPeak) peaks.push({ channel: c, position: [...coords], value: v });
    }
  }
  return peaks.sort((a, b) => b.value - a.value);
}

/**
 * The symbol each channel stands for in the realigned confusion matrix (`realignConfusion`,
 * the paper's Figure 4): the true symbol whose row holds the largest share of the channel's
 * column, the cell the realignment moves onto the diagonal. Figure 2 labels its dots this way,
 * since channel order is arbitrary. Null for a channel that covered no footprint.
 *
 * @param confusion - e.g. `EvaluationResult.confusion` or `MotifMetrics.confusion`.
 * @example
 * ```ts
 * channelSymbols({ rows: ['1', '2', 'none'], columns: ['A', 'B', 'none'], counts: [[0, 5, 0], [4, 0, 1], [0, 0, 0]] }); // ['2', '1']
 * ```
 */
export function channelSymbols(confusion: ConfusionMatrix): (string | null)[] {
  const shown = realignConfusion(confusion);
  const channels = confusion.columns.slice(0, -1);
  const symbols = new Array<string | null>(channels.length).fill(null);
  shown.columns.forEach((name, j) => {
    const channel = channels.indexOf(name);
    if (channel < 0) return;
    let best: string | null = null;
    let bestValue = 0;
    shown.rows.forEach((row, k) => {
      const f = shown.fractions[k]![j]!;
      // Strictly greater, as realignConfusion's ordering: ties go to the earlier row.
      if (row !== 'none' && f > bestValue) {
        bestValue = f;
        best = row;
      }
    });
    symbols[channel] = best;
  });
  return symbols;
}

/**
 * The paper's Figure 2 data for a run: for the first `count` items of the motif-evaluation
 * seed, the input, the label, the true motifs with footprints, and the predicted maximal motifs
 * (the {@link localMaxima} of the sparse motif map in inference mode), each labelled with the
 * symbol its channel stands for ({@link channelSymbols}).
 *
 * @throws when the run has no bottleneck: its "motif map" is g's signed, dense output.
 * @example
 * ```ts
 * const { items } = await predictMotifs('runs/digit-circle-cpu-seed1', { count: 4 });
 * items[0]?.predicted[0]; // { channel: 2, symbol: '6', position: [44, 18], value: 0.93 }
 * ```
 */
export async function predictMotifs(runDir: string, options: MotifPredictionOptions = {}): Promise<MotifPredictions> {
  const where = 'predictMotifs';
  const count = options.count ?? 4;
  if (!Number.isInteger(count) || count < 1) fail(where, 'options.count', 'an integer >= 1', count);
  if (options.batchSize !== undefined && (!Number.isInteger(options.batchSize) || options.batchSize < 1)) fail(where, 'options.batchSize', 'an integer >= 1', options.batchSize);
  const config = await readRunConfig(runDir);
  if (config.model.bottleneck.kind === 'none') {
    throw new Error(`${where}: ${runDir} has no bottleneck (bottleneck.kind "none"): its motif map is g's dense output, which has no motifs to show`);
  }
  const domain = domainOf(config);
  const batchSize = options.batchSize ?? inferenceBatchSize(domain.inputShape, 16);
  const seed = options.seed ?? motifEvaluationSeed(domain);
  const [target] = await evaluationTargets(runDir, options.density);
  if (!target) throw new Error(`${where}: ${runDir} has no weights to load`);
  const confusion =
    options.confusion !== undefined
      ? options.confusion
      : ((await readEvaluation(runDir, target.source === 'checkpoints/latest' ? 'latest' : (target.density ?? 'latest')))?.confusion ?? null);
  const channels = config.model.motifChannels;
  const symbols = confusion ? channelSymbols(confusion) : new Array<string | null>(channels).fill(null);
  const spatial = motifSpatialShape(domain.inputShape);
  const perItem = spatial.reduce((p, d) => p * d, 1) * channels;
  const perInput = domain.inputShape.reduce((p, d) => p * d, 1);

  const model = await loadTargetModel(config, target, options.createModel);
  const items: MotifPredictionItem[] = [];
  try {
    for await (const batch of batches(domain, { seed, batchSize, end: count, workers: 0 })) {
      const values = await motifMapValues(model, batch.inputs, batch.shape);
      for (let i = 0; i < batch.size; i++) {
        const peaks = localMaxima(values.subarray(i * perItem, (i + 1) * perItem), spatial, channels);
        items.push({
          index: batch.start + i,
          input: batch.inputs.slice(i * perInput, (i + 1) * perInput),
          shape: domain.inputShape,
          label: batch.labels[i] ?? [],
          motifs: batch.motifs[i] ?? [],
          predicted: peaks.map((p) => ({ ...p, symbol: symbols[p.channel] ?? null })),
        });
      }
    }
  } finally {
    model.dispose();
  }
  return { source: target.source, density: target.density, seed, channelSymbols: symbols, items };
}
