/**
 * One nonzero entry of a motif map: `value` at `position` (one coordinate per spatial axis,
 * e.g. `[row, column]` for images, `[frame]` for audio) in `channel`.
 *
 * @example
 * ```ts
 * const a: Activation = { channel: 0, position: [1, 1], value: 0.9 };
 * ```
 */
export interface Activation {
  readonly channel: number;
  readonly position: readonly number[];
  readonly value: number;
}

/**
 * A motif map given as the list of its nonzero activations: the natural form for extremely
 * sparse maps and for JSON. Activations with value 0 are ignored; a (channel, position) pair
 * may appear only once.
 *
 * @example
 * ```ts
 * const map: SparseMotifMap = {
 *   kind: 'sparse', shape: [8, 8], channels: 3,
 *   activations: [{ channel: 0, position: [1, 1], value: 0.9 }],
 * };
 * ```
 */
export interface SparseMotifMap {
  readonly kind: 'sparse';
  /** Spatial shape, e.g. `[height, width]` or `[frames]`. */
  readonly shape: readonly number[];
  readonly channels: number;
  readonly activations: readonly Activation[];
}

/**
 * A motif map given as every value, channels-last and row-major: the value of channel `c` at
 * spatial position `p` (flattened row-major over `shape`) is `values[p * channels + c]`. This is
 * the memory layout of a TensorFlow/JAX `[H, W, C]` array; a PyTorch `[C, H, W]` tensor needs
 * `permute(1, 2, 0)` first.
 *
 * @example
 * ```ts
 * const values = new Float32Array(8 * 8 * 3);
 * values[(1 * 8 + 1) * 3 + 0] = 0.9; // channel 0 at (1, 1)
 * const map: DenseMotifMap = { kind: 'dense', shape: [8, 8], channels: 3, values };
 * ```
 */
export interface DenseMotifMap {
  readonly kind: 'dense';
  /** Spatial shape, e.g. `[height, width]` or `[frames]`. */
  readonly shape: readonly number[];
  readonly channels: number;
  readonly values: Float32Array | Float64Array;
}

/**
 * The output of a motif model for one item: post-ReLU activations, so every value is finite
 * and at least 0. Sparse and dense forms of the same map give identical metrics.
 *
 * @example
 * ```ts
 * const map: MotifMap = { kind: 'sparse', shape: [100], channels: 10, activations: [] };
 * ```
 */
export type MotifMap = SparseMotifMap | DenseMotifMap;

/**
 * An axis-aligned box over the spatial axes: `start` inclusive, `end` exclusive, one entry per
 * axis. Parts beyond the map are clipped away (a negative start counts as 0, an end past the
 * edge as the edge), as numpy slicing does in the reference.
 *
 * @example
 * ```ts
 * const rows0to2cols5to7: Footprint = { start: [0, 5], end: [3, 8] };
 * ```
 */
export interface Footprint {
  readonly start: readonly number[];
  readonly end: readonly number[];
}

/**
 * A motif that really is in the item: its symbol (e.g. the digit `"4"`) and its footprint.
 * The symbol `"none"` is reserved for the confusion matrix's none row.
 *
 * @example
 * ```ts
 * const four: TrueMotif = { symbol: '4', footprint: { start: [38, 14], end: [50, 22] } };
 * ```
 */
export interface TrueMotif {
  readonly symbol: string;
  readonly footprint: Footprint;
}
