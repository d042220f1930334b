import type { ConfusionMatrix } from './confusion.js';
import { fail } from './errors.js';
import { Accumulator } from './internal/accumulator.js';
import type { MotifMap, TrueMotif } from './motif-map.js';

/**
 * Totals behind the motif metrics.
 *
 * @example
 * ```ts
 * const { trueMotifs, covered, falsePositives } = metrics.counts;
 * ```
 */
export interface MotifCounts {
  readonly items: number;
  /** True motifs (footprints) seen. */
  readonly trueMotifs: number;
  /** Footprints that caught at least one activation. */
  readonly covered: number;
  /** Activations outside every footprint. */
  readonly falsePositives: number;
  /** All nonzero activations, including non-maximal ones inside footprints. */
  readonly activations: number;
}

/**
 * Motif metrics of a dataset (spec 7.2), as fractions in [0, 1]; `null` where the denominator
 * is 0 (spec 12.6), never 0.
 *
 * @example
 * ```ts
 * const m: MotifMetrics = evaluateMotifs(items);
 * console.log(`FNE ${(100 * (m.fne ?? NaN)).toFixed(2)}%`);
 * ```
 */
export interface MotifMetrics {
  /** False negative error: uncovered footprints / true motifs. */
  readonly fne: number | null;
  /** False positive error as the reference computes it: false positives / (false positives + covered footprints). */
  readonly fpe: number | null;
  /** False positive error with the paper's denominator: false positives / all nonzero activations. */
  readonly fpePaper: number | null;
  /** Confusion error under the best one-to-one channel↔symbol assignment (DigitCircle style; the paper's min over permutations). */
  readonly ce: number | null;
  /** Confusion error when each channel maps to its most common true symbol, many-to-one (LaTeX/audio style). */
  readonly ceMajority: number | null;
  /** Nonzero activations / (positions × channels), over all items. */
  readonly density: number | null;
  readonly counts: MotifCounts;
  readonly confusion: ConfusionMatrix;
  readonly channelNames: readonly string[];
  /** Per channel, the true symbol the one-to-one assignment of `ce` matched it with (null if none). */
  readonly assignment: readonly (string | null)[];
  /** Per channel, its most common true symbol among covered footprints (null if it covered none). */
  readonly majority: readonly (string | null)[];
}

/**
 * Options of {@link MotifEvaluator} and {@link evaluateMotifs}.
 *
 * @example
 * ```ts
 * const options: EvaluateOptions = { channelNames: channelNames(32, 'numbered') };
 * ```
 */
export interface EvaluateOptions {
  /** One distinct name per channel for the confusion matrix. Default {@link channelNames}`(C)`. */
  readonly channelNames?: readonly string[];
}

/**
 * Accumulates motif metrics over a stream of items without keeping them, e.g. 10,000 model
 * outputs produced batch by batch. Every item must have the same channel count; shapes may
 * differ. An item that fails validation throws and is not counted.
 *
 * @example
 * ```ts
 * const evaluator = new MotifEvaluator();
 * for (const { map, motifs } of items) evaluator.add(map, motifs);
 * const { fne, fpe, ce } = evaluator.result();
 * ```
 */
export class MotifEvaluator {
  private readonly sums: Accumulator;

  constructor(options: EvaluateOptions = {}) {
    this.sums = new Accumulator(options.channelNames, 'MotifEvaluator');
  }

  /**
   * Categorises one item (see {@link categorize}) and adds it to the totals.
   *
   * @throws {@link MotifInputError} naming the first invalid value.
   */
  add(map: MotifMap, motifs: readonly TrueMotif[]): void {
    this.sums.add(map, motifs, 'map', 'motifs', `MotifEvaluator.add (item ${this.sums.itemCount})`);
  }

  /** Number of items added so far. */
  get items(): number {
    return this.sums.itemCount;
  }

  /** The metrics of the items added so far; may be called any number of times. */
  result(): MotifMetrics {
    return this.sums.result();
  }
}

/**
 * Motif metrics of a whole dataset in one call; see {@link MotifEvaluator} for streaming.
 *
 * @param items - each item's motif map and true motifs.
 * @throws {@link MotifInputError} naming the item and the first invalid value.
 * @example
 * ```ts
 * const metrics = evaluateMotifs([{ map, motifs }]);
 * metrics.fne; // e.g. 0.25
 * ```
 */
export function evaluateMotifs(
  items: Iterable<{ readonly map: MotifMap; readonly motifs: readonly TrueMotif[] }>,
  options: EvaluateOptions = {},
): MotifMetrics {
  const where = 'evaluateMotifs';
  if (items === null || typeof items !== 'object' || !(Symbol.iterator in items)) fail('items', 'an iterable of { map, motifs }', items, where);
  const sums = new Accumulator(options.channelNames, where);
  let i = 0;
  for (const item of items) {
    if (typeof item !== 'object' || item === null) fail(`items[${i}]`, 'an object { map, motifs }', item, where);
    sums.add(item.map, item.motifs, `items[${i}].map`, `items[${i}].motifs`, where);
    i++;
  }
  return sums.result();
}
