import { rename, unlink, writeFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { crc32 } from './internal/crc32.js';
import { fail } from '@sparling/errors';
import { RgbImage } from './rgb-image.js';

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes an {@link RgbImage} as PNG file bytes (8-bit truecolour, no interlacing, zlib level 9).
 *
 * @example
 * ```ts
 * const bytes = encodePng(new RgbImage(4, 4, '#dc2626'));
 * bytes.subarray(1, 4); // "PNG"
 * ```
 */
export function encodePng(image: RgbImage): Uint8Array {
  if (!(image instanceof RgbImage)) fail('encodePng', 'image', 'an RgbImage', image);
  const { width, height, data } = image;
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: truecolour
  const stride = width * 3;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    // Filter byte 0 (none) per row: flat-coloured pictures compress well without filtering.
    raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Writes `image` as a PNG file at `path`, atomically: the bytes go to a temporary file next to
 * it, renamed over `path` only once complete, so readers never see half a picture.
 *
 * @example
 * ```ts
 * await writePng('docs/figure.png', image);
 * ```
 */
export async function writePng(path: string, image: RgbImage): Promise<void> {
  if (typeof path !== 'string' || path === '') fail('writePng', 'path', 'a file path', path);
  const bytes = encodePng(image);
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw new Error(`writePng: cannot write ${path}: ${(err as Error).message}`);
  }
}
