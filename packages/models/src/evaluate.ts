/**
 * Evaluation of a run (spec 7): E2EE and exact accuracy on the test seed, and the motif metrics
 * (FPE, FNE, CE, majority CE) on the reference's motif-evaluation items, for one snapshot, every
 * snapshot (Figure 5) or the latest checkpoint.
 */
import { inferenceBatchSize } from './internal/inference-batch.js';
import { motifMapValues, motifSpatialShape } from './internal/motif-map.js';
import * as tf from '@tensorflow/tfjs';
import { batches, createDomain, isDomainName, type Domain } from '@sparling/domains';
import { MotifEvaluator, endToEndError, type ConfusionMatrix, type DenseMotifMap } from '@sparling/metrics';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NamedArray, SparlingModelApi } from './contract.js';
import {
  findSnapshot,
  formatDensity,
  listSnapshots,
  readCheckpoint,
  readRunConfig,
  readSnapshotState,
  writeFileAtomic,
  type RunConfig,
  type Snapshot,
} from './checkpoint.js';
import { defaultModelFactory, type ModelFactory } from './train.js';

export interface EvaluateOptions {
  /** Snapshot density to evaluate (matched within 1%); `'latest'` for the latest checkpoint; `'all'` for every snapshot. */
  readonly density?: number | 'latest' | 'all';
  /** Items for E2EE and for the motif metrics (default 10,000 each, as in the paper). */
  readonly count?: number;
  /** Model constructor (default `new SparlingModel(config, { seed })`). */
  readonly createModel?: ModelFactory;
  readonly workers?: number;
  /** Items per forward pass (default 64, fewer for large inputs: 8 for LaTeX-OCR's 120 × 360). */
  readonly batchSize?: number;
  /** Called after each evaluated batch. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface EvaluationResult {
  /** Where the weights came from: `snapshots/density-…` or `checkpoints/latest`. */
  readonly source: string;
  readonly density: number | null;
  readonly sparsity: number | null;
  readonly minimumDensity: number;
  readonly samplesSeen: number;
  readonly fpe: number | null;
  readonly fpePaper: number | null;
  readonly fne: number | null;
  readonly ce: number | null;
  readonly ceMajority: number | null;
  /** Fraction of nonzero motif-map entries on the motif-evaluation items. */
  readonly measuredDensity: number | null;
  readonly e2ee: number | null;
  readonly accuracy: number | null;
  /** Items scored for E2EE / accuracy (seed −2). */
  readonly items: number;
  /** Items scored for the motif metrics. */
  readonly motifItems: number;
  readonly motifSeed: number | 'raw';
  /**
   * Counts of (true symbol, channel) over the motif-evaluation items, plain JSON: the data of the
   * paper's Figure 4 (`realignConfusion(confusion)` from `@sparling/metrics`). Null without a
   * bottleneck.
   */
  readonly confusion: ConfusionMatrix | null;
  readonly file: string;
}

/**
 * An `eval-<density>.json` as {@link evaluateRun} writes it: the result without `file`, plus the
 * `count` it was asked for. `confusion` is absent from files written before it existed.
 */
export interface StoredEvaluation extends Omit<EvaluationResult, 'file' | 'confusion'> {
  readonly count: number;
  readonly confusion?: ConfusionMatrix | null;
}

/** The motif-evaluation items of a domain (spec 7.3): DigitCircle uses `RandomState(i)`. */
export function motifEvaluationSeed(domain: Domain): number | 'raw' {
  return domain.name === 'digit-circle' ? 'raw' : -2;
}

export function domainOf(config: RunConfig): Domain {
  if (!isDomainName(config.domain.name)) throw new Error(`run.json: unknown domain "${config.domain.name}"`);
  return createDomain(config.domain.name, config.domain.options as never);
}

/**
 * Scores one model: E2EE/accuracy on seed −2 and motif metrics on the motif-evaluation items
 * (motif metrics null, `motifItems` 0, for a model without a bottleneck).
 */
export async function evaluateModel(
  model: SparlingModelApi,
  domain: Domain,
  options: { readonly count: number; readonly maxLength: number; readonly workers?: number; readonly batchSize?: number; readonly onProgress?: (done: number, total: number) => void },
): Promise<Omit<EvaluationResult, 'source' | 'density' | 'sparsity' | 'samplesSeen' | 'file'>> {
  const batchSize = options.batchSize ?? inferenceBatchSize(domain.inputShape);
  const workers = options.workers ?? 1;
  // Without a bottleneck (Retrained, spec 8.7) the "motif map" is g's raw logits, signed and
  // dense: the motif metrics are undefined there, so only E2EE and accuracy are scored.
  const motifs = model.config.bottleneck.kind !== 'none';
  const total = (motifs ? 2 : 1) * options.count;
  let done = 0;
  const truths: string[][] = [];
  const predictions: string[][] = [];
  for await (const batch of batches(domain, { seed: -2, batchSize, end: options.count, workers })) {
    const x = tf.tensor(batch.inputs, [...batch.shape]);
    try {
      predictions.push(...(await model.decode(x, options.maxLength)));
    } finally {
      x.dispose();
    }
    truths.push(...batch.labels.map((l) => [...l]));
    done += batch.size;
    options.onProgress?.(done, total);
  }
  const e2e = endToEndError(truths, predictions);
  const motifSeed = motifEvaluationSeed(domain);
  if (!motifs) {
    return {
      minimumDensity: domain.minimumDensity,
      fpe: null,
      fpePaper: null,
      fne: null,
      ce: null,
      ceMajority: null,
      measuredDensity: null,
      e2ee: e2e.e2ee,
      accuracy: e2e.exactAccuracy,
      items: truths.length,
      motifItems: 0,
      motifSeed,
      confusion: null,
    };
  }

  const evaluator = new MotifEvaluator();
  const spatial = motifSpatialShape(domain.inputShape);
  const channels = model.config.motifChannels;
  const perItem = spatial.reduce((p, d) => p * d, 1) * channels;
  for await (const batch of batches(domain, { seed: motifSeed, batchSize, end: options.count, workers })) {
    const values = await motifMapValues(model, batch.inputs, batch.shape);
    batch.motifs.forEach((motifs, i) => {
      const map: DenseMotifMap = { kind: 'dense', shape: spatial, channels, values: values.subarray(i * perItem, (i + 1) * perItem) };
      evaluator.add(map, motifs);
    });
    done += batch.size;
    options.onProgress?.(done, total);
  }
  const m = evaluator.result();
  return {
    minimumDensity: domain.minimumDensity,
    fpe: m.fpe,
    fpePaper: m.fpePaper,
    fne: m.fne,
    ce: m.ce,
    ceMajority: m.ceMajority,
    measuredDensity: m.density,
    e2ee: e2e.e2ee,
    accuracy: e2e.exactAccuracy,
    items: truths.length,
    motifItems: m.counts.items,
    motifSeed,
    confusion: m.confusion,
  };
}

/** Weights to evaluate: a snapshot or the latest checkpoint. */
export interface EvaluationTarget {
  readonly source: string;
  readonly density: number | null;
  readonly sparsity: number | null;
  readonly samplesSeen: number;
  readonly state: () => Promise<NamedArray[]>;
}

/**
 * The weights `density` names in a run (see {@link EvaluateOptions.density}): a snapshot within
 * 1%, every snapshot, or the latest checkpoint; by default the lowest-density snapshot, or the
 * latest checkpoint when the run has none.
 */
export async function evaluationTargets(runDir: string, density: EvaluateOptions['density']): Promise<EvaluationTarget[]> {
  const snapshots = await listSnapshots(runDir);
  const latest = async (): Promise<EvaluationTarget> => {
    const checkpoint = await readCheckpoint(runDir);
    if (!checkpoint) throw new Error(`${runDir} has no checkpoint yet`);
    return {
      source: 'checkpoints/latest',
      density: checkpoint.annealer ? checkpoint.annealer.density : null,
      sparsity: checkpoint.annealer ? checkpoint.annealer.sparsity : null,
      samplesSeen: checkpoint.progress.samplesSeen,
      state: async () => checkpoint.state,
    };
  };
  const fromSnapshot = (s: Snapshot): EvaluationTarget => ({
    source: `snapshots/${s.name}`,
    density: s.density,
    sparsity: s.sparsity,
    samplesSeen: s.samplesSeen,
    state: () => readSnapshotState(s),
  });
  if (density === 'latest') return [await latest()];
  if (density === 'all') return snapshots.length > 0 ? snapshots.map(fromSnapshot) : [await latest()];
  if (typeof density === 'number') return [fromSnapshot(findSnapshot(snapshots, density))];
  const lowest = snapshots[snapshots.length - 1];
  return lowest ? [fromSnapshot(lowest)] : [await latest()];
}

/** A model of the run's configuration holding the target's weights; the caller disposes it. */
export async function loadTargetModel(config: RunConfig, target: EvaluationTarget, createModel: ModelFactory = defaultModelFactory): Promise<SparlingModelApi> {
  const model = createModel(config.model, { seed: config.seed });
  try {
    model.setState(await target.state());
    if (target.sparsity !== null && model.bottleneck.sparsityLayer !== null) model.bottleneck.sparsity = target.sparsity;
  } catch (err) {
    model.dispose();
    throw err;
  }
  return model;
}

function evaluationFile(runDir: string, density: number | null): string {
  return join(runDir, density === null ? 'eval-latest.json' : `eval-${formatDensity(density)}.json`);
}

/**
 * The stored result of {@link evaluateRun} for the snapshot at `density` (its exact density, as
 * in `Snapshot.density`) or for the latest checkpoint (`'latest'`); null when there is none.
 */
export async function readEvaluation(runDir: string, density: number | 'latest'): Promise<StoredEvaluation | null> {
  const file = evaluationFile(runDir, density === 'latest' ? null : density);
  if (!existsSync(file)) return null;
  return JSON.parse(await readFile(file, 'utf8')) as StoredEvaluation;
}

/**
 * Evaluates a run folder and writes `eval-<density>.json` (or `eval-latest.json`) next to it.
 * Without `density`, evaluates the lowest-density snapshot, or the latest checkpoint when
 * the run has no snapshot (e.g. Non-Sparse and Retrained runs).
 */
export async function evaluateRun(runDir: string, options: EvaluateOptions = {}): Promise<EvaluationResult[]> {
  const config = await readRunConfig(runDir);
  const domain = domainOf(config);
  const targets = await evaluationTargets(runDir, options.density);

  const count = options.count ?? 10_000;
  const results: EvaluationResult[] = [];
  for (const target of targets) {
    const model = await loadTargetModel(config, target, options.createModel);
    let scored: Awaited<ReturnType<typeof evaluateModel>>;
    try {
      scored = await evaluateModel(model, domain, {
        count,
        maxLength: config.training.validationMaxLength,
        ...(options.workers !== undefined ? { workers: options.workers } : {}),
        ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    } finally {
      model.dispose();
    }
    // Snapshot files are named by density; the checkpoint's is eval-latest.json even when it has one.
    const file = evaluationFile(runDir, target.source === 'checkpoints/latest' ? null : target.density);
    const result: EvaluationResult = {
      source: target.source,
      density: target.density,
      sparsity: target.sparsity,
      samplesSeen: target.samplesSeen,
      ...scored,
      file,
    };
    await writeFileAtomic(file, `${JSON.stringify({ ...result, file: undefined, count }, null, 2)}\n`);
    results.push(result);
  }
  return results;
}
