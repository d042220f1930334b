import { inflateSync } from 'node:zlib';

/** Decodes the PNGs encodePng writes (8-bit RGB, filter 0) back to width, height and pixels. */
export function decodeSimplePng(bytes: Uint8Array): { width: number; height: number; rgb: Uint8Array; chunks: string[] } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  const chunks: string[] = [];
  while (offset < bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    chunks.push(type);
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    if (raw[y * (width * 3 + 1)] !== 0) throw new Error(`row ${y} uses filter ${raw[y * (width * 3 + 1)]}`);
    rgb.set(raw.subarray(y * (width * 3 + 1) + 1, (y + 1) * (width * 3 + 1)), y * width * 3);
  }
  return { width, height, rgb, chunks };
}

/** Number of pixels of `image` that have exactly colour `rgb`. */
export function countColor(image: { data: Uint8Array }, [r, g, b]: readonly number[]): number {
  let n = 0;
  for (let o = 0; o < image.data.length; o += 3) if (image.data[o] === r && image.data[o + 1] === g && image.data[o + 2] === b) n++;
  return n;
}
