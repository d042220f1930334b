import { createHash } from 'node:crypto';
import { computeSeed, RandomState } from '@sparling/random';
import { fail } from '@sparling/errors';
import type { Domain, Motif, Sample } from './domain.js';
import { LATEX_MOTIF_SYMBOLS, LATEX_VOCABULARY, MAX_EXPRESSION_TOKENS, sampleLatexExpression, type LatexToken } from './latex-grammar.js';
import { latexGlyphBoxes, renderLatex, type GlyphBox, type LatexCanvas } from './latex-render.js';
import { itemRandomState, rawRandomState } from './internal/item-random-state.js';
import { withDefaults } from './internal/options.js';

/**
 * Options of {@link LatexOcr}; the defaults are the paper's (spec 4.2–4.4).
 *
 * @example
 * ```ts
 * const clean: LatexOcrOptions = { noise: 0 }; // binarised, without the 25% noise
 * ```
 */
export interface LatexOcrOptions {
  /** Canvas height in pixels; default 120. */
  readonly height?: number;
  /** Canvas width in pixels; default 360. */
  readonly width?: number;
  /** Resolution of 10 pt type, as pdflatex + poppler would render it; default 200 (27.674 pixels per em). */
  readonly dpi?: number;
  /** Fraction of pixels set to ink at random after binarising; default 0.25. */
  readonly noise?: number;
  /** A pixel is background when its grey level (1 = white) is above this; default 0.75. */
  readonly threshold?: number;
  /** Pixels added on each side of a glyph's ink box to make its footprint; default 2. */
  readonly padding?: number;
}

/** {@link LatexOcrOptions} with every default filled in. */
export type ResolvedLatexOcrOptions = { readonly [K in keyof LatexOcrOptions]-?: number };

/** A LaTeX-OCR item: a {@link Sample} whose label holds token names, plus the LaTeX it renders. */
export interface LatexOcrSample extends Sample {
  /** The expression's LaTeX code: its tokens' codes concatenated, e.g. `'0_{7}'`. */
  readonly latex: string;
}

const DEFAULTS: ResolvedLatexOcrOptions = { height: 120, width: 360, dpi: 200, noise: 0.25, threshold: 0.75, padding: 2 };

/** Motif channels of the paper's LaTeX-OCR model (spec 4.4): more than the 20 symbols. */
export const LATEX_MOTIF_CHANNELS = 32;

/** The reference measured δ_min on test items 0..199 (spec 2.4). */
const MINIMUM_DENSITY_ITEMS = 200;

/** TeX points per inch. */
const POINTS_PER_INCH = 72.27;
/** The reference's documents are set in 10 pt type. */
const FONT_POINTS = 10;

function resolve(options: LatexOcrOptions): ResolvedLatexOcrOptions {
  const where = 'LatexOcr';
  const o = withDefaults<ResolvedLatexOcrOptions>(where, DEFAULTS, options);
  const integer = (key: keyof ResolvedLatexOcrOptions, min: number, max: number): void => {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(where, `options.${key}`, `an integer in [${min}, ${max}]`, v);
  };
  integer('height', 8, 4096);
  integer('width', 8, 4096);
  integer('padding', 0, 64);
  if (typeof o.dpi !== 'number' || !(o.dpi >= 20 && o.dpi <= 2000)) fail(where, 'options.dpi', 'a number in [20, 2000]', o.dpi);
  for (const key of ['noise', 'threshold'] as const) {
    const v = o[key];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(where, `options.${key}`, 'a number in [0, 1]', v);
  }
  return Object.freeze(o);
}

/**
 * The noise seed of item `index` of dataset `seed`: like {@link computeSeed} on the reference's
 * key `(seed, index, "noise")`, written as Python prints that tuple. The reference hashes it with
 * permacache's `stable_hash`, which cannot be ported (spec 4.3); only the distribution matters.
 */
function noiseSeed(seed: number, index: number): number {
  const digest = createHash('sha256').update(`(${seed}, ${index}, 'noise')`, 'ascii').digest();
  return digest.readUInt32BE(digest.length - 4);
}

/**
 * The paper's LaTeX-OCR domain: an expression drawn from the reference's grammar (bit for bit,
 * spec 4.1), laid out in display style by MathJax with its TeX fonts and rasterised with exact
 * area anti-aliasing (no TeX installation, native code, browser or network), centred on a
 * 120 × 360 canvas, binarised and with 25% of the pixels set to ink at random (spec 4.3). 1 is background, 0 ink, the reference's polarity. The output is
 * the expression's token names; each symbol's footprint is its glyph's ink box from MathJax's
 * own outlines, padded by 2 pixels (spec 4.4).
 *
 * @example
 * ```ts
 * const domain = new LatexOcr();
 * const item = domain.sample(1, 2);
 * item.latex; // '0_{7}'
 * item.label; // ['0', 'SUB(', '7', 'SUB)']
 * item.motifs.map((m) => m.symbol); // ['0', '7']
 * ```
 */
export class LatexOcr implements Domain {
  readonly name = 'latex-ocr';
  readonly background = 1;
  readonly options: ResolvedLatexOcrOptions;
  readonly inputShape: readonly number[];
  readonly vocabulary: readonly string[] = LATEX_VOCABULARY;
  readonly motifSymbols: readonly string[] = LATEX_MOTIF_SYMBOLS;
  readonly maxLabelLength = MAX_EXPRESSION_TOKENS;
  private readonly canvas: LatexCanvas;
  private density: number | undefined;

  constructor(options: LatexOcrOptions = {}) {
    this.options = resolve(options);
    const { height, width, dpi } = this.options;
    this.inputShape = Object.freeze([height, width, 1]);
    this.canvas = Object.freeze({ height, width, pixelsPerEm: (FONT_POINTS * dpi) / POINTS_PER_INCH });
  }

  /**
   * Mean drawn symbols per item over test items `sample(-2, 0..199)` (the reference's set),
   * divided by height × width positions × 32 motif channels: 6.973e-6 with the defaults, where
   * the mean is 9.64 as the reference's. Computed on first use from the layout alone (~1 s).
   */
  get minimumDensity(): number {
    if (this.density === undefined) {
      let symbols = 0;
      for (let i = 0; i < MINIMUM_DENSITY_ITEMS; i++) {
        symbols += latexGlyphBoxes(sampleLatexExpression(new RandomState(computeSeed(-2, i))), this.canvas).length;
      }
      const { height, width } = this.options;
      this.density = symbols / MINIMUM_DENSITY_ITEMS / (height * width * LATEX_MOTIF_CHANNELS);
    }
    return this.density;
  }

  sample(seed: number, index: number): LatexOcrSample {
    const tokens = sampleLatexExpression(itemRandomState('LatexOcr.sample', seed, index));
    return this.draw(tokens, new RandomState(noiseSeed(seed, index)));
  }

  sampleRaw(rngSeed: number): LatexOcrSample {
    return this.sampleFrom(rawRandomState('LatexOcr.sampleRaw', rngSeed));
  }

  /** Draws the expression from `rng`, then the noise from the same generator. */
  sampleFrom(rng: RandomState): LatexOcrSample {
    return this.draw(sampleLatexExpression(rng), rng);
  }

  private draw(tokens: readonly LatexToken[], noiseRng: RandomState): LatexOcrSample {
    const { height, width, noise, threshold, padding } = this.options;
    const rendering = renderLatex(tokens, this.canvas);
    const uniform = noiseRng.fillRandom(new Float64Array(height * width));
    const input = new Float32Array(height * width);
    for (let i = 0; i < input.length; i++) input[i] = rendering.grey[i]! > threshold && !(uniform[i]! < noise) ? 1 : 0;
    return {
      input,
      shape: this.inputShape,
      label: tokens.map((t) => t.name),
      motifs: rendering.boxes.map((box) => footprintOf(box, padding, height, width)),
      latex: tokens.map((t) => t.code).join(''),
    };
  }
}

/** Spec 4.4: rows [top − pad, bottom + pad + 1), starts clamped at 0, ends at the canvas. */
function footprintOf(box: GlyphBox, padding: number, height: number, width: number): Motif {
  return {
    symbol: box.symbol,
    position: [Math.floor((box.top + box.bottom) / 2), Math.floor((box.left + box.right) / 2)],
    footprint: {
      start: [Math.max(0, box.top - padding), Math.max(0, box.left - padding)],
      end: [Math.min(height, box.bottom + padding + 1), Math.min(width, box.right + padding + 1)],
    },
  };
}
