import { createRequire } from 'node:module';
import { fail } from '@sparling/errors';
import { CoverageCanvas } from './internal/rasterize.js';
import { addPathExtent, Extent, IDENTITY, multiply, parsePath, parseTransform, type Affine, type Box, type PathCommand } from './internal/svg-geometry.js';
import { FRACTION_BAR, type LatexToken } from './latex-grammar.js';

/**
 * The ink bounding box of one drawn symbol, in pixels of the rendered canvas, inclusive on both
 * ends (as the reference's colour mask gives it, spec 4.4).
 *
 * @example
 * ```ts
 * const seven: GlyphBox = { symbol: '7', token: 2, top: 52, left: 181, bottom: 62, right: 188 };
 * ```
 */
export interface GlyphBox {
  readonly symbol: string;
  /** Index of the token that drew it in the expression. */
  readonly token: number;
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

/**
 * A rendered expression: grey levels in [0, 1] (1 = white paper, 0 = full ink), row-major
 * `height × width`, and the box of every symbol-bearing token that lies at least partly on the
 * canvas, in token order.
 */
export interface LatexRendering {
  readonly height: number;
  readonly width: number;
  readonly grey: Float32Array;
  readonly boxes: readonly GlyphBox[];
}

/**
 * Where and how large to render: the canvas, and the pixels per em. The reference compiles
 * 10 pt type at 200 dpi, i.e. 10 · 200 / 72.27 = 27.674 pixels per em, where a digit is about
 * 18–20 pixels tall.
 */
export interface LatexCanvas {
  readonly height: number;
  readonly width: number;
  readonly pixelsPerEm: number;
}

// The slices of MathJax's lite DOM and MathML tree that are used here.
interface LiteNode {
  readonly kind: string;
}
interface LiteAdaptor {
  childNodes(node: LiteNode): LiteNode[];
  kind(node: LiteNode): string;
  getAttribute(node: LiteNode, name: string): string | null | undefined;
  setAttribute(node: LiteNode, name: string, value: string): void;
  removeAttribute(node: LiteNode, name: string): void;
  firstChild(node: LiteNode): LiteNode;
  outerHTML(node: LiteNode): string;
}
interface MmlNode {
  readonly isToken: boolean;
  isKind(kind: string): boolean;
  getText(): string;
  readonly attributes: { set(name: string, value: string): void };
  walkTree(visit: (node: MmlNode) => void): void;
}

interface Engine {
  readonly adaptor: LiteAdaptor;
  /** The `<svg>` of `code` in display style, and what each `data-k` node holds. */
  convert(code: string): { svg: LiteNode; nodes: { kind: string; text: string }[] };
}

let engine: Engine | undefined;

/**
 * MathJax (TeX → SVG with its TeX fonts, Computer Modern's shapes), loaded once per thread on
 * first use: importing the package must stay cheap for DigitCircle users.
 */
function loadEngine(): Engine {
  if (engine !== undefined) return engine;
  const require = createRequire(import.meta.url);
  const { mathjax } = require('mathjax-full/js/mathjax.js');
  const { TeX } = require('mathjax-full/js/input/tex.js');
  const { SVG } = require('mathjax-full/js/output/svg.js');
  const { liteAdaptor } = require('mathjax-full/js/adaptors/liteAdaptor.js');
  const { RegisterHTMLHandler } = require('mathjax-full/js/handlers/html.js');
  require('mathjax-full/js/input/tex/base/BaseConfiguration.js');
  const adaptor = liteAdaptor() as LiteAdaptor;
  RegisterHTMLHandler(adaptor);
  let nodes: { kind: string; text: string }[] = [];
  const tex = new TeX({
    packages: ['base'],
    formatError: (_jax: unknown, error: Error) => {
      throw error;
    },
  });
  // Numbers every token node and fraction in MathML pre-order, which is the order of the
  // expression's tokens; MathJax copies the attribute onto the node's SVG group.
  tex.postFilters.add(({ data }: { data: { root: MmlNode } }) => {
    data.root.walkTree((node) => {
      const kind = ['mi', 'mn', 'mo', 'mfrac'].find((k) => node.isKind(k));
      if (kind === undefined) return;
      node.attributes.set('data-k', String(nodes.length));
      nodes.push({ kind, text: node.isToken ? node.getText() : '' });
    });
  });
  const document = mathjax.document('', { InputJax: tex, OutputJax: new SVG({ fontCache: 'none' }) });
  engine = {
    adaptor,
    convert(code) {
      nodes = [];
      const container = document.convert(code, { display: true }) as LiteNode;
      return { svg: adaptor.firstChild(container), nodes };
    },
  };
  return engine;
}

const number = (adaptor: LiteAdaptor, node: LiteNode, name: string): number => Number(adaptor.getAttribute(node, name) ?? 0);

/**
 * Parsed outlines by path data. Every glyph is measured and then filled, in every expression,
 * and MathJax draws a glyph with the same data each time, so each is parsed once per thread;
 * the grammar's symbols draw 23 distinct outlines over 5,000 items, which bounds the map.
 */
const parsedPaths = new Map<string, PathCommand[]>();

function pathCommands(adaptor: LiteAdaptor, node: LiteNode): PathCommand[] {
  const d = adaptor.getAttribute(node, 'd') ?? '';
  let commands = parsedPaths.get(d);
  if (commands === undefined) {
    commands = parsePath(d);
    parsedPaths.set(d, commands);
  }
  return commands;
}

function intersect(a: Box, b: Box | null): Box | null {
  if (b === null) return a;
  const box = { x0: Math.max(a.x0, b.x0), y0: Math.max(a.y0, b.y0), x1: Math.min(a.x1, b.x1), y1: Math.min(a.y1, b.y1) };
  return box.x0 > box.x1 || box.y0 > box.y1 ? null : box;
}

function union(a: Box | null, b: Box | null): Box | null {
  if (a === null) return b;
  if (b === null) return a;
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}

function rectBox(adaptor: LiteAdaptor, node: LiteNode, m: Affine): Box | null {
  const extent = new Extent(m);
  const x = number(adaptor, node, 'x');
  const y = number(adaptor, node, 'y');
  const w = number(adaptor, node, 'width');
  const h = number(adaptor, node, 'height');
  extent.add(x, y);
  extent.add(x + w, y + h);
  return extent.box();
}

/** A numbered SVG group with the transform and clip (from nested viewports) above it. */
interface Placed {
  readonly node: LiteNode;
  readonly m: Affine;
  readonly clip: Box | null;
}

function childFrame(adaptor: LiteAdaptor, node: LiteNode, m: Affine, clip: Box | null): { m: Affine; clip: Box | null } {
  let frame = multiply(m, parseTransform(adaptor.getAttribute(node, 'transform')));
  if (adaptor.kind(node) !== 'svg') return { m: frame, clip };
  // A nested viewport (MathJax's stretched delimiters): map its viewBox onto x, y, width,
  // height and clip to it.
  const x = number(adaptor, node, 'x');
  const y = number(adaptor, node, 'y');
  const w = number(adaptor, node, 'width');
  const h = number(adaptor, node, 'height');
  const [vx, vy, vw, vh] = (adaptor.getAttribute(node, 'viewBox') ?? `0 0 ${w} ${h}`).split(/[\s,]+/).map(Number) as [number, number, number, number];
  const viewport = rectBox(adaptor, node, frame);
  const s = Math.min(w / vw, h / vh);
  frame = multiply(frame, [s, 0, 0, s, x + (w - vw * s) / 2 - vx * s, y + (h - vh * s) / 2 - vy * s]);
  return { m: frame, clip: viewport === null ? clip : intersect(viewport, clip) };
}

function findNumbered(adaptor: LiteAdaptor, node: LiteNode, m: Affine, clip: Box | null, found: Map<number, Placed>): void {
  for (const child of adaptor.childNodes(node)) {
    if (adaptor.kind(child) === '#text') continue;
    const frame = childFrame(adaptor, child, m, clip);
    const k = adaptor.getAttribute(child, 'data-k');
    if (k !== null && k !== undefined) found.set(Number(k), { node: child, m: frame.m, clip: frame.clip });
    findNumbered(adaptor, child, frame.m, frame.clip, found);
  }
}

/** An element that draws ink (a glyph's path or a rule), with its box in MathJax units. */
interface Ink {
  readonly node: LiteNode;
  readonly box: Box;
}

/** The ink of every glyph (path) and rule (rect) under `node`, in document order. */
function inkItems(adaptor: LiteAdaptor, node: LiteNode, m: Affine, clip: Box | null, out: Ink[], depth = Infinity): void {
  for (const child of adaptor.childNodes(node)) {
    const kind = adaptor.kind(child);
    if (kind === '#text') continue;
    const frame = childFrame(adaptor, child, m, clip);
    let box: Box | null = null;
    if (kind === 'path') {
      const extent = new Extent(frame.m);
      addPathExtent(pathCommands(adaptor, child), extent);
      box = extent.box();
    } else if (kind === 'rect') {
      box = rectBox(adaptor, child, frame.m);
    } else if (depth > 1) {
      inkItems(adaptor, child, frame.m, frame.clip, out, depth - 1);
    }
    if (box !== null) {
      const clipped = frame.clip === null ? box : intersect(box, frame.clip);
      if (clipped !== null) out.push({ node: child, box: clipped });
    }
  }
}

interface Layout {
  readonly svg: LiteNode;
  /** The root viewBox: x, y, width, height in MathJax units (1000 per em). */
  readonly viewBox: readonly [number, number, number, number];
  /** One ink box per symbol-bearing token, in MathJax units, or null where nothing was drawn. */
  readonly ink: readonly (Box | null)[];
}

/**
 * Lays `tokens` out with MathJax and finds the ink of each symbol-bearing token.
 *
 * @throws Error when MathJax's output does not hold exactly the expected symbols in order.
 */
function layout(tokens: readonly LatexToken[]): Layout {
  const { adaptor, convert } = loadEngine();
  const code = tokens.map((t) => t.code).join('');
  const { svg, nodes } = convert(code);
  const viewBox = (adaptor.getAttribute(svg, 'viewBox') ?? '').split(/[\s,]+/).map(Number) as [number, number, number, number];
  const placed = new Map<number, Placed>();
  findNumbered(adaptor, svg, IDENTITY, null, placed);
  const drawn: { symbol: string; ink: Ink[] }[] = [];
  nodes.forEach((node, k) => {
    const place = placed.get(k);
    const items: Ink[] = [];
    if (place !== undefined) inkItems(adaptor, place.node, place.m, place.clip, items, node.kind === 'mfrac' ? 1 : Infinity);
    if (node.kind === 'mfrac') {
      drawn.push({ symbol: FRACTION_BAR, ink: items });
    } else if (node.kind === 'mn') {
      const digits = [...node.text];
      // A run of digits is one MathML number with one glyph per digit.
      if (items.length !== digits.length) throw new Error(`LaTeX rendering of '${code}': the number '${node.text}' has ${items.length} glyphs`);
      digits.forEach((d, i) => drawn.push({ symbol: d, ink: [items[i]!] }));
    } else {
      drawn.push({ symbol: node.text, ink: items });
    }
  });
  const expected = tokens.flatMap((t) => (t.symbol === null ? [] : [t.symbol]));
  const got = drawn.map((d) => d.symbol);
  if (got.join('\u0000') !== expected.join('\u0000')) {
    throw new Error(`LaTeX rendering of '${code}': MathJax drew the symbols [${got.join(' ')}], expected [${expected.join(' ')}]`);
  }
  drawn.forEach((d, i) => {
    for (const item of d.ink) adaptor.setAttribute(item.node, 'data-symbol', String(i));
  });
  return { svg, viewBox, ink: drawn.map((d) => d.ink.map((item) => item.box).reduce<Box | null>(union, null)) };
}

/** MathJax units → canvas pixels, with the expression's box centred on the canvas. */
function placement(viewBox: readonly [number, number, number, number], canvas: LatexCanvas): { scale: number; x0: number; y0: number } {
  const scale = canvas.pixelsPerEm / 1000;
  const [vx, vy, vw, vh] = viewBox;
  return { scale, x0: vx + vw / 2 - canvas.width / 2 / scale, y0: vy + vh / 2 - canvas.height / 2 / scale };
}

/**
 * The pixel box of ink spanning `[a, b]` pixels along one axis: pixels covered by at least a
 * tenth, which is about where the reference's colour mask (saturation > 0.1) starts.
 */
function pixelRange(a: number, b: number): [number, number] {
  const first = Math.floor(a + 0.1);
  const last = Math.ceil(b - 0.1) - 1;
  if (last >= first) return [first, last];
  const middle = Math.floor((a + b) / 2);
  return [middle, middle];
}

function glyphBoxes(tokens: readonly LatexToken[], lay: Layout, canvas: LatexCanvas): GlyphBox[] {
  const { scale, x0, y0 } = placement(lay.viewBox, canvas);
  const boxes: GlyphBox[] = [];
  let symbolIndex = 0;
  tokens.forEach((token, index) => {
    if (token.symbol === null) return;
    const ink = lay.ink[symbolIndex++];
    if (ink === null || ink === undefined) return;
    const [left, right] = pixelRange((ink.x0 - x0) * scale, (ink.x1 - x0) * scale);
    const [top, bottom] = pixelRange((ink.y0 - y0) * scale, (ink.y1 - y0) * scale);
    // Off the canvas after the centre crop: no motif, as the reference skips empty masks.
    if (right < 0 || bottom < 0 || left >= canvas.width || top >= canvas.height) return;
    boxes.push({
      symbol: token.symbol,
      token: index,
      top: Math.max(0, top),
      left: Math.max(0, left),
      bottom: Math.min(canvas.height - 1, bottom),
      right: Math.min(canvas.width - 1, right),
    });
  });
  return boxes;
}

/**
 * The boxes `renderLatex` would report, without rasterising (about 5 ms instead of 10).
 *
 * @example
 * ```ts
 * const boxes = latexGlyphBoxes(tokens, { height: 120, width: 360, pixelsPerEm: 27.674 });
 * ```
 */
export function latexGlyphBoxes(tokens: readonly LatexToken[], canvas: LatexCanvas): GlyphBox[] {
  return glyphBoxes(tokens, layout(tokens), canvas);
}

/**
 * The SVG MathJax draws for an expression, sized and placed as {@link renderLatex} rasterises
 * it: `width × height` pixels with the expression's box centred. For pictures, or to check the
 * rasteriser against another SVG renderer.
 *
 * @example
 * ```ts
 * writeFileSync('expression.svg', latexSvg(tokens, { height: 120, width: 360, pixelsPerEm: 27.674 }));
 * ```
 */
export function latexSvg(tokens: readonly LatexToken[], canvas: LatexCanvas): string {
  const { adaptor } = loadEngine();
  const { svg, viewBox } = layout(tokens);
  const { scale, x0, y0 } = placement(viewBox, canvas);
  for (const name of ['style', 'role', 'focusable']) adaptor.removeAttribute(svg, name);
  adaptor.setAttribute(svg, 'width', String(canvas.width));
  adaptor.setAttribute(svg, 'height', String(canvas.height));
  adaptor.setAttribute(svg, 'viewBox', `${x0} ${y0} ${canvas.width / scale} ${canvas.height / scale}`);
  return adaptor.outerHTML(svg);
}

/**
 * Options of {@link renderLatex}.
 *
 * @example
 * ```ts
 * const justTheSeven: RenderLatexOptions = { only: 2 }; // token 2 of 0_{7}
 * ```
 */
export interface RenderLatexOptions {
  /** Draw only the glyph of this token (an index into the tokens); the boxes are still all reported. */
  readonly only?: number;
}

/** Fills every glyph and rule under `node` whose owner `keep` accepts, `m` mapping to pixels. */
function rasterise(adaptor: LiteAdaptor, node: LiteNode, m: Affine, clip: Box | null, canvas: CoverageCanvas, keep: (ink: LiteNode) => boolean): void {
  for (const child of adaptor.childNodes(node)) {
    const kind = adaptor.kind(child);
    if (kind === '#text') continue;
    const frame = childFrame(adaptor, child, m, clip);
    if (kind === 'path') {
      if (keep(child)) canvas.fillPath(pathCommands(adaptor, child), frame.m, frame.clip);
    } else if (kind === 'rect') {
      if (keep(child)) canvas.fillRect(number(adaptor, child, 'x'), number(adaptor, child, 'y'), number(adaptor, child, 'width'), number(adaptor, child, 'height'), frame.m, frame.clip);
    } else {
      rasterise(adaptor, child, frame.m, frame.clip, canvas, keep);
    }
  }
}

/**
 * Renders an expression in display style, centred on the canvas (a larger rendering is
 * centre-cropped), and reports each symbol's ink box from MathJax's own glyph outlines.
 *
 * @example
 * ```ts
 * const tokens = sampleLatexExpression(new RandomState(computeSeed(1, 2))); // 0_{7}
 * const { grey, boxes } = renderLatex(tokens, { height: 120, width: 360, pixelsPerEm: 27.674 });
 * boxes.map((b) => b.symbol); // ['0', '7']
 * ```
 */
export function renderLatex(tokens: readonly LatexToken[], canvas: LatexCanvas, options: RenderLatexOptions = {}): LatexRendering {
  const { adaptor } = loadEngine();
  const { only } = options;
  if (only !== undefined && (!Number.isInteger(only) || only < 0 || only >= tokens.length || tokens[only]!.symbol === null)) {
    fail('renderLatex', 'options.only', `the index of a token that draws a symbol (one of ${tokens.flatMap((t, i) => (t.symbol === null ? [] : [i])).join(', ')})`, only);
  }
  const lay = layout(tokens);
  const { scale, x0, y0 } = placement(lay.viewBox, canvas);
  const target = only === undefined ? undefined : String(tokens.slice(0, only).filter((t) => t.symbol !== null).length);
  const ink = new CoverageCanvas(canvas.width, canvas.height);
  const toPixels: Affine = [scale, 0, 0, scale, -x0 * scale, -y0 * scale];
  rasterise(adaptor, lay.svg, toPixels, null, ink, (node) => target === undefined || adaptor.getAttribute(node, 'data-symbol') === target);
  const grey = new Float32Array(canvas.height * canvas.width);
  for (let i = 0; i < grey.length; i++) grey[i] = 1 - ink.coverage[i]!;
  return { height: canvas.height, width: canvas.width, grey, boxes: glyphBoxes(tokens, lay, canvas) };
}
