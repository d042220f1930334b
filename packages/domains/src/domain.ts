import type { RandomState } from '@sparling/random';

/**
 * The token a decoder starts from; index 0 of every {@link Domain.vocabulary}.
 *
 * @example
 * ```ts
 * createDomain('digit-circle').vocabulary[0] === START_TOKEN; // true
 * ```
 */
export const START_TOKEN = '<s>';

/**
 * The token that ends a decoded sequence; index 1 of every {@link Domain.vocabulary}.
 *
 * @example
 * ```ts
 * createDomain('digit-circle').vocabulary[1] === END_TOKEN; // true
 * ```
 */
export const END_TOKEN = '</s>';

/**
 * The smallest box covering a motif: one `[start, end)` range per spatial axis (row then
 * column for images, frames for audio), end exclusive. The same shape `@sparling/metrics` reads.
 *
 * @example
 * ```ts
 * const footprint: Footprint = { start: [38, 14], end: [50, 22] }; // rows 38–49, cols 14–21
 * ```
 */
export interface Footprint {
  readonly start: readonly number[];
  readonly end: readonly number[];
}

/**
 * One true motif of a sample: its symbol (a ground-truth channel of {@link Domain.motifSymbols}),
 * the position where the ground-truth map has its 1, and its footprint.
 *
 * @example
 * ```ts
 * const four: Motif = { symbol: '4', position: [44, 18], footprint: { start: [38, 14], end: [50, 22] } };
 * ```
 */
export interface Motif {
  readonly symbol: string;
  readonly position: readonly number[];
  readonly footprint: Footprint;
}

/**
 * One generated item.
 *
 * @example
 * ```ts
 * const sample: Sample = createDomain('digit-circle').sampleRaw(6);
 * sample.label.join(' '); // '0 7 2 6 3 4'
 * ```
 */
export interface Sample {
  /** The input, channels-last (`shape`), e.g. 100 × 100 × 1 values in {0, 1} for DigitCircle. */
  readonly input: Float32Array;
  /** Equal to the domain's {@link Domain.inputShape}. */
  readonly shape: readonly number[];
  /** The output tokens, without {@link START_TOKEN} and {@link END_TOKEN}. */
  readonly label: readonly string[];
  /** The true motifs in the order the generator placed them (not the label's order). */
  readonly motifs: readonly Motif[];
}

/**
 * A data domain of the paper: what its inputs and outputs look like, and how to draw a sample
 * deterministically. `name` and `options` are plain JSON that {@link createDomain} turns back
 * into an equal domain, which is how worker threads rebuild it.
 *
 * @example
 * ```ts
 * const domain: Domain = createDomain('digit-circle');
 * domain.inputShape; // [100, 100, 1]
 * const item = domain.sample(1, 0); // training seed 1, item 0
 * item.label; // ['1', '7', '4', '2', '9']
 * ```
 */
export interface Domain {
  /** Registry name, e.g. `'digit-circle'`. */
  readonly name: string;
  /** The complete options (defaults filled in), as plain JSON. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Input shape, channels-last: `[height, width, 1]` for images, `[frames, bins]` for audio. */
  readonly inputShape: readonly number[];
  /** Decoder vocabulary: {@link START_TOKEN}, {@link END_TOKEN}, then the output tokens. */
  readonly vocabulary: readonly string[];
  /**
   * The value of a blank input pixel: 0 for DigitCircle (1 = ink), 1 for LaTeX-OCR (the
   * reference's polarity, 0 = ink). Omitted means 0. Pictures draw the other value as ink.
   */
  readonly background?: 0 | 1;
  /** One symbol per ground-truth motif channel, e.g. the ten digits. */
  readonly motifSymbols: readonly string[];
  /** The longest label a sample can have, in tokens (without start and end). */
  readonly maxLabelLength: number;
  /**
   * Theoretical minimum density δ_min: mean motifs per input / (spatial positions × motif
   * channels), the density a perfect motif layer would have (spec 2.4).
   */
  readonly minimumDensity: number;
  /**
   * Item `index` of the dataset with seed `seed` (any integer; the paper trains on 1–9,
   * validates on −1 and tests on −2): drawn from `RandomState(computeSeed(seed, index))`.
   */
  sample(seed: number, index: number): Sample;
  /** The item drawn from `RandomState(rngSeed)` directly, as the reference's motif evaluation does. */
  sampleRaw(rngSeed: number): Sample;
  /** The item drawn from `rng`, advancing it (for sequential draws from one generator). */
  sampleFrom(rng: RandomState): Sample;
}
