import { describe, expect, it } from 'vitest';
import { createDomain, type Domain } from '@sparling/domains';
import type { RgbImage } from '@sparling/raster';
import { sampleGrid } from '../src/report/sample-grid.js';

/** Share of the picture's pixels that are dark (red channel below half). */
function darkShare(image: RgbImage): number {
  let dark = 0;
  for (let k = 0; k < image.data.length; k += 3) if (image.data[k]! < 128) dark++;
  return dark / (image.width * image.height);
}

/** Items with short labels, so that the input, not the title, sets each picture's width. */
function items(domain: Domain, indices: readonly number[]) {
  return indices.map((index) => ({ index, ...domain.sample(1, index), predicted: [] }));
}

describe('sampleGrid', () => {
  it('draws inputs whose background is 1 light when inverted', () => {
    const latex = items(createDomain('latex-ocr'), [2]); // 0_{7}
    // About 74% of a LaTeX-OCR input is background, and the input fills over half the picture:
    // drawn as ink, the background would darken more than a third of it.
    expect(darkShare(sampleGrid(latex, { inverted: true }))).toBeLessThan(0.25);
    expect(darkShare(sampleGrid(latex))).toBeGreaterThan(0.35);
  });

  it('puts four pictures in a row, fewer where long titles would make the grid wider than 1400 pixels', () => {
    const digits = items(createDomain('digit-circle'), [0, 1, 2, 3, 4, 5, 6, 7]);
    const cell = sampleGrid(digits.slice(0, 1));
    expect([sampleGrid(digits).width, sampleGrid(digits).height]).toEqual([4 * cell.width + 3 * 8, 2 * cell.height + 8]);

    // Items 0 and 1 of seed 1 have labels of 24 and 15 tokens, whose titles widen the pictures.
    const latex = items(createDomain('latex-ocr'), [0, 1]);
    const wide = latex.map((item) => sampleGrid([item], { inverted: true }));
    expect(Math.min(...wide.map((p) => p.width))).toBeGreaterThan(700);
    const grid = sampleGrid(latex, { inverted: true });
    expect([grid.width, grid.height]).toEqual([Math.max(...wide.map((p) => p.width)), 2 * Math.max(...wide.map((p) => p.height)) + 8]);
  });

  it('draws digit-circle inputs (background 0) light by default', () => {
    expect(darkShare(sampleGrid(items(createDomain('digit-circle'), [0, 1])))).toBeLessThan(0.25);
  });
});
