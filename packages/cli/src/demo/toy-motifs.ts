import { RandomState } from '@sparling/random';

/**
 * A miniature motif task for the layer demo: small glyphs of a few kinds stamped on a noisy
 * canvas; the label is how many of each kind appear. Like DigitCircle, solving it end to end
 * only needs to know where each glyph is and which kind it is, so a sparse motif layer has a
 * ground truth to be checked against.
 */

/** 3x3 glyphs; '#' is ink. Chosen to differ in every row so no glyph contains another. */
export const TOY_GLYPHS: readonly (readonly string[])[] = [
  ['.#.', '###', '.#.'],
  ['#.#', '.#.', '#.#'],
  ['###', '#.#', '###'],
];

export interface ToyOptions {
  readonly size: number;
  readonly maxPerKind: number;
  readonly noise: number;
}

export const DEFAULT_TOY: ToyOptions = { size: 20, maxPerKind: 2, noise: 0.04 };

export interface ToyMotif {
  readonly kind: number;
  /** Centre (row, col) of the glyph. */
  readonly position: readonly [number, number];
  /** The glyph's 3x3 box with a 1-pixel margin, end exclusive, clipped to the canvas. */
  readonly footprint: { readonly start: readonly [number, number]; readonly end: readonly [number, number] };
}

export interface ToySample {
  /** size x size, row-major, 1 = ink. */
  readonly image: Float32Array;
  /** Count of each glyph kind. */
  readonly counts: readonly number[];
  readonly motifs: readonly ToyMotif[];
}

/**
 * Draws one sample. Glyph centres keep a 5-pixel distance (Chebyshev) so footprints never
 * overlap, and stay one pixel inside the canvas so every glyph is whole.
 */
export function toySample(rng: RandomState, options: ToyOptions = DEFAULT_TOY): ToySample {
  const random = () => rng.rand();
  const { size, maxPerKind, noise } = options;
  const image = new Float32Array(size * size);
  for (let i = 0; i < image.length; i++) image[i] = random() < noise ? 1 : 0;
  const counts = TOY_GLYPHS.map(() => Math.floor(random() * (maxPerKind + 1)));
  const motifs: ToyMotif[] = [];
  for (let kind = 0; kind < counts.length; kind++) {
    for (let n = 0; n < (counts[kind] ?? 0); n++) {
      let placed = false;
      for (let attempt = 0; attempt < 200 && !placed; attempt++) {
        const r = 1 + Math.floor(random() * (size - 2));
        const c = 1 + Math.floor(random() * (size - 2));
        if (motifs.some((m) => Math.max(Math.abs(m.position[0] - r), Math.abs(m.position[1] - c)) < 5)) continue;
        stamp(image, size, kind, r, c);
        motifs.push({
          kind,
          position: [r, c],
          footprint: { start: [Math.max(0, r - 2), Math.max(0, c - 2)], end: [Math.min(size, r + 3), Math.min(size, c + 3)] },
        });
        placed = true;
      }
      if (!placed) counts[kind] = n;
    }
  }
  return { image, counts, motifs };
}

function stamp(image: Float32Array, size: number, kind: number, r: number, c: number): void {
  const glyph = TOY_GLYPHS[kind];
  if (!glyph) throw new RangeError(`toySample: glyph kind ${kind} does not exist`);
  // The margin is cleared too, so noise never touches a glyph and its shape stays exact.
  for (let dr = -2; dr <= 2; dr++) {
    for (let dc = -2; dc <= 2; dc++) {
      const rr = r + dr;
      const cc = c + dc;
      if (rr < 0 || cc < 0 || rr >= size || cc >= size) continue;
      const row = Math.abs(dr) <= 1 && Math.abs(dc) <= 1 ? glyph[dr + 1] : undefined;
      image[rr * size + cc] = row?.[dc + 1] === '#' ? 1 : 0;
    }
  }
}

/** Mean number of motifs per sample over `n` draws, for the theoretical minimum density. */
export function meanMotifs(seed: number, n: number, options: ToyOptions = DEFAULT_TOY): number {
  const rng = new RandomState(seed);
  let total = 0;
  for (let i = 0; i < n; i++) total += toySample(rng, options).motifs.length;
  return total / n;
}
