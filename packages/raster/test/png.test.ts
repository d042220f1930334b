import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodePng, RgbImage, writePng } from '../src/index.js';
import { decodeSimplePng } from './helpers.js';

describe('encodePng', () => {
  it('round-trips pixels through a standard PNG', () => {
    const image = new RgbImage(7, 5, '#ffffff').fillRect(1, 1, 3, 2, '#2563eb').dot(5, 3, 1.5, '#dc2626');
    const bytes = encodePng(image);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const decoded = decodeSimplePng(bytes);
    expect(decoded).toMatchObject({ width: 7, height: 5, chunks: ['IHDR', 'IDAT', 'IEND'] });
    expect(decoded.rgb).toEqual(image.data);
  });
  it('names a wrong argument', () => {
    expect(() => encodePng({ width: 1 } as RgbImage)).toThrow('encodePng: image: expected an RgbImage, received an object');
  });
});

describe('writePng', () => {
  it('writes the file and leaves no temporary file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'raster-'));
    const path = join(dir, 'a.png');
    const image = new RgbImage(3, 3, '#123456');
    await writePng(path, image);
    expect(decodeSimplePng(new Uint8Array(readFileSync(path))).rgb).toEqual(image.data);
    expect(readdirSync(dir)).toEqual(['a.png']);
  });
  it('names the path it cannot write and cleans up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'raster-'));
    const path = join(dir, 'missing', 'a.png');
    await expect(writePng(path, new RgbImage(1, 1))).rejects.toThrow(`writePng: cannot write ${path}`);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });
});
