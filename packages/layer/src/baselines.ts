/**
 * The L1 and KL baseline bottlenecks' pieces (spec §8.1, §8.2): the auxiliary
 * losses and the `ReLU(sigmoid − 0.5)` gate the KL baseline feeds downstream.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { checkFinite, invalid } from './internal/errors.js';
import { type Kwargs, type LayerArgs, oneTensor } from './internal/tfjs-types.js';

/**
 * The KL baseline's default target density p: 5.022621e-05, the DigitCircle
 * "bar" density (99.995% sparsity) used by every reference KL run.
 * @example
 * klAuxLoss(sigmoids, 0.01, KL_DEFAULT_TARGET_DENSITY);
 */
export const KL_DEFAULT_TARGET_DENSITY = 5.022621e-5;

/**
 * L1 auxiliary loss `weight · mean(|a|)`, the mean over every element (batch,
 * positions and channels) of the bottleneck activations `a = ReLU(BN(z))`
 * (reference `L1Loss`). Reference weights λ: 0.1, 1, 2, 5, 10.
 *
 * @param activations The L1 bottleneck output.
 * @param weight λ, a finite number.
 * @returns A scalar tensor.
 * @example
 * l1AuxLoss(tf.tensor([0, 2, 0, 4]), 0.1); // 0.15
 */
export function l1AuxLoss(activations: tf.Tensor, weight: number): tf.Scalar {
  checkFinite('l1AuxLoss: argument "weight"', weight);
  return tf.tidy(() => tf.mul(tf.mean(tf.abs(activations)), weight) as tf.Scalar);
}

/**
 * KL auxiliary loss `weight · [p·ln(p/p̂) + (1 − p)·ln((1 − p)/(1 − p̂))]` with
 * `p̂` the mean of the sigmoid activations over the whole batch tensor (all
 * positions and channels) and `p` the target density (reference `KLLoss`; no
 * clamping of p̂, as in the reference). Reference weights λ: 0.01 … 1e5.
 *
 * @param sigmoids The KL bottleneck's sigmoid activations, in (0, 1).
 * @param weight λ, a finite number.
 * @param targetDensity p, `0 < p < 1`; default {@link KL_DEFAULT_TARGET_DENSITY}.
 * @returns A scalar tensor.
 * @example
 * klAuxLoss(tf.fill([4, 2], 0.5), 1, 0.5); // 0
 */
export function klAuxLoss(
  sigmoids: tf.Tensor,
  weight: number,
  targetDensity: number = KL_DEFAULT_TARGET_DENSITY,
): tf.Scalar {
  checkFinite('klAuxLoss: argument "weight"', weight);
  checkTargetDensity('klAuxLoss: argument "targetDensity"', targetDensity);
  const p = targetDensity;
  return tf.tidy(() => {
    const pHat = tf.mean(sigmoids);
    const first = tf.mul(p, tf.log(tf.div(p, pHat)));
    const second = tf.mul(1 - p, tf.log(tf.div(1 - p, tf.sub(1, pHat))));
    return tf.mul(tf.add(first, second), weight) as tf.Scalar;
  });
}

/** @internal */
export function checkTargetDensity(where: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    invalid(where, value, 'a number with 0 < p < 1');
  }
  return value;
}

/**
 * Options of {@link ShiftedReLU}; also accepts the usual tfjs layer arguments.
 * @example
 * new ShiftedReLU({ shift: 0.5, name: 'gate' });
 */
export interface ShiftedReLUOptions extends LayerArgs {
  /** The subtracted constant. Default 0.5 (the KL baseline's gate). */
  shift?: number;
}

/**
 * `y = ReLU(x − shift)`, a fixed-threshold version of the sparsity layer. With
 * the default shift 0.5 after a sigmoid it is the KL baseline's
 * `ThresholdForKL`: downstream sees `ReLU(sigmoid − 0.5)`, nonzero exactly
 * where the sigmoid exceeds 0.5.
 *
 * @example
 * new ShiftedReLU().apply(tf.tensor([0.2, 0.5, 0.9])); // [0, 0, 0.4]
 */
export class ShiftedReLU extends tf.layers.Layer {
  /** @internal tfjs serialization name. */
  static readonly className = 'ShiftedReLU';

  /** The subtracted constant. */
  readonly shift: number;

  constructor(options: ShiftedReLUOptions = {}) {
    super(options);
    this.shift = checkFinite('ShiftedReLU: option "shift"', options.shift ?? 0.5);
  }

  /** @internal */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  /** @internal */
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const x = oneTensor(inputs, `ShiftedReLU (layer "${this.name}")`);
    return tf.tidy(() => tf.relu(tf.sub(x, this.shift)));
  }

  /** @internal */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), shift: this.shift };
  }
}
