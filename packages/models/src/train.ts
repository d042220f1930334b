/**
 * The SPARLING training loop (spec 2.3): streams never-repeated training items, steps Adam per
 * batch, validates every `validateEvery` samples on seed −1, lets the annealer cut the density,
 * snapshots the model before each cut, and checkpoints so a run can resume bit for bit.
 * With `training.settleSamples` the cut that would go below the stopping density is taken back
 * and the run trains on at its final density for that many samples before it stops.
 * With `replicas` > 1 each step is split over worker-thread copies of the model
 * (`internal/replicas.ts`). No console output: callers render `onProgress` / `onValidation`.
 */
import { checkInteger, invalid } from './internal/errors.js';
import { inferenceBatchSize } from './internal/inference-batch.js';
import { DataParallel } from './internal/replicas.js';
import * as tf from '@tensorflow/tfjs';
import { assertBackendHealthy } from '@sparling/backend';
import { batches, type Domain } from '@sparling/domains';
import { DensityAnnealer } from '@sparling/layer';
import { mkdir } from 'node:fs/promises';
import type { NamedArray, SparlingModelApi, SparlingModelConfig } from './contract.js';
import type { PresetTraining } from './preset-types.js';
import { SparlingModel } from './sparling-model.js';
import {
  appendLog,
  readCheckpoint,
  readRunConfig,
  truncateLog,
  writeCheckpoint,
  writeRunConfig,
  writeSnapshot,
  type OptimizerState,
  type RunConfig,
  type StopReason,
  type TrainProgressState,
  type ValidationRecord,
} from './checkpoint.js';

/** Builds a model; the default is `new SparlingModel(config, { seed })`. */
export type ModelFactory = (config: SparlingModelConfig, options: { readonly seed: number }) => SparlingModelApi;

/** `new SparlingModel(config, { seed })`. */
export const defaultModelFactory: ModelFactory = (config, options) => new SparlingModel(config, { seed: options.seed });

export interface TrainProgress {
  readonly samplesSeen: number;
  /** Samples at which this call started (0, or the resumed checkpoint's count). */
  readonly startSamples: number;
  readonly maxSamples: number;
  readonly loss: number;
  readonly density: number | null;
  readonly target: number | null;
  readonly lastAccuracy: number | null;
  /** Training samples per second in this call (data, step and validations included). */
  readonly samplesPerSecond: number;
}

export interface TrainOptions {
  readonly domain: Domain;
  readonly model: SparlingModelConfig;
  readonly training: PresetTraining;
  /** Training data seed (items `sample(seed, i)`, i = 0, 1, …) and weight-initialisation seed. */
  readonly seed: number;
  /** Run folder (created if missing). */
  readonly runDir: string;
  /** Continue from `runDir`'s latest checkpoint; its run.json must describe the same run. */
  readonly resume?: boolean;
  /** Model constructor; see {@link ModelFactory}. */
  readonly createModel?: ModelFactory;
  /** Preset name, recorded in run.json. */
  readonly preset?: string;
  /**
   * The Retrained setting (spec 8.7): start from this model state (g and h from a snapshot),
   * train only h (`frozenMotifModel`). `model.bottleneck.kind` should be `'none'`.
   */
  readonly retrain?: { readonly source: string; readonly density: number; readonly state: readonly NamedArray[] };
  /** Stop (after writing a checkpoint) once this many samples have been seen; the run stays resumable. */
  readonly until?: number;
  /** Abort: the loop stops after the current step, writes a checkpoint and returns. */
  readonly signal?: AbortSignal;
  /** Worker threads generating data (default 1; 0 generates on this thread). */
  readonly workers?: number;
  /**
   * Data-parallel replicas of the model (default 1: every step on this thread). With N > 1,
   * N − 1 worker threads hold copies of the model on this thread's backend ('wasm' or 'cpu'),
   * each batch is split into N equal parts (`training.batchSize` must be a multiple of N), and
   * every replica computes the loss and gradients of its part from this model's state; the
   * gradients are averaged and applied by this thread's Adam, and the reported loss is the mean
   * of the parts' losses. Each part's dropout masks are drawn at the index of its first item.
   * Batch-norm running statistics and sparsity thresholds are updated by each replica on its own
   * part, then set to their mean over the replicas: each replica's quantile is computed on its
   * part, like unsynchronised batch norm in PyTorch's DistributedDataParallel. Only the default
   * model is supported (no `createModel`). Validation, snapshots, annealing and checkpoints stay
   * on this thread, so a run may be resumed with another replica count. A final batch that the
   * budget cuts to a size N does not divide is trained on this thread alone.
   */
  readonly replicas?: number;
  /** Called after every optimizer step. */
  readonly onProgress?: (progress: TrainProgress) => void;
  /** Called after every validation (after the log line and checkpoint are written). */
  readonly onValidation?: (record: ValidationRecord) => void;
}

export interface TrainResult {
  readonly runDir: string;
  readonly samplesSeen: number;
  readonly startSamples: number;
  readonly stopReason: StopReason;
  readonly density: number | null;
  readonly lastAccuracy: number | null;
  readonly lastLoss: number | null;
  /** Validations done in this call. */
  readonly validations: readonly ValidationRecord[];
  readonly seconds: number;
  readonly samplesPerSecond: number;
}

/** Exact-match accuracy over the first `items` items of `seed`, greedy decoding in inference mode. */
export async function validationAccuracy(
  model: SparlingModelApi,
  domain: Domain,
  options: { readonly seed: number; readonly items: number; readonly maxLength: number; readonly batchSize?: number; readonly workers?: number },
): Promise<number> {
  let correct = 0;
  let total = 0;
  for await (const batch of batches(domain, { seed: options.seed, batchSize: options.batchSize ?? inferenceBatchSize(domain.inputShape), end: options.items, workers: options.workers ?? 1 })) {
    const x = tf.tensor(batch.inputs, [...batch.shape]);
    let decoded: string[][];
    try {
      decoded = await model.decode(x, options.maxLength);
    } finally {
      x.dispose();
    }
    batch.labels.forEach((label, i) => {
      const d = decoded[i] ?? [];
      if (d.length === label.length && d.every((t, j) => t === label[j])) correct++;
    });
    total += batch.size;
  }
  return total === 0 ? 0 : correct / total;
}

interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

/** Reads Adam's complete state (moments, iteration counter and bias-correction powers). */
export async function getOptimizerState(optimizer: tf.Optimizer): Promise<OptimizerState> {
  const weights = await optimizer.getWeights();
  const [iter, ...rest] = weights;
  const iterations = iter ? (await iter.tensor.data())[0] ?? 0 : 0;
  iter?.tensor.dispose();
  const variables: NamedArray[] = [];
  for (const w of rest) variables.push({ name: w.name, shape: [...w.tensor.shape], values: Float32Array.from(await w.tensor.data()) });
  const internals = optimizer as unknown as AdamInternals;
  return {
    iterations,
    accBeta1: (await internals.accBeta1.data())[0] ?? NaN,
    accBeta2: (await internals.accBeta2.data())[0] ?? NaN,
    variables,
  };
}

/** Restores {@link getOptimizerState} into a fresh Adam optimizer. */
export async function setOptimizerState(optimizer: tf.Optimizer, state: OptimizerState): Promise<void> {
  const named = [
    { name: 'iter', tensor: tf.scalar(state.iterations, 'int32') },
    ...state.variables.map((v) => ({ name: v.name, tensor: tf.tensor(v.values, [...v.shape]) })),
  ];
  await optimizer.setWeights(named);
  tf.dispose(named.map((n) => n.tensor));
  // setWeights recomputes β^t with pow(), which can differ in the last bit from the running
  // product training keeps; restore the stored values for a bit-exact continuation.
  const internals = optimizer as unknown as AdamInternals;
  tf.tidy(() => {
    internals.accBeta1.assign(tf.scalar(state.accBeta1));
    internals.accBeta2.assign(tf.scalar(state.accBeta2));
  });
}

/**
 * The first setting (`domain`, `model`, `training`, `seed` or `retrain`) in which two run
 * configurations differ, or null when a run with `a` may be continued under `b`. `preset` and
 * `replicas` are informational and not compared.
 *
 * @example
 * runConfigDifference(await readRunConfig('runs/dc'), { ...config, seed: 2 }); // 'seed'
 */
export function runConfigDifference(a: RunConfig, b: RunConfig): string | null {
  const keys = ['domain', 'model', 'training', 'seed', 'retrain'] as const;
  for (const k of keys) {
    const x = k === 'retrain' ? (a.retrain ? { source: a.retrain.source, density: a.retrain.density } : null) : a[k];
    const y = k === 'retrain' ? (b.retrain ? { source: b.retrain.source, density: b.retrain.density } : null) : b[k];
    if (JSON.stringify(x) !== JSON.stringify(y)) return k;
  }
  return null;
}

/** Trains (or resumes) a run; see the module comment. */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { domain, training, runDir } = options;
  const workers = options.workers ?? 1;
  const replicas = checkInteger('train: option "replicas"', options.replicas ?? 1, 1);
  const settleSamples = checkInteger('train: option "training.settleSamples"', training.settleSamples ?? 0, 0);
  if (replicas > 1) {
    if (options.createModel !== undefined) {
      invalid('train: option "createModel"', options.createModel, `nothing with replicas ${replicas}: worker replicas can only rebuild the default SparlingModel`);
    }
    if (training.batchSize % replicas !== 0) {
      invalid('train: option "training.batchSize"', training.batchSize, `a multiple of replicas (${replicas}), so every replica gets an equal part of each batch`);
    }
    const backend = tf.getBackend();
    if (backend !== 'wasm' && backend !== 'cpu') {
      invalid('train: option "replicas"', replicas, `1 on the '${backend}' backend: worker replicas run on 'wasm' or 'cpu' only`);
    }
  }
  const config: RunConfig = {
    version: 1,
    domain: { name: domain.name, options: domain.options },
    model: options.model,
    training,
    seed: options.seed,
    ...(options.preset !== undefined ? { preset: options.preset } : {}),
    ...(options.retrain ? { retrain: { source: options.retrain.source, density: options.retrain.density } } : {}),
    ...(replicas > 1 ? { replicas } : {}),
  };
  await mkdir(runDir, { recursive: true });
  const checkpoint = options.resume ? await readCheckpoint(runDir) : null;
  if (options.resume) {
    const stored = await readRunConfig(runDir);
    const differs = runConfigDifference(stored, config);
    if (differs !== null) throw new Error(`--resume: ${runDir}/run.json has a different ${differs} than this run`);
  } else {
    await writeRunConfig(runDir, config);
  }

  // The worker replicas rebuild the default model, so the main thread holds one too.
  const replicated = replicas > 1 ? new SparlingModel(options.model, { seed: options.seed }) : null;
  const model = replicated ?? (options.createModel ?? defaultModelFactory)(options.model, { seed: options.seed });
  const optimizer = tf.train.adam(training.learningRate, 0.9, 0.999, 1e-8);
  const frozenMotifModel = options.retrain !== undefined;
  const variables = model.trainableVariables({ frozenMotifModel });
  const sparse = model.bottleneck.sparsityLayer !== null;
  let annealer: DensityAnnealer | null = sparse
    ? new DensityAnnealer({ ...training.annealer, sparsity: model.bottleneck.sparsity ?? undefined })
    : null;

  let progress: TrainProgressState = {
    samplesSeen: 0,
    lastValidated: 0,
    lastAccuracy: null,
    lastLoss: null,
    validations: 0,
    finished: false,
    stopReason: null,
  };
  if (checkpoint) {
    model.setState(checkpoint.state);
    await setOptimizerState(optimizer, checkpoint.optimizer);
    if (checkpoint.annealer && sparse) {
      annealer = DensityAnnealer.fromJSON(checkpoint.annealer);
      model.bottleneck.sparsity = annealer.sparsity;
    }
    progress = checkpoint.progress;
    await truncateLog(runDir, progress.samplesSeen);
  } else if (options.retrain) {
    model.setState(options.retrain.state, { ignoreUnknown: true });
  }

  const stopDensity = training.stopAtDensity * domain.minimumDensity;
  const startSamples = progress.samplesSeen;
  const started = Date.now();
  const validations: ValidationRecord[] = [];
  let stopReason: StopReason | null = null;
  const density = () => (sparse ? model.bottleneck.density : null);

  let saved: { samples: number; finished: boolean } | null = checkpoint ? { samples: progress.samplesSeen, finished: progress.finished } : null;
  const save = async (finished: boolean) => {
    progress = { ...progress, finished, stopReason: finished ? stopReason : null };
    saved = { samples: progress.samplesSeen, finished };
    await writeCheckpoint(runDir, {
      state: await model.getState(),
      optimizer: await getOptimizerState(optimizer),
      annealer: annealer ? annealer.toJSON() : null,
      progress,
    });
  };

  if (progress.finished) {
    stopReason = progress.stopReason ?? 'budget';
  }
  let parallel: DataParallel | null = null;
  try {
    const end = Math.min(training.maxSamples, options.until ?? Infinity);
    if (stopReason === null && progress.samplesSeen < end) {
      if (replicated !== null) parallel = await DataParallel.start(replicated, { replicas, seed: options.seed, frozenMotifModel, variables, optimizer });
      const stream = batches(domain, { seed: options.seed, batchSize: training.batchSize, start: progress.samplesSeen, end: training.maxSamples, workers });
      for await (const batch of stream) {
        let lossValue: number;
        if (parallel !== null && batch.size % replicas === 0) {
          lossValue = await parallel.step(batch, progress.samplesSeen);
        } else {
          const x = tf.tensor(batch.inputs, [...batch.shape]);
          try {
            // Dropout masks follow (seed, samples seen): a resumed run draws the same ones.
            model.setTrainingStep?.(progress.samplesSeen);
            const loss = optimizer.minimize(() => model.loss(x, batch.labels, true), true, variables);
            lossValue = loss ? (await loss.data())[0] ?? NaN : NaN;
            loss?.dispose();
          } catch (err) {
            // A read from a lost GPU device fails with a message that names no cause.
            assertBackendHealthy();
            throw err;
          } finally {
            x.dispose();
          }
        }
        // A lost or out-of-memory GPU device may also compute garbage without throwing: stop
        // before anything of this step is validated or written.
        assertBackendHealthy();
        progress = { ...progress, samplesSeen: progress.samplesSeen + batch.size, lastLoss: lossValue };

        if (progress.samplesSeen - progress.lastValidated >= training.validateEvery) {
          const accuracy = await validationAccuracy(model, domain, {
            seed: training.validationSeed,
            items: training.validationItems,
            maxLength: training.validationMaxLength,
            workers,
          });
          const before = density();
          let target: number | null = null;
          let reduced = false;
          let settling: ValidationRecord['settling'];
          if (annealer) {
            const kept = annealer.toJSON();
            const update = annealer.update(progress.samplesSeen, accuracy);
            target = update.target;
            if (update.reduced) {
              // Snapshot the weights trained at the old density before cutting it (spec 2.3).
              await writeSnapshot(
                runDir,
                { density: before ?? NaN, sparsity: model.bottleneck.sparsity ?? NaN, samplesSeen: progress.samplesSeen, accuracy },
                await model.getState(),
              );
            }
            const settles = progress.settleFrom !== undefined || (update.reduced && settleSamples > 0 && annealer.density < stopDensity);
            if (settles) {
              // The cut is taken back, target and all else kept: the run trains on at its final density.
              if (update.reduced) annealer = DensityAnnealer.fromJSON({ ...annealer.toJSON(), density: kept.density, sparsity: kept.sparsity });
              if (progress.settleFrom === undefined) progress = { ...progress, settleFrom: progress.samplesSeen };
              settling = { snapshot: update.reduced };
            } else if (update.reduced) {
              reduced = true;
              model.bottleneck.sparsity = annealer.sparsity;
            }
          }
          const record: ValidationRecord = {
            samplesSeen: progress.samplesSeen,
            accuracy,
            target,
            density: before,
            newDensity: density(),
            reduced,
            ...(settling !== undefined ? { settling } : {}),
            loss: lossValue,
            seconds: (Date.now() - started) / 1000,
          };
          progress = { ...progress, lastValidated: progress.samplesSeen, lastAccuracy: accuracy, validations: progress.validations + 1 };
          const now = density();
          const settled = progress.settleFrom !== undefined && progress.samplesSeen - progress.settleFrom >= settleSamples;
          if (settled || (now !== null && now < stopDensity)) stopReason = 'density';
          else if (progress.samplesSeen >= training.maxSamples) stopReason = 'budget';
          await appendLog(runDir, record);
          await save(stopReason !== null);
          validations.push(record);
          options.onValidation?.(record);
        }
        if (stopReason === null && progress.samplesSeen >= training.maxSamples) stopReason = 'budget';
        options.onProgress?.({
          samplesSeen: progress.samplesSeen,
          startSamples,
          maxSamples: training.maxSamples,
          loss: lossValue,
          density: density(),
          target: annealer ? annealer.target : null,
          lastAccuracy: progress.lastAccuracy,
          samplesPerSecond: (progress.samplesSeen - startSamples) / Math.max(1e-3, (Date.now() - started) / 1000),
        });
        if (stopReason !== null) break;
        if (options.until !== undefined && progress.samplesSeen >= options.until) {
          stopReason = 'paused';
          break;
        }
        if (options.signal?.aborted) {
          stopReason = 'interrupted';
          break;
        }
      }
    }
    if (stopReason === null) stopReason = progress.samplesSeen >= training.maxSamples ? 'budget' : 'paused';
    const finished = stopReason === 'density' || stopReason === 'budget';
    if (saved === null || saved.samples !== progress.samplesSeen || saved.finished !== finished) await save(finished);
  } finally {
    await parallel?.close();
    optimizer.dispose();
    model.dispose();
  }
  const seconds = (Date.now() - started) / 1000;
  return {
    runDir,
    samplesSeen: progress.samplesSeen,
    startSamples,
    stopReason,
    density: annealer ? annealer.density : null,
    lastAccuracy: progress.lastAccuracy,
    lastLoss: progress.lastLoss,
    validations,
    seconds,
    samplesPerSecond: (progress.samplesSeen - startSamples) / Math.max(1e-3, seconds),
  };
}
