/**
 * What the Figure-2-style pictures share (renderSample for images, renderSpectrogram for
 * spectrograms): colours, the titled frame around the picture, and the tagged footprint box.
 */
import { RgbImage, textSize, type Rgb } from '@sparling/raster';

export const WHITE = '#ffffff';
export const INK = '#1f2937';
export const FRAME = '#9ca3af';
export const DOT = '#dc2626';
export const TAG_SCALE = 2;
const MARGIN = 16;
const TITLE_SCALE = 2;

/**
 * matplotlib's "tab10" palette with its grey, olive and cyan swapped for darker teal, ochre and
 * indigo, which stay visible on noise; digit d gets colour d, other symbols one by hash.
 */
const PALETTE: readonly Rgb[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [13, 148, 136],
  [161, 98, 7],
  [79, 70, 229],
];

/** A channel's name on a picture: A, B, C, … for numbers (#26 on), strings as they are. */
export function channelName(channel: number | string): string {
  if (typeof channel === 'string') return channel;
  return channel < 26 ? String.fromCharCode(65 + channel) : `#${channel}`;
}

/** A stable colour per symbol: digits and other one-character symbols by code, the rest by hash. */
export function symbolColor(symbol: string): Rgb {
  let h = 0;
  for (const ch of symbol) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const digit = /^[0-9]$/.test(symbol) ? Number(symbol) : h;
  return PALETTE[digit % PALETTE.length]!;
}

/**
 * A white canvas with `title` centred at the top and room for a `width × height` picture under
 * it (and for footprint tags above the picture, and `below` more pixels under it); `left` and
 * `top` are where the picture goes.
 */
export function titledFrame(title: string, width: number, height: number, footprints: boolean, below = 0): { image: RgbImage; left: number; top: number } {
  const heading = textSize(title, TITLE_SCALE);
  const top = MARGIN + heading.height + 10 + (footprints ? textSize('0', TAG_SCALE).height + 4 : 0);
  const pictureWidth = Math.max(width, heading.width);
  const image = new RgbImage(pictureWidth + 2 * MARGIN, top + height + below + MARGIN, WHITE);
  image.text(title, MARGIN + pictureWidth / 2, MARGIN, INK, { scale: TITLE_SCALE, anchor: 'middle' });
  return { image, left: MARGIN + Math.floor((pictureWidth - width) / 2), top };
}

/**
 * A true motif's footprint: a box in its symbol's colour, `scale / 2` pixels thick, with the
 * symbol in white on a patch of that colour above the box's corner, so noise never hides it.
 */
export function taggedBox(image: RgbImage, x: number, y: number, width: number, height: number, symbol: string, scale: number): void {
  const color = symbolColor(symbol);
  image.strokeRect(x, y, width, height, color, Math.max(1, Math.round(scale / 2)));
  const tag = textSize(symbol, TAG_SCALE);
  image.fillRect(x, y - tag.height - 4, tag.width + 4, tag.height + 4, color);
  image.text(symbol, x + 2, y - tag.height - 2, WHITE, { scale: TAG_SCALE });
}
