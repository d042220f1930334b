/**
 * An anti-aliased rasteriser for filled outlines: exact area coverage by signed-area
 * accumulation (the method of font-rs and stb_truetype), so a glyph's pixels come out as a font
 * renderer would draw them, in pure TypeScript, the same bytes everywhere.
 */
import type { Affine, Box, PathCommand } from './svg-geometry.js';

/** Curves are flattened to lines that stray at most this far from them, in pixels. */
const TOLERANCE = 0.05;

export class CoverageCanvas {
  /** Ink coverage in [0, 1], row-major `height × width`. */
  readonly coverage: Float32Array;
  /** Per-row signed-area deltas; two spare columns take the writes right of the last pixel. */
  private readonly deltas: Float32Array;
  private readonly stride: number;
  private rowLow = Infinity;
  private rowHigh = -Infinity;
  private colLow = Infinity;
  private colHigh = -Infinity;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.coverage = new Float32Array(width * height);
    this.stride = width + 2;
    this.deltas = new Float32Array(this.stride * height);
  }

  /**
   * Fills one shape (a path's contours, mapped to pixels by `m`), adding its coverage to the
   * canvas inside `clip` (pixels whose centre lies in it). Within a shape the winding is
   * |signed area| clamped to 1; shapes add up, clamped to 1.
   */
  fillPath(commands: readonly PathCommand[], m: Affine, clip: Box | null): void {
    let px = 0;
    let py = 0;
    const to = (x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
    let [sx, sy] = [0, 0];
    let open = false;
    for (const c of commands) {
      const [x, y] = to(c.x, c.y);
      if (c.kind === 'M') {
        if (open) this.line(px, py, sx, sy);
        [sx, sy] = [x, y];
        open = true;
      } else if (c.kind === 'L' || c.kind === 'Z') {
        this.line(px, py, x, y);
      } else if (c.kind === 'Q') {
        const [x1, y1] = to(c.x1, c.y1);
        const deviation = Math.hypot(px - 2 * x1 + x, py - 2 * y1 + y);
        const n = Math.min(64, Math.max(1, Math.ceil(Math.sqrt(deviation / (4 * TOLERANCE)))));
        let [lx, ly] = [px, py];
        for (let k = 1; k <= n; k++) {
          const t = k / n;
          const u = 1 - t;
          const nx = u * u * px + 2 * u * t * x1 + t * t * x;
          const ny = u * u * py + 2 * u * t * y1 + t * t * y;
          this.line(lx, ly, nx, ny);
          [lx, ly] = [nx, ny];
        }
      } else if (c.kind === 'C') {
        const [x1, y1] = to(c.x1, c.y1);
        const [x2, y2] = to(c.x2, c.y2);
        const deviation = Math.max(Math.hypot(px - 2 * x1 + x2, py - 2 * y1 + y2), Math.hypot(x1 - 2 * x2 + x, y1 - 2 * y2 + y));
        const n = Math.min(64, Math.max(1, Math.ceil(Math.sqrt((3 * deviation) / (4 * TOLERANCE)))));
        let [lx, ly] = [px, py];
        for (let k = 1; k <= n; k++) {
          const t = k / n;
          const u = 1 - t;
          const nx = u * u * u * px + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t * t * t * x;
          const ny = u * u * u * py + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y;
          this.line(lx, ly, nx, ny);
          [lx, ly] = [nx, ny];
        }
      }
      if (c.kind === 'Z') open = false;
      [px, py] = [x, y];
    }
    if (open) this.line(px, py, sx, sy);
    this.resolve(clip);
  }

  /** Fills an axis-aligned rectangle given in user units, mapped to pixels by `m`. */
  fillRect(x: number, y: number, w: number, h: number, m: Affine, clip: Box | null): void {
    this.fillPath(
      [
        { kind: 'M', x, y },
        { kind: 'L', x: x + w, y },
        { kind: 'L', x: x + w, y: y + h },
        { kind: 'L', x, y: y + h },
        { kind: 'Z', x, y },
      ],
      m,
      clip,
    );
  }

  /** Accumulates the signed area one edge adds to the pixels right of it, row by row. */
  private line(x0: number, y0: number, x1: number, y1: number): void {
    if (y0 === y1 || !Number.isFinite(x0 + y0 + x1 + y1)) return;
    let direction = 1;
    if (y0 > y1) {
      [x0, y0, x1, y1] = [x1, y1, x0, y0];
      direction = -1;
    }
    const slope = (x1 - x0) / (y1 - y0);
    const first = Math.max(0, Math.floor(y0));
    const last = Math.min(this.height, Math.ceil(y1));
    const clampX = (x: number): number => Math.min(this.width, Math.max(0, x));
    const deltas = this.deltas;
    const add = (k: number, value: number): void => {
      deltas[k] = deltas[k]! + value;
    };
    for (let row = first; row < last; row++) {
      const ya = Math.max(row, y0);
      const yb = Math.min(row + 1, y1);
      const dy = yb - ya;
      if (dy <= 0) continue;
      const xa = clampX(x0 + slope * (ya - y0));
      const xb = clampX(x0 + slope * (yb - y0));
      const d = dy * direction;
      const lo = Math.min(xa, xb);
      const hi = Math.max(xa, xb);
      const base = row * this.stride;
      const loFloor = Math.floor(lo);
      const hiCeil = Math.ceil(hi);
      if (row < this.rowLow) this.rowLow = row;
      if (row > this.rowHigh) this.rowHigh = row;
      if (loFloor < this.colLow) this.colLow = loFloor;
      if (hiCeil + 1 > this.colHigh) this.colHigh = hiCeil + 1;
      if (hiCeil <= loFloor + 1) {
        const middle = 0.5 * (xa + xb) - loFloor;
        add(base + loFloor, d * (1 - middle));
        add(base + loFloor + 1, d * middle);
        continue;
      }
      const s = 1 / (hi - lo);
      const loFraction = lo - loFloor;
      const a0 = 0.5 * s * (1 - loFraction) * (1 - loFraction);
      const hiFraction = hi - hiCeil + 1;
      const am = 0.5 * s * hiFraction * hiFraction;
      add(base + loFloor, d * a0);
      if (hiCeil === loFloor + 2) {
        add(base + loFloor + 1, d * (1 - a0 - am));
      } else {
        const a1 = s * (1.5 - loFraction);
        add(base + loFloor + 1, d * (a1 - a0));
        for (let col = loFloor + 2; col < hiCeil - 1; col++) add(base + col, d * s);
        const a2 = a1 + (hiCeil - loFloor - 3) * s;
        add(base + hiCeil - 1, d * (1 - a2 - am));
      }
      add(base + hiCeil, d * am);
    }
  }

  /** Turns the accumulated deltas of one shape into coverage, then clears them. */
  private resolve(clip: Box | null): void {
    if (this.rowLow > this.rowHigh) return;
    const colHigh = Math.min(this.colHigh, this.stride - 1);
    for (let row = this.rowLow; row <= this.rowHigh; row++) {
      const base = row * this.stride;
      const inRows = clip === null || (row + 0.5 >= clip.y0 && row + 0.5 <= clip.y1);
      let area = 0;
      for (let col = this.colLow; col <= colHigh; col++) {
        area += this.deltas[base + col]!;
        this.deltas[base + col] = 0;
        if (col >= this.width || !inRows) continue;
        if (clip !== null && (col + 0.5 < clip.x0 || col + 0.5 > clip.x1)) continue;
        const c = Math.min(1, Math.abs(area));
        if (c > 0) {
          const k = row * this.width + col;
          this.coverage[k] = Math.min(1, this.coverage[k]! + c);
        }
      }
    }
    this.rowLow = Infinity;
    this.rowHigh = -Infinity;
    this.colLow = Infinity;
    this.colHigh = -Infinity;
  }
}
