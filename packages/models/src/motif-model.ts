/**
 * The motif model ĝ (spec 6.1): 1×1 convolution in, pre-activation residual units,
 * 1×1 convolution out to the motif channels.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';
import { BatchNorm } from '@sparling/layer';

import type { MotifModelConfig } from './contract.js';
import { Convolution } from './convolution.js';
import { checkInteger, invalid } from './internal/errors.js';
import type { ParameterStore } from './parameter-store.js';

/**
 * The window of ĝ: `1 + (kernelSize − 1)·2·residualUnits` positions per spatial axis
 * (17 for the paper's DigitCircle model).
 *
 * @example
 * receptiveField({ dims: 2, width: 64, residualUnits: 4, kernelSize: 3 }); // 17
 */
export function receptiveField(config: MotifModelConfig): number {
  return 1 + (config.kernelSize - 1) * 2 * config.residualUnits;
}

/** Validates a {@link MotifModelConfig}; `where` prefixes the messages. */
export function checkMotifModelConfig(config: MotifModelConfig, where = 'motif'): void {
  if (config.dims !== 1 && config.dims !== 2) invalid(`${where}.dims`, config.dims, '1 (sequences) or 2 (images)');
  checkInteger(`${where}.width`, config.width, 1);
  checkInteger(`${where}.residualUnits`, config.residualUnits, 0);
  const k = checkInteger(`${where}.kernelSize`, config.kernelSize, 1);
  if (k % 2 === 0) invalid(`${where}.kernelSize`, k, "an odd integer (so that 'same' padding is symmetric)");
}

/** BN → ReLU → conv → BN → ReLU → conv, plus the input. */
class ResidualUnit {
  private readonly bn1 = new BatchNorm();
  private readonly bn2 = new BatchNorm();
  private readonly conv1: Convolution;
  private readonly conv2: Convolution;

  constructor(store: ParameterStore, name: string, width: number, size: readonly [number, number]) {
    store.layer(`${name}/bn1`, this.bn1, width);
    this.conv1 = new Convolution(store, `${name}/conv1`, size, width, width);
    store.layer(`${name}/bn2`, this.bn2, width);
    this.conv2 = new Convolution(store, `${name}/conv2`, size, width, width);
  }

  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    return tf.tidy(() => {
      const a = this.conv1.apply(tf.relu(this.bn1.apply(x, { training }) as tf.Tensor4D));
      const b = this.conv2.apply(tf.relu(this.bn2.apply(a, { training }) as tf.Tensor4D));
      return tf.add(x, b);
    });
  }
}

/**
 * ĝ on channels-last inputs, always as 4-D `[B, H, W, C]` (a sequence `[B, L, C]` is
 * `[B, 1, L, C]` with `[1, k]` kernels). Parameters: `g/conv_in/{kernel,bias}`,
 * `g/unit<i>/{bn1,bn2}/{gamma,beta,running_mean,running_var}`, `g/unit<i>/{conv1,conv2}/{kernel,bias}`,
 * `g/conv_out/{kernel,bias}`. Batch norms follow PyTorch (`BatchNorm` from @sparling/layer).
 *
 * @example
 * const g = new MotifModel(store, { dims: 2, width: 16, residualUnits: 4, kernelSize: 3 }, 1, 10);
 * g.apply(tf.zeros([2, 48, 48, 1]), false).shape; // [2, 48, 48, 10]
 */
export class MotifModel {
  private readonly convIn: Convolution;
  private readonly units: ResidualUnit[];
  private readonly convOut: Convolution;

  constructor(store: ParameterStore, readonly config: MotifModelConfig, inputChannels: number, motifChannels: number) {
    checkMotifModelConfig(config);
    const { width, kernelSize } = config;
    const size: [number, number] = config.dims === 2 ? [kernelSize, kernelSize] : [1, kernelSize];
    this.convIn = new Convolution(store, 'g/conv_in', [1, 1], inputChannels, width);
    this.units = Array.from({ length: config.residualUnits }, (_, i) => new ResidualUnit(store, `g/unit${i}`, width, size));
    this.convOut = new Convolution(store, 'g/conv_out', [1, 1], width, motifChannels);
  }

  /** The motif logits z `[B, H, W, motifs]` of a 4-D input. */
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    return tf.tidy(() => {
      const h = this.units.reduce((acc, unit) => unit.apply(acc, training), this.convIn.apply(x));
      return this.convOut.apply(h);
    });
  }
}
