/**
 * Post-LN Transformer encoder and decoder stacks (PyTorch `nn.TransformerEncoder` /
 * `nn.TransformerDecoder` with ReLU feed-forward, dropout, no final norm).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { MultiHeadAttention } from './attention.js';
import { dropout, type DropoutSeeds } from './dropout.js';
import { checkInteger } from './internal/errors.js';
import { LayerNorm } from './layer-norm.js';
import { Linear } from './linear.js';
import type { ParameterStore } from './parameter-store.js';

/** Sizes shared by the encoder and decoder layers. */
export interface TransformerOptions {
  /** Model width d. */
  readonly dim: number;
  readonly heads: number;
  /** Hidden width of the feed-forward block. */
  readonly feedForward: number;
  /**
   * Dropout rate (residual branches, attention weights, feed-forward hidden). In training the
   * masks are seeded from the `seeds` passed to `apply` (see {@link dropout}).
   */
  readonly dropout: number;
}

/** `linear2(dropout(relu(linear1(x))))`. Parameters `<name>/linear1`, `<name>/linear2`. */
class FeedForward {
  private readonly linear1: Linear;
  private readonly linear2: Linear;

  constructor(store: ParameterStore, name: string, private readonly options: TransformerOptions) {
    this.linear1 = new Linear(store, `${name}/linear1`, options.dim, options.feedForward);
    this.linear2 = new Linear(store, `${name}/linear2`, options.feedForward, options.dim);
  }

  apply(x: tf.Tensor, training: boolean, seeds?: DropoutSeeds): tf.Tensor {
    return this.linear2.apply(dropout(tf.relu(this.linear1.apply(x)), this.options.dropout, training, seeds));
  }
}

/**
 * One post-LN encoder layer: `x = norm1(x + drop(selfAttn(x)))`, `x = norm2(x + drop(ff(x)))`.
 * Parameters under `<name>/{self_attention,feed_forward,norm1,norm2}`.
 *
 * @example
 * new TransformerEncoderLayer(store, 'enc/layer0', { dim: 64, heads: 4, feedForward: 128, dropout: 0.1 }).apply(x, true, undefined, seeds);
 */
export class TransformerEncoderLayer {
  private readonly attention: MultiHeadAttention;
  private readonly feedForward: FeedForward;
  private readonly norm1: LayerNorm;
  private readonly norm2: LayerNorm;

  constructor(store: ParameterStore, name: string, private readonly options: TransformerOptions) {
    this.attention = new MultiHeadAttention(store, `${name}/self_attention`, options.dim, options.heads, options.dropout);
    this.feedForward = new FeedForward(store, `${name}/feed_forward`, options);
    this.norm1 = new LayerNorm(store, `${name}/norm1`, options.dim);
    this.norm2 = new LayerNorm(store, `${name}/norm2`, options.dim);
  }

  /** `x`: `[B, T, d]`; `mask`: optional additive attention mask; `seeds`: the pass's dropout seeds. */
  apply(x: tf.Tensor, training: boolean, mask?: tf.Tensor, seeds?: DropoutSeeds): tf.Tensor {
    return tf.tidy(() => {
      const rate = this.options.dropout;
      const attended = this.attention.apply(x, x, { training, ...(mask === undefined ? {} : { mask }), ...(seeds === undefined ? {} : { seeds }) });
      const h = this.norm1.apply(tf.add(x, dropout(attended, rate, training, seeds)));
      return this.norm2.apply(tf.add(h, dropout(this.feedForward.apply(h, training, seeds), rate, training, seeds)));
    });
  }
}

/**
 * One post-LN decoder layer: masked self-attention, cross-attention to the memory,
 * feed-forward, each followed by add & norm. Parameters under
 * `<name>/{self_attention,cross_attention,feed_forward,norm1,norm2,norm3}`.
 *
 * @example
 * layer.apply(y, memory, true, causalMask(y.shape[1]));
 */
export class TransformerDecoderLayer {
  private readonly selfAttention: MultiHeadAttention;
  private readonly crossAttention: MultiHeadAttention;
  private readonly feedForward: FeedForward;
  private readonly norms: [LayerNorm, LayerNorm, LayerNorm];

  constructor(store: ParameterStore, name: string, private readonly options: TransformerOptions) {
    const { dim, heads, dropout: rate } = options;
    this.selfAttention = new MultiHeadAttention(store, `${name}/self_attention`, dim, heads, rate);
    this.crossAttention = new MultiHeadAttention(store, `${name}/cross_attention`, dim, heads, rate);
    this.feedForward = new FeedForward(store, `${name}/feed_forward`, options);
    this.norms = [1, 2, 3].map((i) => new LayerNorm(store, `${name}/norm${i}`, dim)) as [LayerNorm, LayerNorm, LayerNorm];
  }

  /**
   * `x`: `[B, T, d]` targets; `memory`: `[B, S, d]`; `mask`: additive self-attention mask;
   * `seeds`: the pass's dropout seeds.
   */
  apply(x: tf.Tensor, memory: tf.Tensor, training: boolean, mask?: tf.Tensor, seeds?: DropoutSeeds): tf.Tensor {
    return tf.tidy(() => {
      const rate = this.options.dropout;
      const [norm1, norm2, norm3] = this.norms;
      const seeded = seeds === undefined ? {} : { seeds };
      const self = this.selfAttention.apply(x, x, { training, ...(mask === undefined ? {} : { mask }), ...seeded });
      const a = norm1.apply(tf.add(x, dropout(self, rate, training, seeds)));
      const cross = this.crossAttention.apply(a, memory, { training, ...seeded });
      const b = norm2.apply(tf.add(a, dropout(cross, rate, training, seeds)));
      return norm3.apply(tf.add(b, dropout(this.feedForward.apply(b, training, seeds), rate, training, seeds)));
    });
  }
}

/**
 * A stack of {@link TransformerEncoderLayer}s named `<name>/layer<i>`.
 *
 * @example
 * const encoder = new TransformerEncoder(store, 'h/encoder', 2, { dim: 64, heads: 4, feedForward: 128, dropout: 0.1 });
 */
export class TransformerEncoder {
  readonly layers: TransformerEncoderLayer[];

  constructor(store: ParameterStore, name: string, layers: number, options: TransformerOptions) {
    checkInteger(`TransformerEncoder "${name}": argument "layers"`, layers, 0);
    this.layers = Array.from({ length: layers }, (_, i) => new TransformerEncoderLayer(store, `${name}/layer${i}`, options));
  }

  /** Runs every layer on `[B, T, d]`, drawing their dropout seeds from `seeds` in layer order. */
  apply(x: tf.Tensor, training: boolean, mask?: tf.Tensor, seeds?: DropoutSeeds): tf.Tensor {
    return tf.tidy(() => this.layers.reduce((h, layer) => layer.apply(h, training, mask, seeds), x));
  }
}

/**
 * A stack of {@link TransformerDecoderLayer}s named `<name>/layer<i>`.
 *
 * @example
 * decoder.apply(embedded, memory, false, causalMask(T));
 */
export class TransformerDecoder {
  readonly layers: TransformerDecoderLayer[];

  constructor(store: ParameterStore, name: string, layers: number, options: TransformerOptions) {
    checkInteger(`TransformerDecoder "${name}": argument "layers"`, layers, 0);
    this.layers = Array.from({ length: layers }, (_, i) => new TransformerDecoderLayer(store, `${name}/layer${i}`, options));
  }

  /**
   * Runs every layer on targets `[B, T, d]` against `memory` `[B, S, d]`, drawing their dropout
   * seeds from `seeds` in layer order.
   */
  apply(x: tf.Tensor, memory: tf.Tensor, training: boolean, mask?: tf.Tensor, seeds?: DropoutSeeds): tf.Tensor {
    return tf.tidy(() => this.layers.reduce((h, layer) => layer.apply(h, memory, training, mask, seeds), x));
  }
}
