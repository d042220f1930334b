/**
 * Batch normalisation over the channel (last) axis with PyTorch semantics, the
 * normalisation SPARLING puts in front of its sparsity layer (spec §1.5).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { checkInRange, invalid } from './internal/errors.js';
import { type Kwargs, type LayerArgs, oneShape, oneTensor } from './internal/tfjs-types.js';

/**
 * Options of {@link BatchNorm}; also accepts the usual tfjs layer arguments (`name`, ...).
 * @example
 * new BatchNorm({ affine: false, epsilon: 1e-5, momentum: 0.1 });
 */
export interface BatchNormOptions extends LayerArgs {
  /**
   * Learn a per-channel scale γ and offset β (PyTorch `affine`). Default `true`.
   * The LaTeX and Audio reference runs use `false`.
   */
  affine?: boolean;
  /** Added to the variance before the square root. Default `1e-5` (PyTorch). */
  epsilon?: number;
  /**
   * Weight of the newest batch statistics in the running averages (PyTorch
   * convention): `running ← (1 − momentum)·running + momentum·batch`.
   * Default 0.1. (tfjs' own `batchNormalization` momentum 0.9 means the same.)
   */
  momentum?: number;
}

/**
 * Batch normalisation over all axes but the last, with PyTorch `BatchNorm2d`
 * defaults and semantics: ε = 1e-5, momentum 0.1 (weight of the new batch),
 * biased batch variance for normalising and *unbiased* variance for the running
 * estimate, running mean 0 / variance 1 at start. Training mode
 * (`training: true`) normalises with batch statistics and updates the running
 * ones; inference uses the running statistics.
 *
 * It exists because tfjs' `tf.layers.batchNormalization({ center: false, scale: false })`
 * throws in training mode (it reads the missing γ/β), and SPARLING needs the
 * non-affine variant for the LaTeX and Audio runs.
 *
 * @example
 * const bn = new BatchNorm({ affine: false });
 * const y = bn.apply(tf.randomNormal([100, 4], 3, 2), { training: true }) as tf.Tensor;
 * // y has per-channel mean ≈ 0 and variance ≈ 1
 */
export class BatchNorm extends tf.layers.Layer {
  /** @internal tfjs serialization name. */
  static readonly className = 'BatchNorm';

  /** Whether γ and β are learned. */
  readonly affine: boolean;
  /** Variance fuzz. */
  readonly epsilon: number;
  /** Weight of the newest batch in the running statistics. */
  readonly momentum: number;

  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;
  private runningMean: tf.LayerVariable | null = null;
  private runningVar: tf.LayerVariable | null = null;

  constructor(options: BatchNormOptions = {}) {
    super(options);
    const affine = options.affine ?? true;
    if (typeof affine !== 'boolean') invalid('BatchNorm: option "affine"', affine, 'a boolean');
    this.affine = affine;
    const epsilon = options.epsilon ?? 1e-5;
    if (typeof epsilon !== 'number' || !(epsilon >= 0) || !Number.isFinite(epsilon)) {
      invalid('BatchNorm: option "epsilon"', epsilon, 'a finite number >= 0');
    }
    this.epsilon = epsilon;
    this.momentum = checkInRange('BatchNorm: option "momentum"', options.momentum ?? 0.1, 0, 1, true);
  }

  /** @internal */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape, 'BatchNorm.build');
    const channels = shape[shape.length - 1];
    if (shape.length < 2 || channels === null || channels === undefined) {
      throw new TypeError(
        `BatchNorm (layer "${this.name}"): expected a channels-last input of rank >= 2 with a ` +
          `known last axis; received input shape ${JSON.stringify(shape)}.`,
      );
    }
    if (this.affine) {
      this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones());
      this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros());
    }
    const zeros = tf.initializers.zeros();
    const ones = tf.initializers.ones();
    this.runningMean = this.addWeight('running_mean', [channels], 'float32', zeros, undefined, false);
    this.runningVar = this.addWeight('running_var', [channels], 'float32', ones, undefined, false);
    this.built = true;
  }

  /** @internal */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  /** @internal */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = oneTensor(inputs, `BatchNorm (layer "${this.name}")`);
    const runningMean = this.runningMean;
    const runningVar = this.runningVar;
    if (runningMean === null || runningVar === null) {
      throw new Error(`BatchNorm.call: layer "${this.name}" is not built yet.`);
    }
    const channels = runningMean.shape[0] as number;
    if (x.rank < 2 || x.shape[x.rank - 1] !== channels) {
      invalid(
        `BatchNorm (layer "${this.name}"): input shape`,
        x.shape,
        `rank >= 2 with last axis ${channels}`,
      );
    }
    const training = kwargs?.['training'] === true;
    return tf.tidy(() => {
      const flat = tf.reshape(x, [-1, channels]) as tf.Tensor2D;
      const gamma = this.gamma?.read();
      const beta = this.beta?.read();
      if (!training) {
        // y = x·s + (β − μ·s), s = γ / sqrt(σ² + ε): two broadcast ops, differentiable on every backend.
        const inv = tf.rsqrt(tf.add(runningVar.read(), this.epsilon));
        const scale = gamma === undefined ? inv : tf.mul(gamma, inv);
        const shift = tf.neg(tf.mul(runningMean.read(), scale));
        const y = tf.add(tf.mul(flat, scale), beta === undefined ? shift : tf.add(beta, shift));
        return tf.reshape(y, x.shape);
      }
      const m = this.momentum;
      const onBatchStats = (mean: tf.Tensor, variance: tf.Tensor, rows: number): void => {
        const unbiased = rows > 1 ? tf.mul(variance, rows / (rows - 1)) : variance;
        runningMean.write(tf.add(tf.mul(runningMean.read(), 1 - m), tf.mul(mean, m)));
        runningVar.write(tf.add(tf.mul(runningVar.read(), 1 - m), tf.mul(unbiased, m)));
      };
      const y = batchNormTraining(flat, gamma, beta, this.epsilon, onBatchStats);
      return tf.reshape(y, x.shape);
    });
  }

  /** @internal */
  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      affine: this.affine,
      epsilon: this.epsilon,
      momentum: this.momentum,
    };
  }
}

/**
 * Column sums of a [N, C] matrix as [1, C]. A plain axis-0 sum: @sparling/backend's wasm Sum
 * reads the matrix once, while a matMul with a row of ones makes XNNPACK repack the whole
 * matrix as weights on every call (~10 ms per 10⁶ values).
 */
function columnSum(x: tf.Tensor2D): tf.Tensor2D {
  return tf.sum(x, 0, true);
}

/**
 * Training-mode batch normalisation of a [N, C] matrix with a hand-written
 * gradient. tfjs' `batchNorm` gradient is slow (≈ 95 ms per 10⁶ values on wasm,
 * mostly axis-0 reductions) and crashes when there is no scale (it saves the
 * missing tensor); this one needs three column sums and a few
 * element-wise ops each way.
 *
 * Forward: x̂ = (x − μ)/sqrt(σ² + ε) with batch μ and biased σ²; y = γ·x̂ + β.
 * Backward: dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/sqrt(σ² + ε) · (dy − dβ/N − x̂·dγ/N).
 */
function batchNormTraining(
  x: tf.Tensor2D,
  gamma: tf.Tensor | undefined,
  beta: tf.Tensor | undefined,
  epsilon: number,
  onBatchStats: (mean: tf.Tensor, variance: tf.Tensor, rows: number) => void,
): tf.Tensor {
  const rows = x.shape[0];
  const forward = (input: tf.Tensor2D, g: tf.Tensor | null, b: tf.Tensor | null, save: tf.GradSaveFunc) => {
    const mean = tf.div(columnSum(input), rows);
    const centered = tf.sub(input, mean);
    const variance = tf.div(columnSum(tf.square(centered) as tf.Tensor2D), rows);
    onBatchStats(tf.reshape(mean, [-1]), tf.reshape(variance, [-1]), rows);
    const invStd = tf.rsqrt(tf.add(variance, epsilon));
    const normed = tf.mul(centered, invStd);
    save(g === null ? [normed, invStd] : [normed, invStd, g]);
    const value = g === null || b === null ? normed : tf.add(tf.mul(normed, g), b);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xHat, inv, savedGamma] = saved as [tf.Tensor2D, tf.Tensor, tf.Tensor | undefined];
      const dBeta = columnSum(dy as tf.Tensor2D);
      const dGamma = columnSum(tf.mul(dy, xHat) as tf.Tensor2D);
      const scale = savedGamma === undefined ? inv : tf.mul(savedGamma, inv);
      const inner = tf.sub(tf.sub(dy, tf.div(dBeta, rows)), tf.mul(xHat, tf.div(dGamma, rows)));
      const dx = tf.mul(inner, scale);
      return savedGamma === undefined ? [dx] : [dx, tf.reshape(dGamma, [-1]), tf.reshape(dBeta, [-1])];
    };
    return { value, gradFunc };
  };
  if (gamma !== undefined && beta !== undefined) {
    const f = tf.customGrad(((input: tf.Tensor2D, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) =>
      forward(input, g, b, save)) as unknown as Parameters<typeof tf.customGrad>[0]);
    return f(x, gamma, beta);
  }
  const f = tf.customGrad(((input: tf.Tensor2D, save: tf.GradSaveFunc) =>
    forward(input, null, null, save)) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x);
}
