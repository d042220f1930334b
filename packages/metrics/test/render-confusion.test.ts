import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { evaluateMotifs, realignConfusion, renderConfusionPng, renderConfusionSvg } from '../src/index.js';
import { worked } from './helpers.js';

const shown = realignConfusion(evaluateMotifs([worked]).confusion);

/** Splits a PNG into chunks, checking each CRC, and returns its size and inflated pixels. */
function decodePng(png: Uint8Array): { width: number; height: number; raw: Uint8Array; types: string[] } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const types: string[] = [];
  const idat: Uint8Array[] = [];
  let width = 0;
  let height = 0;
  for (let o = 8; o < png.length; ) {
    const length = view.getUint32(o);
    const type = String.fromCharCode(...png.subarray(o + 4, o + 8));
    const data = png.subarray(o + 8, o + 8 + length);
    const crcTable = Array.from({ length: 256 }, (_, n) => {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      return c >>> 0;
    });
    let crc = 0xffffffff;
    for (const b of png.subarray(o + 4, o + 8 + length)) crc = crcTable[(crc ^ b) & 0xff]! ^ (crc >>> 8);
    expect((crc ^ 0xffffffff) >>> 0).toBe(view.getUint32(o + 8 + length));
    types.push(type);
    if (type === 'IHDR') {
      width = view.getUint32(o + 8);
      height = view.getUint32(o + 12);
    }
    if (type === 'IDAT') idat.push(data);
    o += 12 + length;
  }
  return { width, height, raw: inflateSync(Buffer.concat(idat)), types };
}

describe('renderConfusionSvg', () => {
  it('draws labelled rows, columns and cells', () => {
    const svg = renderConfusionSvg(shown, { title: 'DigitCircle <seed 1>' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('DigitCircle &#60;seed 1&#62;');
    expect(svg).toContain('>1 [33.33%]</text>');
    expect(svg).toContain('>none [33.33%]</text>');
    expect(svg).toContain('>100.0%</text>');
    expect(svg).toContain('>50.0%</text>');
    for (const c of shown.columns) expect(svg).toContain(`>${c}</text>`);
    // One rectangle per cell plus the background.
    expect(svg.match(/<rect /g)).toHaveLength(1 + shown.rows.length * shown.columns.length);
  });

  it('rejects something that is not a realigned matrix', () => {
    expect(() => renderConfusionSvg({ rows: ['1'], columns: ['A'] } as never)).toThrow('renderConfusionSvg: confusion: expected the result of realignConfusion');
  });
});

describe('renderConfusionPng', () => {
  it('writes a valid RGB PNG of the same size as the SVG', () => {
    const png = renderConfusionPng(shown);
    const { width, height, raw, types } = decodePng(png);
    expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
    const svg = renderConfusionSvg(shown);
    expect(svg).toContain(`width="${width}" height="${height}"`);
    expect(raw.length).toBe(height * (1 + width * 3));
    // Dark cells (fraction 1) and white background are both present.
    const pixels = new Set<string>();
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels.add(raw.subarray(y * (1 + width * 3) + 1 + x * 3, y * (1 + width * 3) + 4 + x * 3).join(','));
    expect(pixels.has('255,255,255')).toBe(true);
    expect(pixels.has('8,48,107')).toBe(true);
  });
});
