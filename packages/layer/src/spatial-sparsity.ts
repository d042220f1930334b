/**
 * The SPARLING spatial sparsity layer (paper §4.1, spec §1): `ReLU(z − t)` with
 * a threshold t tracked as a moving average of a batch order statistic.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { checkInRange, invalid } from './internal/errors.js';
import { SparsityValue } from './internal/sparsity-value.js';
import { type Kwargs, type LayerArgs, oneShape, oneTensor } from './internal/tfjs-types.js';
import { thresholdRank } from './quantile.js';

/**
 * How thresholds are shared.
 * - `'per-channel'` (the paper's MT, default): one threshold per channel, each
 *   channel keeps a fraction `density` of its values.
 * - `'global'` (the paper's ST, Appendix D): one threshold over all values of
 *   the batch (all positions and channels flattened to one column).
 * @example
 * new SpatialSparsity({ mode: 'global' });
 */
export type SparsityMode = 'per-channel' | 'global';

/**
 * Options of {@link SpatialSparsity}; also accepts the usual tfjs layer arguments (`name`, ...).
 * @example
 * new SpatialSparsity({ density: 0.5, mode: 'per-channel', momentum: 0.1, accumulate: false });
 */
export interface SpatialSparsityOptions extends LayerArgs {
  /**
   * Target fraction of values that survive, `0 < density <= 1`. Default 0.5
   * (the paper's starting density). Stored internally as `sparsity = 1 − density`.
   */
  density?: number;
  /**
   * Alternative to `density`: the target fraction of zeros, `0 <= sparsity < 1`,
   * kept exactly (the reference stores sparsity; use this to reproduce its
   * double arithmetic for densities above 0.5). If both are given they must
   * agree (`density === 1 - sparsity`).
   */
  sparsity?: number;
  /** `'per-channel'` (MT, default) or `'global'` (ST). */
  mode?: SparsityMode;
  /**
   * Weight of the newest batch quantile in the threshold moving average:
   * `t ← (1 − momentum)·t + momentum·q`. Default 0.1, i.e. the paper's μ = 0.9
   * (PyTorch convention, like `BatchNorm`'s momentum). `0 <= momentum <= 1`.
   */
  momentum?: number;
  /**
   * `false` (default; the DigitCircle reference run) or the minimum expected
   * number of survivors per channel before a threshold update (the paper's
   * footnote 3 uses 10). Batches are buffered until `rows · density >= accumulate`,
   * then one moving-average step is taken on all buffered rows. In `'global'`
   * mode "rows" counts every value (the whole batch is one column).
   */
  accumulate?: false | number;
}

/**
 * The spatial sparsity layer: `y = ReLU(x − t)` over the last (channel) axis of
 * a channels-last input of any rank >= 2 (a rank-2 input `[N, C]` is N
 * positions of C channels; `[B, H, W, C]` gives B·H·W positions).
 *
 * In training (`training: true`, as `model.fit` passes it) the threshold is
 * updated *before* thresholding: `q` = the k-th smallest value of each channel
 * over all positions of the batch, `k = max(1, trunc(N·(1 − density)))`, and
 * `t ← f32(f32(t·f32(1 − m)) + f32(q·f32(m)))` (bit-exact with the reference).
 * Thresholds start at 0, are stored as a non-trainable weight named
 * `thresholds` (shape `[C]`, or `[1]` in `'global'` mode) so they are saved with
 * the model, and never receive gradients: the gradient w.r.t. `x` is 1 where
 * `x > t` and 0 elsewhere. In inference thresholds are frozen.
 *
 * A value survives iff it is strictly greater than t. The output is the excess
 * above the threshold, not the original value.
 *
 * @example
 * const layer = new SpatialSparsity({ density: 0.25, momentum: 1 });
 * const x = tf.tensor2d([0.1, -0.5, 2, 0.3, 1.5, -1, 0, 0.7], [8, 1]);
 * layer.apply(x, { training: true }); // updates t to 0.7, returns [0,0,1.3,0,0.8,0,0,0]
 * layer.getThresholds(); // Float32Array [0.7]
 */
export class SpatialSparsity extends tf.layers.Layer {
  /** @internal tfjs serialization name. */
  static readonly className = 'SpatialSparsity';

  /** `'per-channel'` or `'global'`. */
  readonly mode: SparsityMode;
  /** Weight of the newest batch quantile in the moving average. */
  readonly momentum: number;
  /** `false`, or the minimum expected survivors per channel before an update. */
  readonly accumulate: false | number;

  private readonly target: SparsityValue;
  private thresholdWeight: tf.LayerVariable | null = null;
  private channels: number | null = null;
  private buffer: tf.Tensor2D[] = [];
  private bufferedRows_ = 0;

  constructor(options: SpatialSparsityOptions = {}) {
    super(options);
    this.target = new SparsityValue('SpatialSparsity', options.density, options.sparsity);
    const mode = options.mode ?? 'per-channel';
    if (mode !== 'per-channel' && mode !== 'global') {
      invalid('SpatialSparsity: option "mode"', mode, `'per-channel' or 'global'`);
    }
    this.mode = mode;
    this.momentum = checkInRange(
      'SpatialSparsity: option "momentum"',
      options.momentum ?? 0.1,
      0,
      1,
      true,
    );
    const accumulate = options.accumulate ?? false;
    if (
      accumulate !== false &&
      (typeof accumulate !== 'number' || !Number.isFinite(accumulate) || accumulate <= 0)
    ) {
      invalid(
        'SpatialSparsity: option "accumulate"',
        accumulate,
        'false or a finite number > 0 (minimum expected survivors per channel, e.g. 10)',
      );
    }
    this.accumulate = accumulate;
  }

  /**
   * Target fraction of surviving values, `0 < density <= 1`. Setting it stores
   * `sparsity = 1 − density`; reading it returns the value you set (or
   * `1 − sparsity` after `sparsity` was set).
   */
  get density(): number {
    return this.target.density;
  }

  set density(value: number) {
    this.target.setDensity('SpatialSparsity.density', value);
  }

  /**
   * Target fraction of zeroed values, `0 <= sparsity < 1`. This is the exact
   * stored quantity; `density` is derived from it. Setting it is how the
   * annealer reproduces the reference's `s ← 1 − (1 − s)·multiplier`.
   */
  get sparsity(): number {
    return this.target.sparsity;
  }

  set sparsity(value: number) {
    this.target.setSparsity('SpatialSparsity.sparsity', value);
  }

  /**
   * Rows (positions; in `'global'` mode: values) buffered for the next
   * accumulated update. Always 0 when `accumulate` is false.
   */
  get bufferedRows(): number {
    return this.bufferedRows_;
  }

  /** @internal */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape, 'SpatialSparsity.build');
    if (shape.length < 2) {
      invalid(
        `SpatialSparsity (layer "${this.name}"): input rank`,
        shape.length,
        'at least 2 (channels-last: [positions..., channels])',
      );
    }
    const channels = shape[shape.length - 1];
    if (this.mode === 'per-channel' && (channels === null || channels === undefined)) {
      throw new TypeError(
        `SpatialSparsity (layer "${this.name}"): the channel (last) axis must have a known size ` +
          `in 'per-channel' mode; received input shape ${JSON.stringify(shape)}.`,
      );
    }
    this.channels = channels ?? null;
    const size = this.mode === 'global' ? 1 : (channels as number);
    this.thresholdWeight = this.addWeight(
      'thresholds',
      [size],
      'float32',
      tf.initializers.zeros(),
      undefined,
      false,
    );
    this.built = true;
  }

  /** @internal */
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  /**
   * Applies the layer. `kwargs.training === true` updates the thresholds first;
   * `kwargs.disableRelu === true` returns `x − t` without the ReLU (reference
   * `disable_relu`, analysis only; only honoured when the layer is applied
   * directly, since tfjs models pass just `training` to their layers).
   * @internal
   */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = oneTensor(inputs, `SpatialSparsity (layer "${this.name}")`);
    const weight = this.requireBuilt('call');
    this.checkInput(x);
    const training = kwargs?.['training'] === true;
    const disableRelu = kwargs?.['disableRelu'] === true;
    return tf.tidy(() => {
      const t = training ? this.update(x, weight) : weight.read();
      const shifted = tf.sub(x, t);
      return disableRelu ? shifted : tf.relu(shifted);
    });
  }

  /**
   * The current thresholds (a copy): length C in `'per-channel'` mode, 1 in
   * `'global'` mode. Reads synchronously, which the webgpu backend cannot do in
   * Node: use {@link readThresholds} there.
   * @example
   * layer.getThresholds(); // Float32Array [0.07000000029802322, ...]
   */
  getThresholds(): Float32Array {
    const weight = this.requireBuilt('getThresholds');
    if (tf.getBackend() === 'webgpu') {
      throw new Error(
        `SpatialSparsity.getThresholds: the 'webgpu' backend cannot read synchronously; use await layer.readThresholds().`,
      );
    }
    return Float32Array.from(weight.read().dataSync());
  }

  /**
   * The current thresholds (a copy), read asynchronously: works on every backend.
   * @example
   * await layer.readThresholds(); // Float32Array [0.07000000029802322, ...]
   */
  async readThresholds(): Promise<Float32Array> {
    const weight = this.requireBuilt('readThresholds');
    return Float32Array.from(await weight.read().data());
  }

  /**
   * Overwrites the thresholds (values are rounded to float32).
   * @example
   * layer.setThresholds([0.7]);
   */
  setThresholds(values: ArrayLike<number>): void {
    const weight = this.requireBuilt('setThresholds');
    const size = weight.shape[0] as number;
    if (values.length !== size) {
      invalid('SpatialSparsity.setThresholds: values.length', values.length, `${size}`);
    }
    const t = tf.tensor1d(Float32Array.from(values), 'float32');
    weight.write(t);
    t.dispose();
  }

  /** @internal */
  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      density: this.density,
      sparsity: this.target.sparsity,
      mode: this.mode,
      momentum: this.momentum,
      accumulate: this.accumulate,
    };
  }

  private requireBuilt(method: string): tf.LayerVariable {
    if (this.thresholdWeight === null) {
      throw new Error(
        `SpatialSparsity.${method}: layer "${this.name}" is not built yet; apply it to an input ` +
          `(a tensor or a tf.input) first.`,
      );
    }
    return this.thresholdWeight;
  }

  private checkInput(x: tf.Tensor): void {
    if (x.rank < 2) {
      invalid(
        `SpatialSparsity (layer "${this.name}"): input rank`,
        x.rank,
        'at least 2 (channels-last: [positions..., channels])',
      );
    }
    if (x.dtype !== 'float32') {
      invalid(`SpatialSparsity (layer "${this.name}"): input dtype`, x.dtype, "'float32'");
    }
    const channels = x.shape[x.rank - 1] as number;
    if (this.channels !== null && channels !== this.channels) {
      invalid(
        `SpatialSparsity (layer "${this.name}"): input channel (last) axis`,
        channels,
        `${this.channels} (the size the layer was built with); input shape ${JSON.stringify(x.shape)}`,
      );
    }
  }

  /**
   * One training-mode threshold update (or accumulation step), computed on the device so that
   * no training step reads back synchronously (a webgpu backend cannot). Returns the thresholds
   * to apply to this batch (unchanged while accumulating). Runs inside the caller's tidy.
   */
  private update(x: tf.Tensor, weight: tf.LayerVariable): tf.Tensor1D {
    const columns = weight.shape[0] as number;
    const rows = x.size / columns;
    const previous = weight.read() as tf.Tensor1D;
    if (rows === 0) return previous;
    let totalRows = rows;
    let batch = x;
    if (this.accumulate !== false) {
      this.buffer.push(tf.keep(detached(x, (v) => tf.reshape(v, [rows, columns]))));
      this.bufferedRows_ += rows;
      if (this.bufferedRows_ * this.target.computedDensity < this.accumulate) return previous;
      totalRows = this.bufferedRows_;
      batch = tf.concat(this.buffer, 0);
      tf.dispose(this.buffer);
      this.buffer = [];
      this.bufferedRows_ = 0;
    }
    const k = thresholdRank(totalRows, this.target.sparsity);
    const next = detached(batch, (v) => {
      const q = columnKthSmallest(tf.reshape(v, [totalRows, columns]) as tf.Tensor2D, k);
      return emaThresholds(previous, q, this.momentum);
    });
    weight.write(next);
    return next;
  }

  /** Disposes the buffered accumulation batches with the layer's weights. */
  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    tf.dispose(this.buffer);
    this.buffer = [];
    this.bufferedRows_ = 0;
    return super.dispose();
  }
}

/**
 * `f(x)` with no gradient reaching `x`: tfjs has no gradient for TopK, and the thresholds are
 * data, not a function to differentiate (the reference computes them on a detached copy).
 */
function detached<T extends tf.Tensor>(x: tf.Tensor, f: (x: tf.Tensor) => T): T {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor;
    return { value: f(input), gradFunc: () => tf.zerosLike(input) };
  })(x) as T;
}

/**
 * The k-th smallest value (1-based, ties counted) of each column of `[rows, columns]`, as an
 * exact order statistic: the minimum of the `rows − k + 1` largest values or, when k is the
 * smaller count, minus the minimum of the k largest values of `−x` (negation is exact), so TopK
 * never selects more than half a column plus one (spec §1.2: `torch.kthvalue` semantics).
 */
function columnKthSmallest(x: tf.Tensor2D, k: number): tf.Tensor1D {
  const rows = x.shape[0];
  const byColumn = tf.transpose(x);
  if (k <= rows - k + 1) {
    return tf.neg(tf.min(tf.topk(tf.neg(byColumn), k, false).values, 1)) as tf.Tensor1D;
  }
  return tf.min(tf.topk(byColumn, rows - k + 1, false).values, 1) as tf.Tensor1D;
}

/**
 * `t' = f32(f32(t · f32(1 − m)) + f32(q · f32(m)))` as three float32 tensor ops, each rounded on
 * its own like `emaThreshold` (separate kernels, so no backend can fuse them into an FMA).
 */
function emaThresholds(previous: tf.Tensor1D, quantiles: tf.Tensor1D, momentum: number): tf.Tensor1D {
  const keep = tf.mul(previous, tf.scalar(Math.fround(1 - momentum), 'float32'));
  const take = tf.mul(quantiles, tf.scalar(Math.fround(momentum), 'float32'));
  return tf.add(keep, take) as tf.Tensor1D;
}
