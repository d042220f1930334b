/**
 * The contract between the model (g + bottleneck + h) and the training/evaluation code.
 * `src/sparling-model.ts` implements {@link SparlingModelApi}; `src/train.ts`,
 * `src/evaluate.ts` and `src/checkpoint.ts` use only what is declared here.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Bottleneck, BottleneckKind, SparsityMode } from '@sparling/layer';

/** Motif model g: 1x1 conv in, pre-activation residual units, 1x1 conv out to the motif channels. */
export interface MotifModelConfig {
  /** 2 for images [H, W, C], 1 for sequences [L, C]. */
  readonly dims: 1 | 2;
  readonly width: number;
  readonly residualUnits: number;
  /** Width of each residual conv (3 in the paper). */
  readonly kernelSize: number;
}

export interface BottleneckConfig {
  readonly kind: BottleneckKind;
  /** Starting density (0.5 in the paper; the no-annealing ablation starts lower). */
  readonly density: number;
  readonly mode: SparsityMode;
  readonly batchNorm: boolean;
  readonly affine: boolean;
  /** Loss weight for the L1 / KL baselines. */
  readonly lambda: number;
  /**
   * KL baseline only: the target density p of its Bernoulli KL loss. Absent: the reference's
   * 5.022621e-05, the 100 x 100 DigitCircle's minimum density (99.995% sparsity), which the
   * reference uses for every KL run. The paper sets it to the domain's own bar "to perform a
   * direct comparison", which on another canvas or domain is a different number.
   */
  readonly targetDensity?: number;
  /** false, or the minimum expected survivors per channel before a threshold update. */
  readonly accumulate: false | number;
}

/** Model h: 1x1 conv + max pool, (row LSTM), positional encoding, Transformer encoder/decoder. */
export interface PostSparseConfig {
  readonly width: number;
  readonly pool: number;
  /** Bidirectional LSTM along each row (images only; the 1-D variant has none). */
  readonly rowLstm: boolean;
  /**
   * Images only. `'row'` (default; the paper's "column encoding", spec 6.3): a sinusoidal
   * encoding of the pooled row index added to every channel. `'2d'`: the first width/2 channels
   * encode the row and the last width/2 the column (width must be even).
   */
  readonly positionalEncoding?: 'row' | '2d';
  /**
   * Images only; default false. Adds a learned linear projection of each pooled cell's centred,
   * normalised coordinates (row, column in [−1, 1]) to its features (CoordConv-style), so
   * attention can compare positions by direction from the centre. `'polar'` also adds the unit
   * direction from the centre (cos θ, sin θ), so "next counter-clockwise" is one rotation.
   * `'centroid'` adds, instead, each cell's direction from the centre of mass of that item's
   * motif map (see `centroidDirections`), which orders motifs along a circle wherever it lies.
   */
  readonly coordinates?: boolean | 'polar' | 'centroid';
  readonly heads: number;
  readonly encoderLayers: number;
  readonly decoderLayers: number;
  readonly feedForward: number;
  readonly dropout: number;
}

export interface SparlingModelConfig {
  /** Channels-last input shape of one item, e.g. [48, 48, 1]. */
  readonly inputShape: readonly number[];
  /** Decoder vocabulary, `<s>` and `</s>` first (the domain's `vocabulary`). */
  readonly vocabulary: readonly string[];
  readonly motifChannels: number;
  readonly motif: MotifModelConfig;
  readonly bottleneck: BottleneckConfig;
  readonly post: PostSparseConfig;
  /** Longest decoded sequence, `</s>` included. */
  readonly maxLength: number;
}

/** One tensor of model state, as stored in a checkpoint. */
export interface NamedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export interface SparlingModelApi {
  readonly config: SparlingModelConfig;
  /** The sparse bottleneck (density get/set for the annealer; thresholds live in its layer). */
  readonly bottleneck: Bottleneck;
  /**
   * Teacher-forced cross-entropy averaged over non-padding target tokens, plus the
   * bottleneck's auxiliary loss. `training` updates batch-norm statistics and thresholds:
   * call it once per optimizer step with training true, inside `optimizer.minimize`.
   */
  loss(inputs: tf.Tensor, labels: readonly (readonly string[])[], training: boolean): tf.Scalar;
  /**
   * Optional (implementations without dropout may omit it): sets the step the next
   * training-mode pass draws its dropout masks from. `train` calls it with the samples seen
   * before every optimizer step, so a resumed run reproduces the uninterrupted run's masks.
   */
  setTrainingStep?(step: number): void;
  /**
   * Greedy, batched decoding in inference mode; each result stops before `</s>`. Asynchronous,
   * because it reads each step's tokens back, which a GPU backend only does asynchronously.
   */
  decode(inputs: tf.Tensor, maxLength?: number): Promise<string[][]>;
  /** The sparse layer's output in inference mode, channels-last [B, ...spatial, C]. */
  motifMap(inputs: tf.Tensor): tf.Tensor;
  /** Variables the optimizer trains; with `frozenMotifModel` only h's (the Retrained setting). */
  trainableVariables(options?: { frozenMotifModel?: boolean }): tf.Variable[];
  /** Every weight, trainable or not (thresholds, batch-norm running statistics), by stable name. */
  getState(): Promise<NamedArray[]>;
  /**
   * Restores what `getState` returned; names and shapes must match. g's and h's names do not
   * depend on the bottleneck kind, so `ignoreUnknown` lets a model without a bottleneck load
   * g and h from a SPARLING snapshot (the Retrained setting, spec 8.7).
   */
  setState(state: readonly NamedArray[], options?: { ignoreUnknown?: boolean }): void;
  dispose(): void;
}
