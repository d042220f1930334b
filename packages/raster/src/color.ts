import { fail } from '@sparling/errors';

/**
 * A colour: `'#rrggbb'` (or `'#rgb'`) text, or `[r, g, b]` with channels in 0..255.
 *
 * @example
 * ```ts
 * const ink: Color = '#1f2937';
 * const red: Color = [220, 38, 38];
 * ```
 */
export type Color = string | readonly [number, number, number];

/** An 8-bit RGB triple. */
export type Rgb = [number, number, number];

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * Reads a {@link Color} as an `[r, g, b]` triple of integers in 0..255.
 *
 * @example
 * ```ts
 * parseColor('#08306b'); // [8, 48, 107]
 * parseColor('#fff'); // [255, 255, 255]
 * ```
 */
export function parseColor(color: Color, where = 'parseColor'): Rgb {
  if (typeof color === 'string') {
    if (!HEX.test(color)) fail(where, 'color', "'#rrggbb', '#rgb' or [r, g, b]", color);
    const full = color.length === 4 ? `#${[...color.slice(1)].map((c) => c + c).join('')}` : color;
    return [parseInt(full.slice(1, 3), 16), parseInt(full.slice(3, 5), 16), parseInt(full.slice(5, 7), 16)];
  }
  if (!Array.isArray(color) || color.length !== 3 || !color.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) {
    fail(where, 'color', "'#rrggbb', '#rgb' or [r, g, b] with integers in 0..255", color);
  }
  return [color[0], color[1], color[2]];
}

/**
 * The colour a fraction `t` of the way from `from` to `to` (clamped to [0, 1]), rounded.
 *
 * @example
 * ```ts
 * mixColors('#ffffff', '#000000', 0.5); // [128, 128, 128]
 * ```
 */
export function mixColors(from: Color, to: Color, t: number): Rgb {
  const a = parseColor(from, 'mixColors');
  const b = parseColor(to, 'mixColors');
  const f = Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t));
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}
