import { computeSeed, RandomState } from '@sparling/random';
import { describe, expect, it } from 'vitest';
import { createDomain, LatexOcr, latexGlyphBoxes, latexSvg, renderLatex, sampleLatexExpression, type GlyphBox, type LatexToken } from '../src/index.js';
import { readFileSync } from 'node:fs';
import { encodePng } from '@sparling/raster';
import * as source from '../src/index.js';
import { imageSha, pngPixels } from './helpers.js';
// @ts-expect-error: a plain ES module shared with docs/render-latex-gallery.mjs, without types.
import { latexGallery } from '../docs/latex-gallery.mjs';

const domain = new LatexOcr();
const clean = new LatexOcr({ noise: 0 });
const canvas = { height: 120, width: 360, pixelsPerEm: (10 * 200) / 72.27 };
const expression = (seed: number, index: number): LatexToken[] => sampleLatexExpression(new RandomState(computeSeed(seed, index)));
/** A pixel at least a tenth covered by ink. */
const INKED = 0.9;

function inside(box: GlyphBox, row: number, col: number): boolean {
  return row >= box.top && row <= box.bottom && col >= box.left && col <= box.right;
}

describe('LatexOcr items', () => {
  it("draws the reference's training item 2 of seed 1, 0_{7}, with one footprint per symbol", () => {
    const item = domain.sample(1, 2);
    expect(item.latex).toBe('0_{7}');
    expect(item.label).toEqual(['0', 'SUB(', '7', 'SUB)']);
    expect(item.shape).toEqual([120, 360, 1]);
    expect(item.motifs.map((m) => m.symbol)).toEqual(['0', '7']);
    const [zero, seven] = item.motifs;
    // The subscript sits right of and lower than its base; a digit is about 20 pixels tall.
    expect(seven!.position[1]!).toBeGreaterThan(zero!.position[1]!);
    expect(seven!.position[0]!).toBeGreaterThan(zero!.position[0]!);
    const zeroHeight = zero!.footprint.end[0]! - zero!.footprint.start[0]! - 4;
    expect(zeroHeight).toBeGreaterThanOrEqual(17);
    expect(zeroHeight).toBeLessThanOrEqual(22);
    // The reference's ink spans columns 167–189; ours is the same expression centred the same way.
    expect(zero!.footprint.start[1]! + 2).toBeGreaterThanOrEqual(162);
    expect(seven!.footprint.end[1]! - 3).toBeLessThanOrEqual(194);
  });

  it('is reproducible: the same seed and index give the same bytes, another index others', () => {
    expect(imageSha(domain.sample(1, 0))).toBe(imageSha(new LatexOcr().sample(1, 0)));
    expect(imageSha(domain.sample(1, 0))).not.toBe(imageSha(domain.sample(1, 1)));
    expect(imageSha(domain.sample(2, 0))).not.toBe(imageSha(domain.sample(1, 0)));
    expect(imageSha(domain.sampleRaw(7))).toBe(imageSha(domain.sampleFrom(new RandomState(7))));
    expect(createDomain('latex-ocr', { noise: 0.1 }).options).toEqual({ ...domain.options, noise: 0.1 });
  });

  it('binarises at 0.75, then sets about a quarter of the pixels to ink (1 = background)', () => {
    let background = 0;
    let notBinary = 0;
    let inkRemoved = 0;
    for (let i = 0; i < 20; i++) {
      const noisy = domain.sample(1, i);
      const plain = clean.sample(1, i);
      for (let k = 0; k < noisy.input.length; k++) {
        if (plain.input[k] !== 0 && plain.input[k] !== 1) notBinary++;
        // Noise only ever adds ink (the reference's set_false).
        if (plain.input[k] === 0 && noisy.input[k] !== 0) inkRemoved++;
        background += noisy.input[k]!;
      }
    }
    expect([notBinary, inkRemoved]).toEqual([0, 0]);
    // The reference: 0.7393 on its items 0..99.
    expect(background / (20 * 120 * 360)).toBeGreaterThan(0.72);
    expect(background / (20 * 120 * 360)).toBeLessThan(0.75);
  });

  it('measures the minimum density from 9.64 symbols per test item, as the reference', () => {
    expect(domain.minimumDensity).toBeCloseTo(9.64 / (120 * 360 * 32), 15);
  });

  it('matches the README gallery (regenerate with node docs/render-latex-gallery.mjs)', async () => {
    const committed = readFileSync(new URL('../docs/latex-ocr-gallery.png', import.meta.url));
    const fresh = encodePng(await latexGallery(source));
    expect(pngPixels(committed).equals(pngPixels(fresh))).toBe(true);
  });

  it('rejects bad options, naming them', () => {
    expect(() => new LatexOcr({ noise: 2 })).toThrow(/options\.noise.*\[0, 1\].*2/);
    expect(() => new LatexOcr({ height: 7 })).toThrow(/options\.height/);
    expect(() => new LatexOcr({ colour: 1 } as never)).toThrow(/options\.colour/);
    expect(() => domain.sample(1, -1)).toThrow(/index/);
  });
});

describe('LaTeX glyph boxes', () => {
  const expressions = [expression(1, 0), expression(1, 1), expression(1, 3), expression(1, 4), expression(1, 5)];

  it("cover their own glyph's ink, tightly, drawn alone", () => {
    for (const tokens of expressions) {
      const { boxes } = renderLatex(tokens, canvas);
      expect(boxes.length).toBe(tokens.filter((t) => t.symbol !== null).length);
      for (const box of boxes) {
        const { grey } = renderLatex(tokens, canvas, { only: box.token });
        let top = Infinity;
        let bottom = -Infinity;
        let left = Infinity;
        let right = -Infinity;
        for (let k = 0; k < grey.length; k++) {
          if (grey[k]! >= INKED) continue;
          const row = Math.floor(k / canvas.width);
          const col = k % canvas.width;
          expect(inside(box, row, col), `${box.symbol} of ${tokens.map((t) => t.code).join('')} at (${row}, ${col})`).toBe(true);
          top = Math.min(top, row);
          bottom = Math.max(bottom, row);
          left = Math.min(left, col);
          right = Math.max(right, col);
        }
        // Tight: at most one pixel of slack on each side.
        expect(top - box.top).toBeLessThanOrEqual(1);
        expect(box.bottom - bottom).toBeLessThanOrEqual(1);
        expect(left - box.left).toBeLessThanOrEqual(1);
        expect(box.right - right).toBeLessThanOrEqual(1);
      }
    }
  });

  it("hold no other glyph's centre", () => {
    for (const tokens of expressions) {
      const { boxes } = renderLatex(tokens, canvas);
      for (const box of boxes) {
        for (const other of boxes) {
          if (other === box) continue;
          const row = Math.floor((other.top + other.bottom) / 2);
          const col = Math.floor((other.left + other.right) / 2);
          expect(inside(box, row, col), `${other.symbol}'s centre in ${box.symbol}'s box`).toBe(false);
        }
      }
    }
  });

  it('together make the whole picture', () => {
    const tokens = expressions[0]!;
    const { grey, boxes } = renderLatex(tokens, canvas);
    for (let k = 0; k < grey.length; k++) {
      if (grey[k]! >= INKED) continue;
      const row = Math.floor(k / canvas.width);
      const col = k % canvas.width;
      expect(boxes.some((b) => inside(b, row, col))).toBe(true);
    }
  });

  it('gives the same boxes without rasterising, and the SVG it rasterises, sized to the canvas', () => {
    for (const tokens of expressions) expect(latexGlyphBoxes(tokens, canvas)).toEqual(renderLatex(tokens, canvas).boxes);
    const svg = latexSvg(expressions[2]!, canvas);
    expect(svg).toMatch(/^<svg [^>]*width="360" height="120"/);
    // One outline per drawn glyph, and the fraction bar as a rule.
    const symbols = expressions[2]!.filter((t) => t.symbol !== null);
    expect((svg.match(/<path /g) ?? []).length).toBe(symbols.filter((t) => t.symbol !== 'FRACBAR').length);
    expect((svg.match(/<rect /g) ?? []).length).toBe(symbols.filter((t) => t.symbol === 'FRACBAR').length);
  });

  it('drops symbols cropped off a narrow canvas, and names a bad token to draw alone', () => {
    const tokens = expressions[0]!;
    const narrow = renderLatex(tokens, { ...canvas, width: 100 });
    expect(narrow.boxes.length).toBeLessThan(tokens.filter((t) => t.symbol !== null).length);
    for (const b of narrow.boxes) expect(b.left >= 0 && b.right < 100).toBe(true);
    expect(() => renderLatex(tokens, canvas, { only: 2 })).toThrow(/options\.only/);
  });
});
