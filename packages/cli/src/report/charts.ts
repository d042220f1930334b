/**
 * Line charts drawn with `@sparling/raster`: linear or log axes with ticks and labels, a legend
 * and dashed reference lines, enough for the report's Figure 5 and training curves.
 */
import { RgbImage, textSize } from '@sparling/raster';

export interface ChartSeries {
  readonly name: string;
  readonly color: string;
  /** `[x, y]` in drawing order; a null y breaks the line. */
  readonly points: readonly (readonly [number, number | null])[];
  readonly dashed?: boolean;
}

export interface ChartAxis {
  readonly label: string;
  readonly log?: boolean;
  /** Larger values first: the paper's Figure 5 shows density falling left to right, as training runs. */
  readonly reversed?: boolean;
  /** Values the range must cover besides the data (e.g. 0 for error rates). */
  readonly include?: readonly number[];
  readonly format?: (value: number) => string;
}

/** A dashed reference line across the plot, e.g. the theoretical minimum density. */
export interface ChartMarker {
  readonly value: number;
  readonly label: string;
  readonly color: string;
}

export interface LineChartOptions {
  readonly title: string;
  readonly x: ChartAxis;
  readonly y: ChartAxis;
  readonly series: readonly ChartSeries[];
  /** Vertical lines at these x values. */
  readonly xMarkers?: readonly ChartMarker[];
  /** Horizontal lines at these y values. */
  readonly yMarkers?: readonly ChartMarker[];
  readonly width?: number;
  readonly height?: number;
}

const FONT = 2;
const CHAR_H = textSize('0', FONT).height;
const MARGIN = 16;
const GAP = 8;
const INK = '#1f2937';
const MUTED = '#6b7280';
const GRID = '#e5e7eb';
const MINOR_GRID = '#f3f4f6';
const SWATCH = 28;
/** Above this many points a series is drawn as a line only; fewer also get a dot per point. */
const MAX_DOTTED_POINTS = 60;

interface Tick {
  readonly value: number;
  /** Null for an unlabelled minor tick. */
  readonly label: string | null;
}

interface Scale {
  readonly ticks: readonly Tick[];
  readonly at: (value: number) => number;
}

const width = (text: string): number => textSize(text, FONT).width;

/** Short tick labels: `0.5`, `0.002`, `5e-5`, `2.5M`. */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  const a = Math.abs(value);
  if (a >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${Number((value / 1e3).toPrecision(3))}k`;
  if (a >= 1e-3) return String(Number(value.toPrecision(3)));
  const exponent = Math.floor(Math.log10(a));
  return `${Number((value / 10 ** exponent).toPrecision(2))}e${exponent}`;
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

function linearTicks(lo: number, hi: number, format: (v: number) => string): { lo: number; hi: number; ticks: Tick[] } {
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) / 2;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep((hi - lo) / 5);
  const first = Math.floor(lo / step);
  const last = Math.ceil(hi / step);
  const ticks: Tick[] = [];
  // Integer multiples of the step, rounded, so 0.1 + 0.2 shows as 0.3.
  for (let i = first; i <= last; i++) {
    const value = Number((i * step).toPrecision(12));
    ticks.push({ value, label: format(value) });
  }
  return { lo: first * step, hi: last * step, ticks };
}

function logTicks(lo: number, hi: number, format: (v: number) => string): { lo: number; hi: number; ticks: Tick[] } {
  let from = Math.floor(Math.log10(lo));
  let to = Math.ceil(Math.log10(hi));
  if (from === to) {
    from -= 1;
    to += 1;
  }
  // Label 2× and 5× too when only a decade or two show, so short runs still read.
  const labelled = to - from <= 2 ? [1, 2, 5] : [1];
  const ticks: Tick[] = [];
  for (let e = from; e <= to; e++) {
    for (let m = 1; m <= (e === to ? 1 : 9); m++) {
      const value = Number((m * 10 ** e).toPrecision(12));
      ticks.push({ value, label: labelled.includes(m) ? format(value) : null });
    }
  }
  return { lo: 10 ** from, hi: 10 ** to, ticks };
}

function makeScale(axis: ChartAxis, values: readonly number[], from: number, to: number): Scale {
  const format = axis.format ?? formatTick;
  const finite = [...values, ...(axis.include ?? [])].filter((v) => Number.isFinite(v) && (!axis.log || v > 0));
  const lo = finite.length > 0 ? Math.min(...finite) : axis.log ? 0.1 : 0;
  const hi = finite.length > 0 ? Math.max(...finite) : 1;
  const range = axis.log ? logTicks(lo, hi, format) : linearTicks(lo, hi, format);
  const t = axis.log
    ? (v: number) => (Math.log10(v) - Math.log10(range.lo)) / (Math.log10(range.hi) - Math.log10(range.lo))
    : (v: number) => (v - range.lo) / (range.hi - range.lo);
  const [a, b] = axis.reversed ? [to, from] : [from, to];
  return { ticks: range.ticks, at: (v) => a + t(v) * (b - a) };
}

function dashedLine(image: RgbImage, x0: number, y0: number, x1: number, y1: number, color: string, thickness = 1): void {
  const length = Math.hypot(x1 - x0, y1 - y0);
  const dash = 7;
  const gap = 5;
  for (let s = 0; s < length; s += dash + gap) {
    const e = Math.min(length, s + dash);
    image.line(x0 + ((x1 - x0) * s) / length, y0 + ((y1 - y0) * s) / length, x0 + ((x1 - x0) * e) / length, y0 + ((y1 - y0) * e) / length, color, thickness);
  }
}

/** Lays the legend out in rows that fit `available` pixels; returns each entry's offset. */
function legendLayout(series: readonly ChartSeries[], available: number): { rows: number; at: [number, number][] } {
  const at: [number, number][] = [];
  let x = 0;
  let row = 0;
  for (const s of series) {
    const w = SWATCH + 6 + width(s.name);
    if (x > 0 && x + w > available) {
      x = 0;
      row++;
    }
    at.push([x, row]);
    x += w + 24;
  }
  return { rows: series.length === 0 ? 0 : row + 1, at };
}

/**
 * Draws series against shared axes: title on top, the y label above the axis (the pixel font
 * cannot turn), the x label and a legend below.
 */
export function lineChart(options: LineChartOptions): RgbImage {
  const { title, series, xMarkers = [], yMarkers = [] } = options;
  const imageWidth = options.width ?? 760;
  const imageHeight = options.height ?? 440;
  const xs = [...series.flatMap((s) => s.points.map(([x]) => x)), ...xMarkers.map((m) => m.value)];
  const ys = [...series.flatMap((s) => s.points.flatMap(([, y]) => (y === null ? [] : [y]))), ...yMarkers.map((m) => m.value)];

  const lineH = CHAR_H + GAP;
  const top = MARGIN + 2 * lineH + 2 * GAP;
  const right = imageWidth - MARGIN - 8;
  // The y scale's labels decide the left edge, so lay it out once with a provisional height.
  const probe = makeScale(options.y, ys, 0, 1);
  const left = MARGIN + Math.max(0, ...probe.ticks.map((t) => (t.label === null ? 0 : width(t.label)))) + GAP + 4;
  const legend = legendLayout(series, right - left);
  const bottom = imageHeight - MARGIN - legend.rows * lineH - 2 * lineH - 2 * GAP;
  const x = makeScale(options.x, xs, left, right);
  const y = makeScale(options.y, ys, bottom, top);

  const image = new RgbImage(imageWidth, imageHeight, '#ffffff');
  image.text(title, imageWidth / 2, MARGIN, INK, { scale: FONT, anchor: 'middle' });
  image.text(options.y.label, left, MARGIN + lineH + GAP, MUTED, { scale: FONT });

  for (const tick of x.ticks) {
    const px = x.at(tick.value);
    image.line(px, top, px, bottom, tick.label === null ? MINOR_GRID : GRID);
    if (tick.label !== null) image.text(tick.label, px, bottom + GAP, INK, { scale: FONT, anchor: 'middle' });
  }
  for (const tick of y.ticks) {
    const py = y.at(tick.value);
    image.line(left, py, right, py, tick.label === null ? MINOR_GRID : GRID);
    if (tick.label !== null) image.text(tick.label, left - GAP, py, INK, { scale: FONT, anchor: 'end', baseline: 'middle' });
  }
  image.strokeRect(left, top, right - left + 1, bottom - top + 1, MUTED);
  image.text(options.x.label, (left + right) / 2, bottom + GAP + lineH, MUTED, { scale: FONT, anchor: 'middle' });

  for (const m of xMarkers) {
    const px = x.at(m.value);
    if (!Number.isFinite(px)) continue;
    dashedLine(image, px, top, px, bottom, m.color, 2);
    const fits = px + 6 + width(m.label) < right;
    image.text(m.label, fits ? px + 6 : px - 6, top + GAP, m.color, { scale: FONT, anchor: fits ? 'start' : 'end' });
  }
  for (const m of yMarkers) {
    const py = y.at(m.value);
    if (!Number.isFinite(py)) continue;
    dashedLine(image, left, py, right, py, m.color, 2);
    const above = py - GAP - CHAR_H > top;
    image.text(m.label, right - GAP, above ? py - GAP : py + GAP, m.color, { scale: FONT, anchor: 'end', baseline: above ? 'bottom' : 'top' });
  }

  for (const s of series) {
    let previous: [number, number] | null = null;
    const dotted = s.points.length <= MAX_DOTTED_POINTS;
    for (const [vx, vy] of s.points) {
      // A null, or a value a log axis cannot show, breaks the line.
      const point: [number, number] | null = vy === null ? null : [x.at(vx), y.at(vy)];
      if (point === null || !Number.isFinite(point[0]) || !Number.isFinite(point[1])) {
        previous = null;
        continue;
      }
      if (previous) {
        if (s.dashed) dashedLine(image, previous[0], previous[1], point[0], point[1], s.color, 2);
        else image.line(previous[0], previous[1], point[0], point[1], s.color, 2);
      }
      if (dotted) image.dot(point[0], point[1], 4, s.color);
      previous = point;
    }
  }

  const legendTop = imageHeight - MARGIN - legend.rows * lineH;
  series.forEach((s, i) => {
    const [dx, row] = legend.at[i] ?? [0, 0];
    const lx = left + dx;
    const ly = legendTop + row * lineH + CHAR_H / 2;
    if (s.dashed) dashedLine(image, lx, ly, lx + SWATCH, ly, s.color, 3);
    else image.line(lx, ly, lx + SWATCH, ly, s.color, 3);
    image.text(s.name, lx + SWATCH + 6, ly, INK, { scale: FONT, baseline: 'middle' });
  });
  return image;
}
