import { describe, expect, it } from 'vitest';
import { CoverageCanvas } from '../src/internal/rasterize.js';
import { parsePath, type Affine, type PathCommand } from '../src/internal/svg-geometry.js';

// MathJax's outline of the digit 8 (two holes) and of an opening parenthesis, in 1/1000 em.
const EIGHT =
  'M70 417T70 494T124 618T248 666Q319 666 374 624T429 515Q429 485 418 459T392 417T361 389T335 371T324 363L338 354Q352 344 366 334T382 323Q457 264 457 174Q457 95 399 37T249 -22Q159 -22 101 29T43 155Q43 263 172 335L154 348Q133 361 127 368Q70 417 70 494ZM286 386L292 390Q298 394 301 396T311 403T323 413T334 425T345 438T355 454T364 471T369 491T371 513Q371 556 342 586T275 624Q268 625 242 625Q201 625 165 599T128 534Q128 511 141 492T167 463T217 431Q224 426 228 424L286 386ZM250 21Q308 21 350 55T392 137Q392 154 387 169T375 194T353 216T330 234T301 253T274 270Q260 279 244 289T218 306L210 311Q204 311 181 294T133 239T107 157Q107 98 150 60T250 21Z';
const PAREN =
  'M94 250Q94 319 104 381T127 488T164 576T202 643T244 695T277 729T302 750H315H319Q333 750 333 741Q333 738 316 720T275 667T226 581T184 443T167 250T184 58T225 -81T274 -167T316 -220T333 -241Q333 -250 318 -250H315H302L274 -226Q180 -141 137 -14T94 250Z';

/** The outline as fine polygons (32 steps per curve, within 0.01 pixel of it), one per contour. */
function polygons(commands: readonly PathCommand[], m: Affine): [number, number][][] {
  const out: [number, number][][] = [];
  let current: [number, number][] = [];
  let [x, y] = [0, 0];
  const map = (px: number, py: number): [number, number] => [m[0] * px + m[2] * py + m[4], m[1] * px + m[3] * py + m[5]];
  for (const c of commands) {
    if (c.kind === 'M') {
      if (current.length > 0) out.push(current);
      current = [map(c.x, c.y)];
    } else if (c.kind === 'Q') {
      for (let k = 1; k <= 32; k++) {
        const t = k / 32;
        const u = 1 - t;
        current.push(map(u * u * x + 2 * u * t * c.x1 + t * t * c.x, u * u * y + 2 * u * t * c.y1 + t * t * c.y));
      }
    } else if (c.kind !== 'C') {
      current.push(map(c.x, c.y));
    }
    [x, y] = [c.x, c.y];
  }
  if (current.length > 0) out.push(current);
  return out;
}

function winding(contours: [number, number][][], px: number, py: number): number {
  let w = 0;
  for (const poly of contours) {
    for (let i = 0; i < poly.length; i++) {
      const [x0, y0] = poly[i]!;
      const [x1, y1] = poly[(i + 1) % poly.length]!;
      if (y0 <= py && y1 > py && (x1 - x0) * (py - y0) - (px - x0) * (y1 - y0) > 0) w++;
      else if (y0 > py && y1 <= py && (x1 - x0) * (py - y0) - (px - x0) * (y1 - y0) < 0) w--;
    }
  }
  return w;
}

/** Coverage by 16 × 16 point samples per pixel with the nonzero rule. */
function bruteForce(commands: readonly PathCommand[], m: Affine, width: number, height: number): Float32Array {
  const contours = polygons(commands, m);
  const out = new Float32Array(width * height);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      let inside = 0;
      for (let a = 0; a < 16; a++) for (let b = 0; b < 16; b++) if (winding(contours, col + (b + 0.5) / 16, row + (a + 0.5) / 16) !== 0) inside++;
      out[row * width + col] = inside / 256;
    }
  }
  return out;
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  return a.reduce((worst, v, k) => Math.max(worst, Math.abs(v - b[k]!)), 0);
}

describe('CoverageCanvas', () => {
  // 1/1000 em → pixels at 200 dpi, flipped as MathJax's scale(1,-1) does, at a fractional offset.
  const s = 0.027674;
  const m: Affine = [s, 0, 0, -s, 3.3, 21.7];

  for (const [name, d] of [
    ['the digit 8, with its holes', EIGHT],
    ['a parenthesis', PAREN],
  ] as const) {
    it(`matches 16 × 16 supersampling on ${name}`, () => {
      const commands = parsePath(d);
      const canvas = new CoverageCanvas(20, 26);
      canvas.fillPath(commands, m, null);
      // 16 samples across a pixel place an edge to within 1/16 of its width.
      expect(maxDifference(canvas.coverage, bruteForce(commands, m, 20, 26))).toBeLessThan(1 / 16 + 0.01);
      expect(canvas.coverage.some((v) => v > 0.99)).toBe(true);
    });
  }

  it('adds shapes, clamps at full ink, and clips to pixels whose centre is inside', () => {
    const canvas = new CoverageCanvas(10, 4);
    canvas.fillRect(0.5, 0, 3, 4, [1, 0, 0, 1, 0, 0], null);
    expect(Array.from(canvas.coverage.subarray(0, 5))).toEqual([0.5, 1, 1, 0.5, 0]);
    canvas.fillRect(0, 0, 10, 4, [1, 0, 0, 1, 0, 0], { x0: 2, y0: 0, x1: 6, y1: 4 });
    expect(Array.from(canvas.coverage.subarray(0, 8))).toEqual([0.5, 1, 1, 1, 1, 1, 0, 0]);
  });

  it('keeps shapes partly off the canvas right where they are on it', () => {
    const canvas = new CoverageCanvas(4, 4);
    canvas.fillRect(-5, 1.25, 7, 1.5, [1, 0, 0, 1, 0, 0], null);
    expect(Array.from(canvas.coverage.subarray(4, 8))).toEqual([0.75, 0.75, 0, 0]);
    expect(Array.from(canvas.coverage.subarray(8, 12))).toEqual([0.75, 0.75, 0, 0]);
  });
});
