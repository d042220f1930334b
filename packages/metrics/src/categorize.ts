import { Categorizer } from './internal/categorizer.js';
import type { Activation, MotifMap, TrueMotif } from './motif-map.js';

/**
 * What one true motif's footprint caught: the channel of the largest activation in it (ties go
 * to the lowest channel), or `null` when it caught none (a false negative).
 *
 * @example
 * ```ts
 * const hit: FootprintResult = { symbol: '1', channel: 0, value: 0.9 };
 * ```
 */
export interface FootprintResult {
  readonly symbol: string;
  readonly channel: number | null;
  /** Value of that largest activation; 0 when `channel` is null. */
  readonly value: number;
}

/**
 * The categorisation of one item (spec 7.2): one result per true motif, in the order given,
 * and every activation no footprint claimed. Non-maximal activations inside a footprint appear
 * nowhere (they only count in `activations`).
 *
 * @example
 * ```ts
 * const item = categorize(map, motifs);
 * const missed = item.footprints.filter((f) => f.channel === null).length;
 * ```
 */
export interface CategorizedItem {
  readonly footprints: readonly FootprintResult[];
  /** Activations outside every footprint, channels-last row-major order. */
  readonly falsePositives: readonly Activation[];
  /** Number of nonzero activations in the map (the paper's |P(m̂)|). */
  readonly activations: number;
}

/**
 * Categorises one item's motif map against its true motifs, exactly as the reference's
 * `categorize_relationships`: true motifs are visited in order; each takes the per-channel
 * maximum inside its footprint (clipped to the map), predicts the channel with the largest one
 * (ties → lowest channel, all zero → none), then clears its footprint in every channel, so where
 * footprints overlap the earlier motif claims the activations. Every remaining nonzero
 * activation is a false positive.
 *
 * @param map - the item's motif map, sparse or dense.
 * @param motifs - the item's true motifs in generation order.
 * @throws {@link MotifInputError} naming the first invalid value.
 * @example
 * ```ts
 * const item = categorize(
 *   { kind: 'sparse', shape: [8, 8], channels: 3, activations: [{ channel: 1, position: [1, 6], value: 0.7 }] },
 *   [{ symbol: '2', footprint: { start: [0, 5], end: [3, 8] } }],
 * );
 * item.footprints[0]; // { symbol: '2', channel: 1, value: 0.7 }
 * ```
 */
export function categorize(map: MotifMap, motifs: readonly TrueMotif[]): CategorizedItem {
  const c = new Categorizer();
  c.run(map, motifs, 'map', 'motifs', 'categorize');
  const footprints = motifs.map((m, k): FootprintResult => {
    const channel = c.motifChannel[k]!;
    return { symbol: m.symbol, channel: channel < 0 ? null : channel, value: c.motifValue[k]! };
  });
  const { list } = c;
  const falsePositives: Activation[] = [];
  for (let i = 0; i < list.count; i++) {
    if (c.unclaimed[i] === 1) {
      const position = Array.from(list.coords.subarray(i * list.rank, (i + 1) * list.rank));
      falsePositives.push({ channel: list.channel[i]!, position, value: list.value[i]! });
    }
  }
  return { footprints, falsePositives, activations: list.count };
}
