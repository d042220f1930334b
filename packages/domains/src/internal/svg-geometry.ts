/**
 * Ink boxes of SVG elements as MathJax writes them: paths of absolute and relative
 * M/L/H/V/Q/T/C/S/Z commands, rects, nested `<svg>` viewports, translate/scale/matrix transforms.
 */

/** An affine map `[a, b, c, d, e, f]`: x' = a·x + c·y + e, y' = b·x + d·y + f (SVG's matrix order). */
export type Affine = readonly [number, number, number, number, number, number];

/** An axis-aligned box in user units, or in pixels after mapping. */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export const IDENTITY: Affine = [1, 0, 0, 1, 0, 0];

export function multiply(m: Affine, n: Affine): Affine {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

/** Parses an SVG `transform` attribute (translate, scale, matrix; the only ones MathJax emits). */
export function parseTransform(text: string | null | undefined): Affine {
  let m = IDENTITY;
  if (!text) return m;
  const re = /(translate|scale|matrix)\s*\(([^)]*)\)/g;
  for (let match = re.exec(text); match !== null; match = re.exec(text)) {
    const v = match[2]!.split(/[\s,]+/).filter((s) => s !== '').map(Number);
    let n: Affine;
    if (match[1] === 'translate') n = [1, 0, 0, 1, v[0] ?? 0, v[1] ?? 0];
    else if (match[1] === 'scale') n = [v[0] ?? 1, 0, 0, v[1] ?? v[0] ?? 1, 0, 0];
    else n = [v[0] ?? 1, v[1] ?? 0, v[2] ?? 0, v[3] ?? 1, v[4] ?? 0, v[5] ?? 0];
    m = multiply(m, n);
  }
  return m;
}

/** Accumulates the extent of points (after a transform). */
export class Extent {
  x0 = Infinity;
  y0 = Infinity;
  x1 = -Infinity;
  y1 = -Infinity;

  constructor(private readonly m: Affine = IDENTITY) {}

  add(x: number, y: number): void {
    const m = this.m;
    const px = m[0] * x + m[2] * y + m[4];
    const py = m[1] * x + m[3] * y + m[5];
    if (px < this.x0) this.x0 = px;
    if (px > this.x1) this.x1 = px;
    if (py < this.y0) this.y0 = py;
    if (py > this.y1) this.y1 = py;
  }

  get empty(): boolean {
    return this.x0 > this.x1;
  }

  box(): Box | null {
    return this.empty ? null : { x0: this.x0, y0: this.y0, x1: this.x1, y1: this.y1 };
  }
}

/** Parameters in (0, 1) where one coordinate of a quadratic Bézier has its extremum. */
function quadraticExtrema(p0: number, p1: number, p2: number): number[] {
  const den = p0 - 2 * p1 + p2;
  if (den === 0) return [];
  const t = (p0 - p1) / den;
  return t > 0 && t < 1 ? [t] : [];
}

/** Parameters in (0, 1) where one coordinate of a cubic Bézier has its extremum. */
function cubicExtrema(p0: number, p1: number, p2: number, p3: number): number[] {
  const a = -p0 + 3 * p1 - 3 * p2 + p3;
  const b = 2 * (p0 - 2 * p1 + p2);
  const c = p1 - p0;
  const roots: number[] = [];
  if (Math.abs(a) < 1e-12) {
    if (b !== 0) roots.push(-c / b);
  } else {
    const disc = b * b - 4 * a * c;
    if (disc >= 0) {
      const s = Math.sqrt(disc);
      roots.push((-b + s) / (2 * a), (-b - s) / (2 * a));
    }
  }
  return roots.filter((t) => t > 0 && t < 1);
}

/** One drawing command of a path, in absolute coordinates; T and S are made explicit. */
export type PathCommand =
  | { readonly kind: 'M' | 'L'; readonly x: number; readonly y: number }
  | { readonly kind: 'Q'; readonly x1: number; readonly y1: number; readonly x: number; readonly y: number }
  | { readonly kind: 'C'; readonly x1: number; readonly y1: number; readonly x2: number; readonly y2: number; readonly x: number; readonly y: number }
  | { readonly kind: 'Z'; readonly x: number; readonly y: number };

/**
 * Parses SVG path data (absolute and relative M/L/H/V/Q/T/C/S/Z) into absolute commands.
 *
 * @throws Error on a command MathJax does not emit (arcs), naming it.
 */
export function parsePath(d: string): PathCommand[] {
  const tokens = d.match(/[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g) ?? [];
  const out: PathCommand[] = [];
  let i = 0;
  let command = '';
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;
  // The previous control point, reflected by the smooth T and S commands.
  let controlX = 0;
  let controlY = 0;
  let previous = '';
  const number = (): number => {
    const t = tokens[i++];
    if (t === undefined) throw new Error(`parsePath: path data ended inside a ${command} command: ${d.slice(0, 80)}`);
    return Number(t);
  };
  while (i < tokens.length) {
    if (/[A-Za-z]/.test(tokens[i]!)) command = tokens[i++]!;
    else if (command === 'M') command = 'L';
    else if (command === 'm') command = 'l';
    const relative = command === command.toLowerCase();
    const ox = relative ? x : 0;
    const oy = relative ? y : 0;
    switch (command.toUpperCase()) {
      case 'M':
        x = startX = ox + number();
        y = startY = oy + number();
        out.push({ kind: 'M', x, y });
        break;
      case 'L':
        x = ox + number();
        y = oy + number();
        out.push({ kind: 'L', x, y });
        break;
      case 'H':
        x = ox + number();
        out.push({ kind: 'L', x, y });
        break;
      case 'V':
        y = oy + number();
        out.push({ kind: 'L', x, y });
        break;
      case 'Q':
      case 'T': {
        const smooth = 'QqTt'.includes(previous);
        const [x1, y1] = command.toUpperCase() === 'Q' ? [ox + number(), oy + number()] : smooth ? [2 * x - controlX, 2 * y - controlY] : [x, y];
        controlX = x1;
        controlY = y1;
        x = ox + number();
        y = oy + number();
        out.push({ kind: 'Q', x1, y1, x, y });
        break;
      }
      case 'C':
      case 'S': {
        const smooth = 'CcSs'.includes(previous);
        const [x1, y1] = command.toUpperCase() === 'C' ? [ox + number(), oy + number()] : smooth ? [2 * x - controlX, 2 * y - controlY] : [x, y];
        const x2 = ox + number();
        const y2 = oy + number();
        controlX = x2;
        controlY = y2;
        x = ox + number();
        y = oy + number();
        out.push({ kind: 'C', x1, y1, x2, y2, x, y });
        break;
      }
      case 'Z':
        x = startX;
        y = startY;
        out.push({ kind: 'Z', x, y });
        break;
      default:
        throw new Error(`parsePath: unsupported path command '${command}' in ${d.slice(0, 80)}`);
    }
    previous = command;
  }
  return out;
}

/** Adds the exact extent of a path's outline (curve extrema, not control points) to `extent`. */
export function addPathExtent(commands: readonly PathCommand[], extent: Extent): void {
  let x = 0;
  let y = 0;
  for (const c of commands) {
    if (c.kind === 'Q') {
      for (const t of [...quadraticExtrema(x, c.x1, c.x), ...quadraticExtrema(y, c.y1, c.y)]) {
        const u = 1 - t;
        extent.add(u * u * x + 2 * u * t * c.x1 + t * t * c.x, u * u * y + 2 * u * t * c.y1 + t * t * c.y);
      }
    } else if (c.kind === 'C') {
      const at = (t: number, p0: number, p1: number, p2: number, p3: number): number => {
        const u = 1 - t;
        return u * u * u * p0 + 3 * u * u * t * p1 + 3 * u * t * t * p2 + t * t * t * p3;
      };
      for (const t of [...cubicExtrema(x, c.x1, c.x2, c.x), ...cubicExtrema(y, c.y1, c.y2, c.y)]) extent.add(at(t, x, c.x1, c.x2, c.x), at(t, y, c.y1, c.y2, c.y));
    }
    extent.add(c.x, c.y);
    x = c.x;
    y = c.y;
  }
}
