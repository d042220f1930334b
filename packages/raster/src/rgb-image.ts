import { parseColor, type Color, type Rgb } from './color.js';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from './internal/bitmap-font.js';
import { fail } from '@sparling/errors';

/**
 * Options of {@link RgbImage.text}.
 *
 * @example
 * ```ts
 * const options: TextOptions = { scale: 2, anchor: 'middle', baseline: 'middle' };
 * ```
 */
export interface TextOptions {
  /** Screen pixels per font pixel (an integer ≥ 1); default 1, i.e. 5×7 glyphs on a 6-pixel pitch. */
  readonly scale?: number;
  /** Which end of the text `x` is: default `'start'` (left). */
  readonly anchor?: 'start' | 'middle' | 'end';
  /** Which part of the text `y` is: default `'top'`. */
  readonly baseline?: 'top' | 'middle' | 'bottom';
}

/**
 * Options of {@link RgbImage.drawMap}.
 *
 * @example
 * ```ts
 * const options: DrawMapOptions = { x: 10, y: 30, scale: 4, low: '#ffffff', high: '#111827' };
 * ```
 */
export interface DrawMapOptions {
  /** Left edge in the image; default 0. */
  readonly x?: number;
  /** Top edge in the image; default 0. */
  readonly y?: number;
  /** Image pixels per map cell (an integer ≥ 1), nearest-neighbour; default 1. */
  readonly scale?: number;
  /** Value shown as `low`; default 0. */
  readonly min?: number;
  /** Value shown as `high`; default 1. */
  readonly max?: number;
  /** Colour of `min` and below; default white. */
  readonly low?: Color;
  /** Colour of `max` and above; default black. */
  readonly high?: Color;
}

/**
 * Width and height in pixels of `text` drawn by {@link RgbImage.text} at `scale`: 6·scale per
 * character minus the trailing gap, 7·scale high.
 *
 * @example
 * ```ts
 * textSize('0 7 2', 2); // { width: 58, height: 14 }
 * ```
 */
export function textSize(text: string, scale = 1): { width: number; height: number } {
  const n = [...text].length;
  return { width: n === 0 ? 0 : (n * (GLYPH_WIDTH + 1) - 1) * scale, height: GLYPH_HEIGHT * scale };
}

function checkScale(scale: number, where: string, what: string): void {
  if (!Number.isInteger(scale) || scale < 1) fail(where, what, 'an integer >= 1', scale);
}

function checkFinite(values: readonly number[], names: readonly string[], where: string): void {
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(where, names[i]!, 'a finite number', v);
  });
}

/**
 * An 8-bit RGB picture (row-major, 3 bytes per pixel, `x` = column, `y` = row) with the few
 * drawing operations the project's figures need. Drawing outside the image is clipped.
 * Coordinates are pixels; rectangles and dots accept fractions and round them.
 *
 * @example
 * ```ts
 * const image = new RgbImage(120, 60);
 * image.strokeRect(10, 10, 40, 30, '#dc2626', 2);
 * image.dot(80, 25, 6, '#2563eb');
 * image.text('A', 80, 25, '#ffffff', { anchor: 'middle', baseline: 'middle' });
 * await writePng('picture.png', image);
 * ```
 */
export class RgbImage {
  /** Pixels per row. */
  readonly width: number;
  /** Rows. */
  readonly height: number;
  /** `width · height · 3` bytes: R, G, B of each pixel, row by row. */
  readonly data: Uint8Array;

  /** A `width × height` image filled with `background` (default white). */
  constructor(width: number, height: number, background: Color = '#ffffff') {
    if (!Number.isInteger(width) || width < 1) fail('RgbImage', 'width', 'an integer >= 1', width);
    if (!Number.isInteger(height) || height < 1) fail('RgbImage', 'height', 'an integer >= 1', height);
    this.width = width;
    this.height = height;
    this.data = new Uint8Array(width * height * 3);
    this.fill(background);
  }

  /** The colour of pixel (x, y) as `[r, g, b]`. */
  getPixel(x: number, y: number): Rgb {
    if (!Number.isInteger(x) || x < 0 || x >= this.width) fail('RgbImage.getPixel', 'x', `an integer in [0, ${this.width})`, x);
    if (!Number.isInteger(y) || y < 0 || y >= this.height) fail('RgbImage.getPixel', 'y', `an integer in [0, ${this.height})`, y);
    const o = (y * this.width + x) * 3;
    return [this.data[o]!, this.data[o + 1]!, this.data[o + 2]!];
  }

  /** Paints every pixel with `color`. */
  fill(color: Color): this {
    const [r, g, b] = parseColor(color, 'RgbImage.fill');
    for (let o = 0; o < this.data.length; o += 3) {
      this.data[o] = r;
      this.data[o + 1] = g;
      this.data[o + 2] = b;
    }
    return this;
  }

  /** Paints the pixels of rows [round(y), round(y + h)) and columns [round(x), round(x + w)). */
  fillRect(x: number, y: number, w: number, h: number, color: Color): this {
    checkFinite([x, y, w, h], ['x', 'y', 'w', 'h'], 'RgbImage.fillRect');
    this.paint(Math.round(x), Math.round(y), Math.round(x + w), Math.round(y + h), parseColor(color, 'RgbImage.fillRect'));
    return this;
  }

  /** Outlines the rectangle of {@link fillRect} with a border `thickness` pixels wide, drawn inside it. */
  strokeRect(x: number, y: number, w: number, h: number, color: Color, thickness = 1): this {
    checkFinite([x, y, w, h], ['x', 'y', 'w', 'h'], 'RgbImage.strokeRect');
    checkScale(thickness, 'RgbImage.strokeRect', 'thickness');
    const rgb = parseColor(color, 'RgbImage.strokeRect');
    const x0 = Math.round(x);
    const y0 = Math.round(y);
    const x1 = Math.round(x + w);
    const y1 = Math.round(y + h);
    const t = thickness;
    this.paint(x0, y0, x1, Math.min(y1, y0 + t), rgb);
    this.paint(x0, Math.max(y0, y1 - t), x1, y1, rgb);
    this.paint(x0, y0, Math.min(x1, x0 + t), y1, rgb);
    this.paint(Math.max(x0, x1 - t), y0, x1, y1, rgb);
    return this;
  }

  /** A straight line between pixel centres (x0, y0) and (x1, y1), `thickness` pixels wide (Bresenham with a square brush). */
  line(x0: number, y0: number, x1: number, y1: number, color: Color, thickness = 1): this {
    checkFinite([x0, y0, x1, y1], ['x0', 'y0', 'x1', 'y1'], 'RgbImage.line');
    checkScale(thickness, 'RgbImage.line', 'thickness');
    const rgb = parseColor(color, 'RgbImage.line');
    let x = Math.round(x0);
    let y = Math.round(y0);
    const xe = Math.round(x1);
    const ye = Math.round(y1);
    const dx = Math.abs(xe - x);
    const dy = -Math.abs(ye - y);
    const sx = x < xe ? 1 : -1;
    const sy = y < ye ? 1 : -1;
    const before = Math.floor((thickness - 1) / 2);
    let err = dx + dy;
    for (;;) {
      this.paint(x - before, y - before, x - before + thickness, y - before + thickness, rgb);
      if (x === xe && y === ye) break;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y += sy;
      }
    }
    return this;
  }

  /**
   * A filled disc centred at (cx, cy) in continuous coordinates (pixel (i, j) spans
   * [i, i + 1) × [j, j + 1)), so (i + 0.5, j + 0.5) is the centre of pixel (i, j). With
   * `outline`, a 1-pixel ring of that colour is drawn at its edge.
   */
  dot(cx: number, cy: number, radius: number, color: Color, outline?: Color): this {
    checkFinite([cx, cy, radius], ['cx', 'cy', 'radius'], 'RgbImage.dot');
    if (radius < 0) fail('RgbImage.dot', 'radius', 'a number >= 0', radius);
    const inside = parseColor(color, 'RgbImage.dot');
    const ring = outline === undefined ? inside : parseColor(outline, 'RgbImage.dot');
    const r2 = radius * radius;
    const inner2 = Math.max(0, radius - 1) ** 2;
    for (let y = Math.floor(cy - radius); y <= Math.ceil(cy + radius); y++) {
      for (let x = Math.floor(cx - radius); x <= Math.ceil(cx + radius); x++) {
        const d2 = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2;
        if (d2 <= r2) this.paint(x, y, x + 1, y + 1, d2 > inner2 ? ring : inside);
      }
    }
    return this;
  }

  /**
   * Writes `text` in the built-in 5×7 pixel font (printable ASCII; other characters show as
   * boxes). See {@link textSize} for its extent.
   */
  text(text: string, x: number, y: number, color: Color, options: TextOptions = {}): this {
    if (typeof text !== 'string') fail('RgbImage.text', 'text', 'a string', text);
    checkFinite([x, y], ['x', 'y'], 'RgbImage.text');
    const { scale = 1, anchor = 'start', baseline = 'top' } = options;
    checkScale(scale, 'RgbImage.text', 'options.scale');
    const rgb = parseColor(color, 'RgbImage.text');
    const { width, height } = textSize(text, scale);
    const left = Math.round(anchor === 'start' ? x : anchor === 'middle' ? x - width / 2 : x - width);
    const top = Math.round(baseline === 'top' ? y : baseline === 'middle' ? y - height / 2 : y - height);
    [...text].forEach((ch, k) => {
      const gx0 = left + k * (GLYPH_WIDTH + 1) * scale;
      glyph(ch).forEach((row, gy) =>
        row.forEach((on, gx) => {
          if (on) this.paint(gx0 + gx * scale, top + gy * scale, gx0 + (gx + 1) * scale, top + (gy + 1) * scale, rgb);
        }),
      );
    });
    return this;
  }

  /**
   * Paints a row-major `mapHeight × mapWidth` map of numbers, each cell a `scale × scale`
   * block (nearest-neighbour upscaling), coloured from `low` at `min` to `high` at `max`.
   */
  drawMap(values: ArrayLike<number>, mapWidth: number, mapHeight: number, options: DrawMapOptions = {}): this {
    const where = 'RgbImage.drawMap';
    if (!Number.isInteger(mapWidth) || mapWidth < 1) fail(where, 'mapWidth', 'an integer >= 1', mapWidth);
    if (!Number.isInteger(mapHeight) || mapHeight < 1) fail(where, 'mapHeight', 'an integer >= 1', mapHeight);
    if (values === null || typeof values !== 'object' || values.length !== mapWidth * mapHeight) {
      fail(where, 'values', `${mapWidth * mapHeight} numbers (mapWidth × mapHeight)`, values);
    }
    const { x = 0, y = 0, scale = 1, min = 0, max = 1, low = '#ffffff', high = '#000000' } = options;
    checkScale(scale, where, 'options.scale');
    checkFinite([x, y, min, max], ['options.x', 'options.y', 'options.min', 'options.max'], where);
    if (!(max > min)) fail(where, 'options.max', `a number greater than options.min (${min})`, max);
    const a = parseColor(low, where);
    const b = parseColor(high, where);
    const left = Math.round(x);
    const top = Math.round(y);
    for (let r = 0; r < mapHeight; r++) {
      for (let c = 0; c < mapWidth; c++) {
        const t = Math.min(1, Math.max(0, (values[r * mapWidth + c]! - min) / (max - min)));
        const rgb: Rgb = [Math.round(a[0] + (b[0] - a[0]) * t), Math.round(a[1] + (b[1] - a[1]) * t), Math.round(a[2] + (b[2] - a[2]) * t)];
        this.paint(left + c * scale, top + r * scale, left + (c + 1) * scale, top + (r + 1) * scale, rgb);
      }
    }
    return this;
  }

  /** Fills columns [x0, x1) of rows [y0, y1), clipped to the image. */
  private paint(x0: number, y0: number, x1: number, y1: number, [r, g, b]: Rgb): void {
    const xa = Math.max(0, x0);
    const ya = Math.max(0, y0);
    const xb = Math.min(this.width, x1);
    const yb = Math.min(this.height, y1);
    for (let yy = ya; yy < yb; yy++) {
      let o = (yy * this.width + xa) * 3;
      for (let xx = xa; xx < xb; xx++, o += 3) {
        this.data[o] = r;
        this.data[o + 1] = g;
        this.data[o + 2] = b;
      }
    }
  }
}
