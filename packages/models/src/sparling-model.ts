/**
 * The SPARLING end-to-end model: motif model ĝ, sparse bottleneck, post-sparse model ĥ,
 * teacher-forced loss and greedy decoding.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';
import { type Bottleneck, bottleneck, type BottleneckOptions } from '@sparling/layer';

import type { NamedArray, SparlingModelApi, SparlingModelConfig } from './contract.js';
import { DropoutSeeds, hashSeed } from './dropout.js';
import { checkInteger, invalid } from './internal/errors.js';
import { checkMotifModelConfig, MotifModel } from './motif-model.js';
import { ParameterStore } from './parameter-store.js';
import { checkPostSparseConfig, PostSparseModel } from './post-sparse-model.js';

const START = 0;
const END = 1;
const KINDS = ['sparling', 'l1', 'kl', 'none'];

/** Options of {@link SparlingModel}. */
export interface SparlingModelOptions {
  /**
   * Seed of the initial weights and of the dropout masks (default 0): the same seed gives the
   * same weights, and training-mode passes at the same step (see
   * {@link SparlingModel.setTrainingStep}) draw the same dropout masks.
   */
  readonly seed?: number;
}

/** Validates a {@link SparlingModelConfig}, throwing a RangeError that names the offending field. */
export function checkSparlingModelConfig(config: SparlingModelConfig): void {
  const shape = config.inputShape;
  if (!Array.isArray(shape) || (shape.length !== 2 && shape.length !== 3) || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    invalid('config.inputShape', shape, 'positive integers [H, W, C] (images) or [L, C] (sequences)');
  }
  if (config.motif.dims !== shape.length - 1) {
    invalid('config.motif.dims', config.motif.dims, `${shape.length - 1} for inputShape [${shape.join(', ')}]`);
  }
  const vocabulary = config.vocabulary;
  if (!Array.isArray(vocabulary) || vocabulary[0] !== '<s>' || vocabulary[1] !== '</s>' || vocabulary.length < 3 || new Set(vocabulary).size !== vocabulary.length) {
    invalid('config.vocabulary', vocabulary, "distinct tokens starting with '<s>', '</s>' and at least one output token");
  }
  checkInteger('config.motifChannels', config.motifChannels, 1);
  checkInteger('config.maxLength', config.maxLength, 1);
  checkMotifModelConfig(config.motif, 'config.motif');
  checkPostSparseConfig(config.post, config.motif.dims, 'config.post');
  const b = config.bottleneck;
  if (!KINDS.includes(b.kind)) invalid('config.bottleneck.kind', b.kind, `one of ${KINDS.join(', ')}`);
  if (b.kind !== 'sparling' && b.batchNorm === false && b.kind !== 'none') {
    invalid('config.bottleneck.batchNorm', false, `true for the '${b.kind}' bottleneck`);
  }
  if ((b.kind === 'l1' || b.kind === 'kl') && !(typeof b.lambda === 'number' && Number.isFinite(b.lambda) && b.lambda >= 0)) {
    invalid('config.bottleneck.lambda', b.lambda, 'a finite number >= 0');
  }
  if (b.targetDensity !== undefined) {
    if (b.kind !== 'kl') invalid('config.bottleneck.targetDensity', b.targetDensity, `absent for the '${b.kind}' bottleneck (it is the KL baseline's target)`);
    if (!(typeof b.targetDensity === 'number' && b.targetDensity > 0 && b.targetDensity < 1)) invalid('config.bottleneck.targetDensity', b.targetDensity, 'a number between 0 and 1, exclusive');
  }
  const pooled = shape.slice(0, -1).map((d) => Math.floor(d / config.post.pool));
  if (pooled.some((d) => d < 1)) invalid('config.post.pool', config.post.pool, `at most the smallest spatial size of [${shape.join(', ')}]`);
}

function bottleneckOptions(config: SparlingModelConfig): BottleneckOptions {
  const b = config.bottleneck;
  switch (b.kind) {
    case 'sparling':
      return { density: b.density, mode: b.mode, batchNorm: b.batchNorm, affine: b.affine, accumulate: b.accumulate };
    case 'l1':
      return { affine: b.affine, weight: b.lambda };
    case 'kl':
      return { affine: b.affine, weight: b.lambda, ...(b.targetDensity !== undefined ? { targetDensity: b.targetDensity } : {}) };
    default:
      return {};
  }
}

/**
 * The SPARLING model (spec 6): `decode(h(bottleneck(g(x))))`.
 *
 * State names (stable, independent of the bottleneck kind for `g/` and `h/`):
 * `g/conv_in/{kernel,bias}`, `g/unit<i>/{bn1,bn2}/{gamma,beta,running_mean,running_var}`,
 * `g/unit<i>/{conv1,conv2}/{kernel,bias}`, `g/conv_out/{kernel,bias}`,
 * `bottleneck/bn/{gamma,beta,running_mean,running_var}`, `bottleneck/sparsity/thresholds`,
 * `h/collapse/{kernel,bias}`, `h/row_lstm/{forward,backward}/{input_kernel,recurrent_kernel,bias}`,
 * `h/coordinates/{kernel,bias}` (with `post.coordinates`),
 * `h/encoder/layer<i>/{self_attention/{in_proj,out_proj},feed_forward/{linear1,linear2}}/{kernel,bias}`,
 * `h/encoder/layer<i>/{norm1,norm2}/{gamma,beta}`, `h/decoder/embedding/embeddings`,
 * `h/decoder/layer<i>/{self_attention,cross_attention}/{in_proj,out_proj}/{kernel,bias}`,
 * `h/decoder/layer<i>/feed_forward/{linear1,linear2}/{kernel,bias}`,
 * `h/decoder/layer<i>/{norm1,norm2,norm3}/{gamma,beta}`, `h/output/{kernel,bias}`.
 *
 * @example
 * const model = new SparlingModel(presets.cpu(domain).model, { seed: 1 });
 * const optimizer = tf.train.adam(1e-3);
 * optimizer.minimize(() => model.loss(x, labels, true), false, model.trainableVariables());
 * model.decode(x); // [['3', '1', '4'], ...]
 */
export class SparlingModel implements SparlingModelApi {
  readonly config: SparlingModelConfig;
  readonly bottleneck: Bottleneck;
  /** The motif model ĝ. */
  readonly motifModel: MotifModel;
  /** The post-sparse model ĥ. */
  readonly postSparseModel: PostSparseModel;
  private readonly store: ParameterStore;
  private readonly tokenIds: Map<string, number>;
  private readonly seed: number;
  private step = 0;
  /** The dropout seeds of the training-mode pass in progress, shared by its nested passes. */
  private pass: DropoutSeeds | undefined;

  constructor(config: SparlingModelConfig, options: SparlingModelOptions = {}) {
    checkSparlingModelConfig(config);
    const seed = options.seed ?? 0;
    if (!Number.isFinite(seed)) invalid('SparlingModel: option "seed"', seed, 'a finite number');
    this.config = config;
    this.seed = seed;
    this.store = new ParameterStore(seed);
    const channels = config.inputShape[config.inputShape.length - 1] as number;
    this.motifModel = new MotifModel(this.store, config.motif, channels, config.motifChannels);
    this.bottleneck = bottleneck(config.bottleneck.kind, bottleneckOptions(config));
    if (this.bottleneck.batchNormLayer !== null) this.store.layer('bottleneck/bn', this.bottleneck.batchNormLayer, config.motifChannels);
    if (this.bottleneck.sparsityLayer !== null) this.store.layer('bottleneck/sparsity', this.bottleneck.sparsityLayer, config.motifChannels);
    this.postSparseModel = new PostSparseModel(this.store, config.post, config.motif.dims, config.motifChannels, config.vocabulary.length);
    this.tokenIds = new Map(config.vocabulary.map((token, i) => [token, i]));
  }

  /**
   * Sets the dropout step: the next training-mode pass ({@link loss}, {@link logits},
   * {@link encode} with `training` true) draws its dropout masks from (seed, `step`, call order),
   * and each such pass then advances the step by 1. `train` calls it with the samples seen
   * before every optimizer step, so a resumed run draws the masks an uninterrupted run draws.
   */
  setTrainingStep(step: number): void {
    if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) invalid('setTrainingStep: argument "step"', step, 'an integer >= 0');
    this.step = step;
  }

  /** The step the next training-mode pass draws its dropout masks from. */
  get trainingStep(): number {
    return this.step;
  }

  /**
   * Runs a forward pass with its dropout seeds: in training mode with dropout, a stream seeded
   * from (seed, current step), which advances the step; a pass nested in another (e.g.
   * {@link loss} → {@link lossFromMotifLogits}) continues the outer pass's stream, so one
   * training step counts once.
   */
  private seeded<T>(training: boolean, fn: (seeds: DropoutSeeds | undefined) => T): T {
    if (!training || this.config.post.dropout === 0) return fn(undefined);
    if (this.pass !== undefined) return fn(this.pass);
    this.pass = new DropoutSeeds(hashSeed(`sparling-dropout:${this.seed}:${this.step}`));
    this.step += 1;
    try {
      return fn(this.pass);
    } finally {
      this.pass = undefined;
    }
  }

  /** The motif logits z (before the bottleneck), channels-last `[B, ...spatial, C]`. */
  motifLogits(inputs: tf.Tensor, training: boolean): tf.Tensor {
    return tf.tidy(() => this.fromInternal(this.motifModel.apply(this.toInternal(inputs), training)));
  }

  motifMap(inputs: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const z = this.motifModel.apply(this.toInternal(inputs), false);
      return this.fromInternal(this.bottleneck.apply(z, { training: false }) as tf.Tensor4D);
    });
  }

  loss(inputs: tf.Tensor, labels: readonly (readonly string[])[], training: boolean): tf.Scalar {
    return this.seeded(training, () => tf.tidy(() => this.lossFromMotifLogits(this.motifLogits(inputs, training), labels, training)));
  }

  /**
   * The loss from motif logits z `[B, ...spatial, C]` (what {@link motifLogits} returns):
   * bottleneck, ĥ, teacher-forced cross-entropy over non-padding targets, plus the auxiliary loss.
   */
  lossFromMotifLogits(z: tf.Tensor, labels: readonly (readonly string[])[], training: boolean): tf.Scalar {
    const batch = z.shape[0] as number;
    if (labels.length !== batch) invalid('loss: argument "labels"', `${labels.length} labels`, `one label per input (${batch})`);
    const ids = labels.map((label, b) => label.map((token) => this.tokenId(token, `loss: labels[${b}]`)));
    const length = Math.max(...ids.map((row) => row.length)) + 2;
    const sequences = ids.map((row) => [START, ...row, ...Array<number>(length - 1 - row.length).fill(END)]);
    const padding = ids.map((row) => Array.from({ length: length - 1 }, (_, t) => t > row.length + 1));
    const weights = ids.map((row) => Array.from({ length: length - 1 }, (_, t) => (t + 1 <= row.length + 1 ? 1 : 0)));
    return this.seeded(training, (seeds) => tf.tidy(() => {
      const { output, activations } = this.bottleneck.applyWithActivations(this.toInternal(z), { training });
      const memory = this.postSparseModel.encode(output as tf.Tensor4D, training, seeds);
      const input = tf.tensor2d(sequences.map((row) => row.slice(0, -1)), [batch, length - 1], 'int32');
      const target = tf.tensor2d(sequences.map((row) => row.slice(1)), [batch, length - 1], 'int32');
      const logits = this.postSparseModel.decode(input, memory, training, padding, seeds);
      const logProbabilities = tf.logSoftmax(logits);
      const picked = tf.sum(tf.mul(logProbabilities, tf.oneHot(target, this.config.vocabulary.length)), -1);
      const mask = tf.tensor2d(weights, [batch, length - 1]);
      const crossEntropy = tf.div(tf.neg(tf.sum(tf.mul(picked, mask))), tf.sum(mask));
      return tf.add(crossEntropy, this.bottleneck.auxLoss(activations)) as tf.Scalar;
    }));
  }

  /**
   * Teacher-forced decoder logits `[B, T, vocabulary]` for token ids `[B][T]` (no padding mask),
   * in inference or training mode.
   */
  logits(inputs: tf.Tensor, tokens: readonly (readonly number[])[], training: boolean): tf.Tensor3D {
    return this.seeded(training, (seeds) => tf.tidy(() => {
      const memory = this.encode(inputs, training);
      return this.postSparseModel.decode(tf.tensor2d(tokens.map((row) => [...row]), undefined, 'int32'), memory, training, undefined, seeds);
    }));
  }

  /** The encoder memory `[B, S, width]` of ĥ: ĝ, bottleneck and encoder. */
  encode(inputs: tf.Tensor, training: boolean): tf.Tensor3D {
    return this.seeded(training, (seeds) => tf.tidy(() => {
      const z = this.motifModel.apply(this.toInternal(inputs), training);
      return this.postSparseModel.encode(this.bottleneck.apply(z, { training }) as tf.Tensor4D, training, seeds);
    }));
  }

  async decode(inputs: tf.Tensor, maxLength = this.config.maxLength): Promise<string[][]> {
    checkInteger('decode: argument "maxLength"', maxLength, 1);
    return this.greedy(this.encode(inputs, false), maxLength);
  }

  /**
   * Greedy decoding from motif logits z `[B, ...spatial, C]` (what {@link motifLogits} returns),
   * in inference mode: the counterpart of {@link lossFromMotifLogits}, so ĥ can be trained and
   * evaluated on given motif maps (e.g. the true ones) without ĝ.
   */
  async decodeFromMotifLogits(z: tf.Tensor, maxLength = this.config.maxLength): Promise<string[][]> {
    checkInteger('decodeFromMotifLogits: argument "maxLength"', maxLength, 1);
    const memory = tf.tidy(() =>
      this.postSparseModel.encode(this.bottleneck.apply(this.toInternal(z), { training: false }) as tf.Tensor4D, false),
    );
    return this.greedy(memory, maxLength);
  }

  /** Greedy decoding from the encoder memory, which it disposes. */
  private async greedy(memory: tf.Tensor3D, maxLength: number): Promise<string[][]> {
    const batch = memory.shape[0];
    const tokens: number[][] = Array.from({ length: batch }, () => [START]);
    const ended = Array<boolean>(batch).fill(false);
    try {
      for (let step = 0; step < maxLength && ended.some((e) => !e); step += 1) {
        const next = tf.tidy(() => {
          const logits = this.postSparseModel.decode(tf.tensor2d(tokens, undefined, 'int32'), memory, false);
          const last = tf.squeeze(tf.slice(logits, [0, step, 0], [batch, 1, -1]), [1]);
          return tf.argMax(last, -1);
        });
        let chosen: Int32Array;
        try {
          chosen = (await next.data()) as Int32Array;
        } finally {
          next.dispose();
        }
        tokens.forEach((row, b) => {
          const token = chosen[b] as number;
          row.push(token);
          if (token === END) ended[b] = true;
        });
      }
    } finally {
      memory.dispose();
    }
    return tokens.map((row) => {
      const end = row.indexOf(END);
      return row.slice(1, end === -1 ? undefined : end).map((id) => this.config.vocabulary[id] as string);
    });
  }

  trainableVariables(options: { frozenMotifModel?: boolean } = {}): tf.Variable[] {
    return this.store.trainableVariables(options.frozenMotifModel === true ? (name) => name.startsWith('h/') : undefined);
  }

  /**
   * Every weight by stable name, or with `trainable: false` only the ones no optimizer trains
   * (batch-norm running statistics, sparsity thresholds: what a training-mode pass updates by
   * itself), `trainable: true` the others.
   */
  getState(options: { trainable?: boolean } = {}): Promise<NamedArray[]> {
    return this.store.getState(options);
  }

  /**
   * Restores what {@link getState} returned (see {@link SparlingModelApi.setState}); with
   * `partial`, weights missing from `state` keep their values.
   */
  setState(state: readonly NamedArray[], options: { ignoreUnknown?: boolean; partial?: boolean } = {}): void {
    this.store.setState(state, options);
  }

  dispose(): void {
    this.store.dispose();
  }

  private tokenId(token: string, where: string): number {
    const id = this.tokenIds.get(token);
    if (id === undefined || id === START || id === END) invalid(where, token, `an output token of the vocabulary (${this.config.vocabulary.slice(2).join(' ')})`);
    return id;
  }

  /** `[B, ...inputShape]` → `[B, H, W, C]` (sequences `[B, 1, L, C]`). */
  private toInternal(x: tf.Tensor): tf.Tensor4D {
    const spatial = this.config.inputShape.length - 1;
    if (x.rank !== spatial + 2) invalid('inputs', x.shape, `rank ${spatial + 2}: [batch, ...spatial, channels]`);
    return (spatial === 2 ? x : tf.expandDims(x, 1)) as tf.Tensor4D;
  }

  /** Inverse of {@link toInternal}. */
  private fromInternal(x: tf.Tensor4D): tf.Tensor {
    return this.config.inputShape.length === 3 ? x : tf.squeeze(x, [1]);
  }
}

/** Deep-partial overrides of a model configuration (top-level sections are merged one level deep). */
export interface SparlingModelOverrides {
  readonly inputShape?: readonly number[];
  readonly vocabulary?: readonly string[];
  readonly motifChannels?: number;
  readonly motif?: Partial<SparlingModelConfig['motif']>;
  readonly bottleneck?: Partial<SparlingModelConfig['bottleneck']>;
  readonly post?: Partial<SparlingModelConfig['post']>;
  readonly maxLength?: number;
}

/**
 * Merges `overrides` into `config` (sections one level deep).
 *
 * @example
 * withOverrides(preset.model, { bottleneck: { kind: 'l1', lambda: 0.1 } });
 */
export function withOverrides(config: SparlingModelConfig, overrides: SparlingModelOverrides = {}): SparlingModelConfig {
  return {
    ...config,
    ...(overrides.inputShape === undefined ? {} : { inputShape: overrides.inputShape }),
    ...(overrides.vocabulary === undefined ? {} : { vocabulary: overrides.vocabulary }),
    ...(overrides.motifChannels === undefined ? {} : { motifChannels: overrides.motifChannels }),
    ...(overrides.maxLength === undefined ? {} : { maxLength: overrides.maxLength }),
    motif: { ...config.motif, ...overrides.motif },
    bottleneck: { ...config.bottleneck, ...overrides.bottleneck },
    post: { ...config.post, ...overrides.post },
  };
}
