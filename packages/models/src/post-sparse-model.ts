/**
 * The post-sparse model ĥ (spec 6.3): collapse the motifs (1×1 conv, max pool), encode
 * (row LSTM for images, positional encoding, Transformer encoder), and decode tokens with
 * a causal Transformer decoder.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import { causalMask, keyPaddingMask } from './attention.js';
import type { PostSparseConfig } from './contract.js';
import { Convolution } from './convolution.js';
import { dropout, type DropoutSeeds } from './dropout.js';
import { checkInteger, invalid } from './internal/errors.js';
import { Linear } from './linear.js';
import { BidirectionalLstm } from './lstm.js';
import { normal, type ParameterStore } from './parameter-store.js';
import { centroidDirections, gridCoordinates, gridEncoding, polarCoordinates, sinusoidalEncoding } from './positional-encoding.js';
import { TransformerDecoder, TransformerEncoder } from './transformer.js';

/** Validates a {@link PostSparseConfig} for inputs of `dims` spatial axes; `where` prefixes the messages. */
export function checkPostSparseConfig(config: PostSparseConfig, dims: 1 | 2, where = 'post'): void {
  checkInteger(`${where}.width`, config.width, 1);
  checkInteger(`${where}.pool`, config.pool, 1);
  checkInteger(`${where}.heads`, config.heads, 1);
  if (config.width % config.heads !== 0) invalid(`${where}.heads`, config.heads, `a divisor of ${where}.width = ${config.width}`);
  checkInteger(`${where}.encoderLayers`, config.encoderLayers, 0);
  checkInteger(`${where}.decoderLayers`, config.decoderLayers, 1);
  checkInteger(`${where}.feedForward`, config.feedForward, 1);
  if (typeof config.dropout !== 'number' || !(config.dropout >= 0 && config.dropout < 1)) {
    invalid(`${where}.dropout`, config.dropout, 'a number in [0, 1)');
  }
  if (typeof config.rowLstm !== 'boolean') invalid(`${where}.rowLstm`, config.rowLstm, 'a boolean');
  if (config.rowLstm && dims !== 2) invalid(`${where}.rowLstm`, true, 'false for 1-D inputs (the sequence model has no row LSTM)');
  if (config.rowLstm && config.width % 2 !== 0) invalid(`${where}.width`, config.width, 'an even width (the row LSTM has width/2 per direction)');
  const encoding = config.positionalEncoding ?? 'row';
  if (encoding !== 'row' && encoding !== '2d') invalid(`${where}.positionalEncoding`, config.positionalEncoding, "'row' or '2d'");
  if (encoding === '2d' && dims !== 2) invalid(`${where}.positionalEncoding`, '2d', "'row' for 1-D inputs");
  if (encoding === '2d' && config.width % 2 !== 0) invalid(`${where}.width`, config.width, "an even width (the '2d' encoding has width/2 channels per axis)");
  const coordinates = config.coordinates ?? false;
  if (typeof coordinates !== 'boolean' && coordinates !== 'polar' && coordinates !== 'centroid') {
    invalid(`${where}.coordinates`, config.coordinates, "a boolean, 'polar' or 'centroid'");
  }
  if (coordinates !== false && dims !== 2) invalid(`${where}.coordinates`, coordinates, 'false for 1-D inputs');
}

/**
 * ĥ on 4-D motif maps `[B, H, W, C]` (sequences as `[B, 1, L, C]`). Parameters:
 * `h/collapse/{kernel,bias}`, `h/row_lstm/...` (images with `rowLstm`), `h/coordinates/{kernel,bias}`
 * (images with `coordinates`), `h/encoder/layer<i>/...`,
 * `h/decoder/embedding/embeddings`, `h/decoder/layer<i>/...`, `h/output/{kernel,bias}`.
 *
 * @example
 * const h = new PostSparseModel(store, config.post, 2, 10, 12);
 * const memory = h.encode(motifs, false); // [B, H/p · W/p, width]
 * const logits = h.decode(tf.tensor2d([[0, 5]], [1, 2], 'int32'), memory, false); // [1, 2, 12]
 */
export class PostSparseModel {
  private readonly collapse: Convolution;
  private readonly rowLstm: BidirectionalLstm | null;
  private readonly coordinates: Linear | null;
  private readonly encoder: TransformerEncoder;
  private readonly embedding: tf.Variable;
  private readonly decoder: TransformerDecoder;
  private readonly output: Linear;

  constructor(
    store: ParameterStore,
    readonly config: PostSparseConfig,
    readonly dims: 1 | 2,
    motifChannels: number,
    readonly vocabularySize: number,
  ) {
    checkPostSparseConfig(config, dims);
    const { width } = config;
    const sizes = { dim: width, heads: config.heads, feedForward: config.feedForward, dropout: config.dropout };
    this.collapse = new Convolution(store, 'h/collapse', [1, 1], motifChannels, width);
    this.rowLstm = config.rowLstm ? new BidirectionalLstm(store, 'h/row_lstm', width, width / 2) : null;
    const coordinateFeatures = config.coordinates === 'polar' || config.coordinates === 'centroid' ? 4 : config.coordinates === true ? 2 : 0;
    this.coordinates = coordinateFeatures > 0 ? new Linear(store, 'h/coordinates', coordinateFeatures, width) : null;
    this.encoder = new TransformerEncoder(store, 'h/encoder', config.encoderLayers, sizes);
    this.embedding = store.variable('h/decoder/embedding/embeddings', [vocabularySize, width], normal(1));
    this.decoder = new TransformerDecoder(store, 'h/decoder', config.decoderLayers, sizes);
    this.output = new Linear(store, 'h/output', width, vocabularySize);
  }

  /**
   * Encodes motif maps `[B, H, W, C]` into the memory `[B, S, width]`: S = ⌊H/p⌋·⌊W/p⌋ tokens in
   * row-major order for images, ⌊L/p⌋ for sequences. In training, dropout masks are seeded from
   * `seeds` (see {@link dropout}).
   */
  encode(motifs: tf.Tensor4D, training: boolean, seeds?: DropoutSeeds): tf.Tensor3D {
    return tf.tidy(() => {
      const { width, pool, dropout: rate } = this.config;
      const collapsed = this.collapse.apply(motifs);
      const window: [number, number] = this.dims === 2 ? [pool, pool] : [1, pool];
      const pooled = tf.maxPool(collapsed, window, window, 'valid');
      const [batch, rows, columns] = pooled.shape;
      if (rows < 1 || columns < 1) {
        invalid('PostSparseModel.encode: motif map shape', motifs.shape, `spatial sizes of at least post.pool = ${pool}`);
      }
      let encoded: tf.Tensor;
      if (this.dims === 2) {
        let features: tf.Tensor = pooled;
        if (this.rowLstm !== null) {
          const sequences = tf.reshape(pooled, [batch * rows, columns, width]) as tf.Tensor3D;
          features = tf.reshape(this.rowLstm.apply(sequences), [batch, rows, columns, width]);
        }
        let position: tf.Tensor = (this.config.positionalEncoding ?? 'row') === '2d'
          ? tf.reshape(gridEncoding(rows, columns, width), [1, rows, columns, width])
          : tf.reshape(sinusoidalEncoding(rows, width), [1, rows, 1, width]);
        if (this.coordinates !== null) {
          const [height, inputWidth] = [motifs.shape[1], motifs.shape[2]];
          if (this.config.coordinates === 'centroid') {
            if (tf.getBackend() === 'webgpu') {
              invalid('post.coordinates', 'centroid', "true or 'polar' on the webgpu backend: 'centroid' reads the motif map back synchronously, which webgpu cannot");
            }
            // Read back, so the directions are data for ĥ and no gradient flows into ĝ through them.
            const directions = tf.tensor4d(centroidDirections(motifs.dataSync() as Float32Array, motifs.shape, pool), [batch, rows, columns, 2]);
            const grid = tf.tile(tf.reshape(gridCoordinates(rows, columns, pool, height, inputWidth), [1, rows, columns, 2]), [batch, 1, 1, 1]);
            const features = tf.reshape(tf.concat([grid, directions], -1), [batch * rows * columns, 4]) as tf.Tensor2D;
            position = tf.add(position, tf.reshape(this.coordinates.apply(features), [batch, rows, columns, width]));
          } else {
            const grid = this.config.coordinates === 'polar' ? polarCoordinates : gridCoordinates;
            const projected = this.coordinates.apply(grid(rows, columns, pool, height, inputWidth));
            position = tf.add(position, tf.reshape(projected, [1, rows, columns, width]));
          }
        }
        encoded = tf.reshape(dropout(tf.add(features, position), rate, training, seeds), [batch, rows * columns, width]);
      } else {
        const sequence = tf.reshape(pooled, [batch, columns, width]);
        encoded = dropout(tf.add(sequence, sinusoidalEncoding(columns, width)), rate, training, seeds);
      }
      return this.encoder.apply(encoded, training, undefined, seeds) as tf.Tensor3D;
    });
  }

  /**
   * Decoder logits `[B, T, vocabulary]` for token ids `[B, T]` (int32) against `memory`, with a
   * causal mask and, if given, a key padding mask (`padding[b][t]` true = padding). In training,
   * dropout masks are seeded from `seeds` (see {@link dropout}).
   */
  decode(tokens: tf.Tensor2D, memory: tf.Tensor3D, training: boolean, padding?: readonly (readonly boolean[])[], seeds?: DropoutSeeds): tf.Tensor3D {
    return tf.tidy(() => {
      const { width, dropout: rate } = this.config;
      const [batch, length] = tokens.shape;
      const oneHot = tf.reshape(tf.oneHot(tf.cast(tokens, 'int32'), this.vocabularySize), [batch * length, this.vocabularySize]) as tf.Tensor2D;
      const embedded = tf.reshape(tf.matMul(oneHot, this.embedding as tf.Tensor2D), [batch, length, width]);
      const x = dropout(tf.add(embedded, sinusoidalEncoding(length, width)), rate, training, seeds);
      const mask = padding === undefined ? causalMask(length) : tf.add(causalMask(length), keyPaddingMask(padding));
      return this.output.apply(this.decoder.apply(x, memory, training, mask, seeds)) as tf.Tensor3D;
    });
  }
}
