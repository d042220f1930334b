import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from '@sparling/raster';
import { describe, expect, it } from 'vitest';
import { DigitCircle, renderSample, writeSamplePng, type Sample } from '../src/index.js';
import { pngPixels } from './helpers.js';

const figure1 = new DigitCircle().sampleRaw(6);

const rgb = (image: ReturnType<typeof renderSample>, x: number, y: number): string =>
  `#${image.getPixel(x, y).map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/** The picture's geometry for scale 4: 16-pixel margin, 14-pixel title, 10 + 18 pixels to the input. */
const LEFT = 16;
const TOP = 16 + 14 + 10 + 18;

describe('renderSample', () => {
  it('scales the input up, ink dark on white, under a title', () => {
    const image = renderSample(figure1, { scale: 4 });
    expect([image.width, image.height]).toEqual([432, TOP + 400 + 16]);
    const at = (r: number, c: number): string => rgb(image, LEFT + c * 4 + 2, TOP + r * 4 + 2);
    // A pixel inside the "4" stamp's empty margin is off; its top bar pixel is on.
    expect(figure1.input[39 * 100 + 15]).toBe(0);
    expect(at(39, 15)).toBe('#ffffff');
    const on = figure1.input.findIndex((v, k) => v === 1 && k > 50 * 100);
    expect(at(Math.floor(on / 100), on % 100)).toBe('#3f3f46');
  });

  it('outlines each footprint in its symbol colour and tags it', () => {
    const image = renderSample(figure1, { scale: 4 });
    // "4" (purple) covers rows 38–49, cols 14–21: its box edge is at the footprint's corner.
    expect(rgb(image, LEFT + 14 * 4, TOP + 38 * 4)).toBe('#9467bd');
    expect(rgb(image, LEFT + 22 * 4 - 1, TOP + 50 * 4 - 1)).toBe('#9467bd');
    expect(rgb(image, LEFT + 14 * 4, TOP + 38 * 4 - 3)).toBe('#9467bd');
    const plain = renderSample(figure1, { scale: 4, footprints: false });
    expect(plain.height).toBe(image.height - 18);
  });

  it('draws predicted motifs as red dots, strongest on top', () => {
    const image = renderSample(figure1, {
      scale: 4,
      predicted: [
        { channel: 0, position: [60, 60], value: 0.9 },
        { channel: 'weak', position: [60, 61], value: 0.1 },
      ],
    });
    expect(rgb(image, LEFT + 60 * 4 + 2, TOP + 60 * 4 + 2)).toBe('#dc2626');
    expect(renderSample(figure1, { predicted: [{ channel: 30, position: [1, 1] }] }).width).toBe(432);
  });

  it('matches the committed docs picture (regenerate with node docs/render-figure1.mjs)', () => {
    const committed = readFileSync(new URL('../docs/digit-circle-figure1.png', import.meta.url));
    const fresh = encodePng(renderSample(figure1, { scale: 4, title: 'RandomState(6): 0 7 2 6 3 4' }));
    // Compared as pixels, since another zlib may compress the same pixels differently.
    expect(pngPixels(committed).equals(pngPixels(fresh))).toBe(true);
  });

  it('writes a PNG file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'domains-')), 'figure.png');
    await writeSamplePng(path, figure1, { scale: 2 });
    expect(readFileSync(path).subarray(1, 4).toString()).toBe('PNG');
  });

  it('names what it cannot draw', () => {
    const audio = { input: new Float32Array(6), shape: [3, 2], label: [], motifs: [] } as Sample;
    expect(() => renderSample(audio)).toThrow('renderSample: sample.shape: expected [height, width, 1] (a one-channel image), received an array of length 2');
    expect(() => renderSample(figure1, { scale: 0 })).toThrow('renderSample: options.scale: expected an integer in [1, 32], received 0');
    expect(() => renderSample(figure1, { predicted: [{ channel: 1, position: [3] }] })).toThrow('renderSample: options.predicted[0].position: expected [row, column], received an array of length 1');
  });
});
