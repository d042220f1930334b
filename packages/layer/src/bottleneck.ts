/**
 * Bottlenecks between the motif model ĝ and the rest of the network: SPARLING
 * (batch norm + spatial sparsity), the L1 and KL baselines, or nothing.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import {
  checkTargetDensity,
  KL_DEFAULT_TARGET_DENSITY,
  klAuxLoss,
  l1AuxLoss,
  ShiftedReLU,
} from './baselines.js';
import { BatchNorm } from './batch-norm.js';
import { checkFinite, invalid } from './internal/errors.js';
import type { Kwargs } from './internal/tfjs-types.js';
import { SpatialSparsity, type SparsityMode } from './spatial-sparsity.js';

/**
 * - `'sparling'`: [batch norm →] {@link SpatialSparsity} (spec §1.5, §6.2).
 * - `'l1'`: affine batch norm → ReLU, aux loss `weight·mean(|a|)` (spec §8.1).
 * - `'kl'`: affine batch norm → sigmoid, aux loss `weight·KL(p‖p̂)`, downstream
 *   gets `ReLU(sigmoid − 0.5)` (spec §8.2).
 * - `'none'`: identity (the "Retrained" setting's replacement, spec §8.7).
 * @example
 * const kind: BottleneckKind = 'sparling';
 */
export type BottleneckKind = 'sparling' | 'l1' | 'kl' | 'none';

/**
 * Options of {@link bottleneck} and {@link sparseBottleneck}. Options that do
 * not apply to the chosen kind are ignored.
 * @example
 * bottleneck('sparling', { density: 0.5, affine: false, accumulate: 10, name: 'motifs' });
 */
export interface BottleneckOptions {
  /** Prefix of the layer names (`<name>_bn`, `<name>_sparsity`, ...). Default: tfjs auto names. */
  name?: string;
  /**
   * `'sparling'` only: put a batch norm before the sparsity layer. Default
   * `true`; `false` is the no-batch-norm ablation (spec §8.3).
   */
  batchNorm?: boolean;
  /** Learn the batch norm's γ/β. Default `true` (DigitCircle and the baselines; LaTeX/Audio use `false`). */
  affine?: boolean;
  /** Batch norm ε. Default 1e-5. */
  batchNormEpsilon?: number;
  /** Batch norm momentum, weight of the newest batch. Default 0.1 (PyTorch). */
  batchNormMomentum?: number;
  /** `'sparling'`: {@link SpatialSparsityOptions.density}. Default 0.5. */
  density?: number;
  /** `'sparling'`: {@link SpatialSparsityOptions.sparsity} (exact alternative to `density`). */
  sparsity?: number;
  /** `'sparling'`: `'per-channel'` (MT, default) or `'global'` (ST). */
  mode?: SparsityMode;
  /** `'sparling'`: threshold momentum, weight of the newest batch. Default 0.1. */
  momentum?: number;
  /** `'sparling'`: `false` (default) or minimum expected survivors per channel per update. */
  accumulate?: false | number;
  /** `'l1'` / `'kl'`: the auxiliary loss weight λ. Required for those kinds. */
  weight?: number;
  /** `'kl'`: target density p. Default 5.022621e-05 (the DigitCircle bar). */
  targetDensity?: number;
}

/**
 * What a bottleneck produces.
 * @example
 * const { output, activations } = b.applyWithActivations(z);
 */
export interface BottleneckOutputs<T> {
  /** What the downstream network receives. */
  output: T;
  /**
   * What the auxiliary loss and measured density are computed on: the sigmoid
   * for `'kl'`, the same tensor as `output` otherwise.
   */
  activations: T;
}

const KINDS: readonly BottleneckKind[] = ['sparling', 'l1', 'kl', 'none'];

/**
 * A bottleneck: an ordered list of tfjs layers plus its auxiliary loss. Apply
 * it to a `tf.SymbolicTensor` to build a functional model, or to a `tf.Tensor`
 * (with `{ training: true }` inside a custom training step).
 * Create with {@link bottleneck} or {@link sparseBottleneck}.
 *
 * @example
 * const b = bottleneck('kl', { weight: 0.1 });
 * const z = tf.input({ shape: [100, 100, 10] });
 * const { output, activations } = b.applyWithActivations(z);
 * const g = tf.model({ inputs: z, outputs: [output, activations] });
 */
export class Bottleneck {
  /** The kind. */
  readonly kind: BottleneckKind;
  /** All layers, in application order (for `'kl'`: bn, sigmoid, gate). */
  readonly layers: readonly tf.layers.Layer[];
  /** The batch norm layer, if any. */
  readonly batchNormLayer: BatchNorm | null;
  /** The sparsity layer (`'sparling'` only), e.g. for the annealer callback's `layers`. */
  readonly sparsityLayer: SpatialSparsity | null;
  /** λ of the auxiliary loss (0 for `'sparling'` and `'none'`). */
  readonly weight: number;
  /** The KL target density p (`'kl'` only). */
  readonly targetDensity: number | null;

  /** @internal Use {@link bottleneck}. */
  constructor(kind: BottleneckKind, options: BottleneckOptions = {}) {
    if (!KINDS.includes(kind)) {
      invalid('bottleneck: argument "kind"', kind, `one of ${KINDS.map((k) => `'${k}'`).join(', ')}`);
    }
    this.kind = kind;
    const prefix = options.name;
    if (prefix !== undefined && (typeof prefix !== 'string' || prefix.length === 0)) {
      invalid('bottleneck: option "name"', prefix, 'a non-empty string');
    }
    const named = (suffix: string): { name?: string } =>
      prefix === undefined ? {} : { name: `${prefix}_${suffix}` };
    const useBatchNorm = options.batchNorm ?? true;
    if (typeof useBatchNorm !== 'boolean') {
      invalid('bottleneck: option "batchNorm"', useBatchNorm, 'a boolean');
    }
    if (kind !== 'sparling' && options.batchNorm === false) {
      invalid('bottleneck: option "batchNorm"', false, `true (only 'sparling' can drop its batch norm)`);
    }
    const bn =
      kind === 'none' || !useBatchNorm
        ? null
        : new BatchNorm({
            ...named('bn'),
            affine: options.affine ?? true,
            ...(options.batchNormEpsilon === undefined ? {} : { epsilon: options.batchNormEpsilon }),
            ...(options.batchNormMomentum === undefined ? {} : { momentum: options.batchNormMomentum }),
          });
    this.batchNormLayer = bn;
    this.sparsityLayer = null;
    this.weight = 0;
    this.targetDensity = null;
    const layers: tf.layers.Layer[] = bn === null ? [] : [bn];
    switch (kind) {
      case 'sparling': {
        const sparsityOptions = {
          ...named('sparsity'),
          ...(options.density === undefined ? {} : { density: options.density }),
          ...(options.sparsity === undefined ? {} : { sparsity: options.sparsity }),
          ...(options.mode === undefined ? {} : { mode: options.mode }),
          ...(options.momentum === undefined ? {} : { momentum: options.momentum }),
          ...(options.accumulate === undefined ? {} : { accumulate: options.accumulate }),
        };
        this.sparsityLayer = new SpatialSparsity(sparsityOptions);
        layers.push(this.sparsityLayer);
        break;
      }
      case 'l1':
        this.weight = checkFinite(`bottleneck('l1'): option "weight"`, options.weight);
        layers.push(tf.layers.reLU(named('relu')));
        break;
      case 'kl':
        this.weight = checkFinite(`bottleneck('kl'): option "weight"`, options.weight);
        this.targetDensity = checkTargetDensity(
          `bottleneck('kl'): option "targetDensity"`,
          options.targetDensity ?? KL_DEFAULT_TARGET_DENSITY,
        );
        layers.push(tf.layers.activation({ activation: 'sigmoid', ...named('sigmoid') }));
        layers.push(new ShiftedReLU({ shift: 0.5, ...named('gate') }));
        break;
      case 'none':
        break;
    }
    this.layers = layers;
  }

  /**
   * Target density of the sparsity layer (`'sparling'`), or `null` for kinds
   * without one. Setting it on other kinds throws.
   * @example
   * b.density = 0.375;
   */
  get density(): number | null {
    return this.sparsityLayer === null ? null : this.sparsityLayer.density;
  }

  set density(value: number | null) {
    this.requireSparsityLayer('density', value).density = value as number;
  }

  /**
   * Exact target sparsity (`1 − density`) of the sparsity layer, or `null` for
   * kinds without one. Assign the annealer's `sparsity` here for bit-exact
   * reproduction of the reference.
   * @example
   * if (annealer.update(samples, accuracy).reduced) b.sparsity = annealer.sparsity;
   */
  get sparsity(): number | null {
    return this.sparsityLayer === null ? null : this.sparsityLayer.sparsity;
  }

  set sparsity(value: number | null) {
    this.requireSparsityLayer('sparsity', value).sparsity = value as number;
  }

  /**
   * Applies every layer and returns the downstream output.
   * @example
   * const y = sparseBottleneck().apply(tf.input({ shape: [10, 10, 4] }));
   */
  apply(x: tf.SymbolicTensor, kwargs?: Kwargs): tf.SymbolicTensor;
  apply(x: tf.Tensor, kwargs?: Kwargs): tf.Tensor;
  apply(x: tf.Tensor | tf.SymbolicTensor, kwargs?: Kwargs): tf.Tensor | tf.SymbolicTensor {
    return this.run(x, kwargs).output;
  }

  /**
   * Applies every layer and returns both the downstream output and the
   * activations the auxiliary loss and measured density use.
   * @example
   * const { output, activations } = b.applyWithActivations(z, { training: true });
   * const loss = tf.add(taskLoss, b.auxLoss(activations));
   */
  applyWithActivations(x: tf.SymbolicTensor, kwargs?: Kwargs): BottleneckOutputs<tf.SymbolicTensor>;
  applyWithActivations(x: tf.Tensor, kwargs?: Kwargs): BottleneckOutputs<tf.Tensor>;
  applyWithActivations(
    x: tf.Tensor | tf.SymbolicTensor,
    kwargs?: Kwargs,
  ): BottleneckOutputs<tf.Tensor | tf.SymbolicTensor> {
    return this.run(x, kwargs);
  }

  /**
   * The auxiliary loss on the activations (from {@link applyWithActivations}):
   * `l1AuxLoss` / `klAuxLoss` for the baselines, a scalar 0 otherwise.
   * @example
   * b.auxLoss(activations); // tf.Scalar
   */
  auxLoss(activations: tf.Tensor): tf.Scalar {
    switch (this.kind) {
      case 'l1':
        return l1AuxLoss(activations, this.weight);
      case 'kl':
        return klAuxLoss(activations, this.weight, this.targetDensity ?? KL_DEFAULT_TARGET_DENSITY);
      default:
        return tf.scalar(0);
    }
  }

  private requireSparsityLayer(property: string, value: unknown): SpatialSparsity {
    if (this.sparsityLayer === null) {
      throw new TypeError(
        `Bottleneck.${property}: a '${this.kind}' bottleneck has no sparsity layer; received ${String(value)}.`,
      );
    }
    return this.sparsityLayer;
  }

  private run(
    x: tf.Tensor | tf.SymbolicTensor,
    kwargs: Kwargs | undefined,
  ): BottleneckOutputs<tf.Tensor | tf.SymbolicTensor> {
    if (x instanceof tf.Tensor) {
      return tf.tidy(() => {
        const [output, activations] = this.chain(x, kwargs) as [tf.Tensor, tf.Tensor];
        return { output, activations };
      });
    }
    const [output, activations] = this.chain(x, kwargs);
    return { output, activations };
  }

  /** Returns [output, activations]. */
  private chain(
    x: tf.Tensor | tf.SymbolicTensor,
    kwargs: Kwargs | undefined,
  ): [tf.Tensor | tf.SymbolicTensor, tf.Tensor | tf.SymbolicTensor] {
    const results = [x];
    for (const layer of this.layers) {
      const input = results[results.length - 1] as tf.Tensor | tf.SymbolicTensor;
      results.push(layer.apply(input, kwargs) as tf.Tensor | tf.SymbolicTensor);
    }
    const output = results[results.length - 1] as tf.Tensor | tf.SymbolicTensor;
    // KL: the loss and density use the sigmoid, the input of the final gate.
    const activations = this.kind === 'kl' ? (results[results.length - 2] as typeof output) : output;
    return [output, activations];
  }
}

/**
 * A `'sparling'` bottleneck: the same object, typed with its sparsity layer present.
 * @example
 * const b: SparseBottleneck = sparseBottleneck();
 * b.sparsityLayer.getThresholds();
 */
export interface SparseBottleneck extends Bottleneck {
  readonly kind: 'sparling';
  readonly sparsityLayer: SpatialSparsity;
  density: number;
  sparsity: number;
}

/**
 * Creates a bottleneck of the given kind (see {@link BottleneckKind}).
 *
 * @example
 * const sparling = bottleneck('sparling', { density: 0.5, affine: false });
 * const l1 = bottleneck('l1', { weight: 0.1 });
 * const kl = bottleneck('kl', { weight: 0.01 });
 * const none = bottleneck('none');
 */
export function bottleneck(kind: 'sparling', options?: BottleneckOptions): SparseBottleneck;
export function bottleneck(kind: BottleneckKind, options?: BottleneckOptions): Bottleneck;
export function bottleneck(kind: BottleneckKind, options: BottleneckOptions = {}): Bottleneck {
  return new Bottleneck(kind, options);
}

/**
 * The SPARLING bottleneck: batch normalisation (affine by default; `affine:
 * false` for the LaTeX/Audio runs) followed by {@link SpatialSparsity}. Same as
 * `bottleneck('sparling', options)`.
 *
 * @example
 * const b = sparseBottleneck({ density: 0.5 });
 * const z = tf.input({ shape: [100, 100, 10] });
 * const m = b.apply(z); // feed m to the rest of the functional model
 * b.density = 0.375; // what the annealer does
 */
export function sparseBottleneck(options: BottleneckOptions = {}): SparseBottleneck {
  return new Bottleneck('sparling', options) as SparseBottleneck;
}
