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
import { emaThreshold, QuantileWorkspace, thresholdRank } from './quantile.js';

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
  private readonly workspace = new QuantileWorkspace();
  private buffer: Float32Array[] = [];
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
    const current = training ? this.update(x, weight) : null;
    return tf.tidy(() => {
      // In training the thresholds enter as a constant, so the gradient tape
      // never sees the threshold variable: no gradient can reach it.
      const t = current === null ? weight.read() : tf.tensor1d(current, 'float32');
      const shifted = tf.sub(x, t);
      return disableRelu ? shifted : tf.relu(shifted);
    });
  }

  /**
   * The current thresholds (a copy): length C in `'per-channel'` mode, 1 in
   * `'global'` mode.
   * @example
   * layer.getThresholds(); // Float32Array [0.07000000029802322, ...]
   */
  getThresholds(): Float32Array {
    const weight = this.requireBuilt('getThresholds');
    return Float32Array.from(weight.read().dataSync());
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
   * One training-mode threshold update (or accumulation step). Returns the
   * thresholds to apply to this batch (unchanged while accumulating).
   */
  private update(x: tf.Tensor, weight: tf.LayerVariable): Float32Array {
    const columns = weight.shape[0] as number;
    const rows = x.size / columns;
    // Copies: on cpu dataSync() returns the backing store itself.
    const previous = Float32Array.from(weight.read().dataSync());
    if (rows === 0) return previous;
    // A read-only view on cpu; never written to.
    const values = x.dataSync() as Float32Array;
    let chunks: readonly Float32Array[];
    let totalRows: number;
    if (this.accumulate === false) {
      chunks = [values];
      totalRows = rows;
    } else {
      this.buffer.push(Float32Array.from(values));
      this.bufferedRows_ += rows;
      if (this.bufferedRows_ * this.target.computedDensity < this.accumulate) return previous;
      chunks = this.buffer;
      totalRows = this.bufferedRows_;
      this.buffer = [];
      this.bufferedRows_ = 0;
    }
    const k = thresholdRank(totalRows, this.target.sparsity);
    const quantiles = this.workspace.channelKthSmallest(chunks, columns, totalRows, k);
    const next = new Float32Array(columns);
    for (let c = 0; c < columns; c++) {
      next[c] = emaThreshold(previous[c] as number, quantiles[c] as number, this.momentum);
    }
    const t = tf.tensor1d(next, 'float32');
    weight.write(t);
    t.dispose();
    return next;
  }
}
