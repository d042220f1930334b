import { encodePng, mixColors, RgbImage, textSize } from '@sparling/raster';
import type { RealignedConfusion } from './confusion.js';
import { fail } from './errors.js';

/**
 * Options of {@link renderConfusionSvg} and {@link renderConfusionPng}.
 *
 * @example
 * ```ts
 * const options: RenderConfusionOptions = { title: 'DigitCircle, seed 1' };
 * ```
 */
export interface RenderConfusionOptions {
  /** A line drawn above the matrix; default none. */
  readonly title?: string;
}

/** Pixel size of one font pixel; glyphs are 10×14 px. */
const SCALE = 2;
const CHAR_H = textSize('0', SCALE).height;
const LINE_H = CHAR_H + 6;
const MARGIN = 20;
const GAP = 2;
const CELL_H = 34;
const MIN_CELL_W = 88;
const INK = '#1f2937';
const MUTED = '#6b7280';
/** matplotlib's "Blues" colour map sampled at 0, ¼, ½, ¾, 1, its palest end darkened a little so empty cells show. */
const BLUES = ['#f1f6fb', '#c6dbef', '#6baed6', '#2171b5', '#08306b'];

type Op =
  | { readonly kind: 'rect'; readonly x: number; readonly y: number; readonly w: number; readonly h: number; readonly fill: string }
  | { readonly kind: 'text'; readonly x: number; readonly y: number; readonly text: string; readonly anchor: 'start' | 'middle' | 'end'; readonly fill: string };

function colour(f: number): string {
  const t = Math.min(1, Math.max(0, f)) * (BLUES.length - 1);
  const i = Math.min(BLUES.length - 2, Math.floor(t));
  const mix = mixColors(BLUES[i]!, BLUES[i + 1]!, t - i);
  return `#${mix.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** Python's `{:.2%}` below 1% and `{:.1%}` above, as in the reference's Figure 4. */
function percent(f: number): string {
  return f < 0.01 ? `${(100 * f).toFixed(2)}%` : `${(100 * f).toFixed(1)}%`;
}

function textWidth(text: string): number {
  return textSize(text, SCALE).width;
}

/** Splits a joined column name ("#3/#17/#20") into lines that fit `width`, breaking after "/". */
function wrap(name: string, width: number): string[] {
  const parts = name.split(/(?<=\/)/);
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines[lines.length - 1];
    if (last !== undefined && textWidth(last + part) <= width) lines[lines.length - 1] = last + part;
    else lines.push(part);
  }
  return lines;
}

function checkRealigned(m: RealignedConfusion, where: string): void {
  if (typeof m !== 'object' || m === null) fail('confusion', 'the result of realignConfusion', m, where);
  if (!Array.isArray(m.rows) || !Array.isArray(m.columns) || !Array.isArray(m.fractions) || !Array.isArray(m.rowShares)) {
    fail('confusion', 'the result of realignConfusion ({ rows, columns, fractions, rowShares, counts })', m, where);
  }
  if (m.fractions.length !== m.rows.length || m.rowShares.length !== m.rows.length) {
    fail('confusion.fractions', `${m.rows.length} rows like confusion.rows`, m.fractions, where);
  }
  m.fractions.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== m.columns.length) fail(`confusion.fractions[${i}]`, `${m.columns.length} values like confusion.columns`, r, where);
  });
}

/** Lays the picture out once, as rectangles and text, for both the SVG and the PNG. */
function layout(m: RealignedConfusion, options: RenderConfusionOptions): { width: number; height: number; ops: Op[] } {
  const ops: Op[] = [];
  const corner = 'true \\ channel';
  // Python's `{:6.2%}`, as the reference labels rows.
  const rowLabels = m.rows.map((r, i) => `${r} [${`${(100 * m.rowShares[i]!).toFixed(2)}%`.padStart(6)}]`);
  const labelW = Math.max(textWidth(corner), ...rowLabels.map(textWidth));
  const longestPart = Math.max(0, ...m.columns.flatMap((c) => c.split(/(?<=\/)/)).map(textWidth));
  const cellW = Math.max(MIN_CELL_W, longestPart + 12);
  const headers = m.columns.map((c) => wrap(c, cellW - 8));
  const headerLines = Math.max(1, ...headers.map((h) => h.length));
  const footer = 'rows: true symbol [share of all results]; cells: fraction of the row';

  let y = MARGIN;
  if (options.title) {
    ops.push({ kind: 'text', x: MARGIN, y: y + CHAR_H / 2, text: options.title, anchor: 'start', fill: INK });
    y += LINE_H + 8;
  }
  const gridX = MARGIN + labelW + 12;
  const gridY = y + headerLines * LINE_H + 6;
  ops.push({ kind: 'text', x: gridX - 12, y: gridY - 6 - LINE_H / 2, text: corner, anchor: 'end', fill: MUTED });
  headers.forEach((lines, j) => {
    const cx = gridX + j * cellW + cellW / 2;
    lines.forEach((line, k) => {
      const lineY = gridY - 6 - (lines.length - k) * LINE_H + LINE_H / 2;
      ops.push({ kind: 'text', x: cx, y: lineY, text: line, anchor: 'middle', fill: INK });
    });
  });
  m.rows.forEach((_, i) => {
    const cy = gridY + i * CELL_H;
    ops.push({ kind: 'text', x: gridX - 12, y: cy + CELL_H / 2, text: rowLabels[i]!, anchor: 'end', fill: INK });
    m.columns.forEach((_, j) => {
      const f = m.fractions[i]![j]!;
      const x = gridX + j * cellW;
      ops.push({ kind: 'rect', x: x + GAP / 2, y: cy + GAP / 2, w: cellW - GAP, h: CELL_H - GAP, fill: colour(f) });
      if (f !== 0) ops.push({ kind: 'text', x: x + cellW / 2, y: cy + CELL_H / 2, text: percent(f), anchor: 'middle', fill: f > 0.5 ? '#ffffff' : INK });
    });
  });
  const footerY = gridY + m.rows.length * CELL_H + 14;
  ops.push({ kind: 'text', x: MARGIN, y: footerY + CHAR_H / 2, text: footer, anchor: 'start', fill: MUTED });
  const width = Math.ceil(Math.max(gridX + m.columns.length * cellW, MARGIN + textWidth(footer), MARGIN + textWidth(options.title ?? '')) + MARGIN);
  const height = Math.ceil(footerY + CHAR_H + MARGIN);
  return { width, height, ops };
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Draws a realigned confusion matrix as an SVG heat map in the style of the paper's Figure 4:
 * each row labelled with its share of all results, cells shaded and labelled with the fraction
 * of their row, columns labelled with channel names.
 *
 * @param confusion - the result of {@link realignConfusion}.
 * @example
 * ```ts
 * writeFileSync('confusion.svg', renderConfusionSvg(realignConfusion(metrics.confusion)));
 * ```
 */
export function renderConfusionSvg(confusion: RealignedConfusion, options: RenderConfusionOptions = {}): string {
  checkRealigned(confusion, 'renderConfusionSvg');
  const { width, height, ops } = layout(confusion, options);
  const body = ops.map((op) =>
    op.kind === 'rect'
      ? `<rect x="${op.x}" y="${op.y}" width="${op.w}" height="${op.h}" fill="${op.fill}"/>`
      : `<text x="${op.x}" y="${op.y}" text-anchor="${op.anchor}" fill="${op.fill}">${escapeXml(op.text)}</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<style>text{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:14px;dominant-baseline:central;white-space:pre}</style>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/**
 * Draws the same picture as {@link renderConfusionSvg} as PNG bytes (RGB, built-in 5×7 pixel
 * font shown at 2×; characters outside printable ASCII appear as boxes). Uses `node:zlib`.
 *
 * @param confusion - the result of {@link realignConfusion}.
 * @example
 * ```ts
 * writeFileSync('confusion.png', renderConfusionPng(realignConfusion(metrics.confusion)));
 * ```
 */
export function renderConfusionPng(confusion: RealignedConfusion, options: RenderConfusionOptions = {}): Uint8Array {
  checkRealigned(confusion, 'renderConfusionPng');
  const { width, height, ops } = layout(confusion, options);
  const image = new RgbImage(width, height, '#ffffff');
  for (const op of ops) {
    if (op.kind === 'rect') image.fillRect(op.x, op.y, op.w, op.h, op.fill);
    else image.text(op.text, op.x, op.y, op.fill, { scale: SCALE, anchor: op.anchor, baseline: 'middle' });
  }
  return encodePng(image);
}
