import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import type { Motif, Sample } from '../src/index.js';

export interface VectorItem {
  readonly rngSeed?: number;
  readonly label: string[];
  readonly on: number;
  readonly sha: string;
  readonly motifs: Motif[];
}

/** Reference outputs printed under numpy (see the file's "about"). */
export const vectors = JSON.parse(readFileSync(new URL('./fixtures/digit-circle-vectors.json', import.meta.url), 'utf8')) as {
  items: Record<string, VectorItem>;
  combined: Record<string, string>;
  small: { options: Record<string, number>; 'raw 3': VectorItem };
};

/** sha256 of a sample's input as one byte per pixel, as the fixtures record it. */
export function imageSha(sample: Sample): string {
  return createHash('sha256').update(Uint8Array.from(sample.input)).digest('hex');
}

/** The fixtures' combined digest over many samples. */
export function combinedSha(samples: Iterable<Sample>): string {
  const hash = createHash('sha256');
  for (const s of samples) {
    hash.update(Uint8Array.from(s.input));
    hash.update(`${s.label.join('')}\n`);
  }
  return hash.digest('hex');
}

export function onPixels(sample: Sample): number {
  return sample.input.reduce((n, v) => n + v, 0);
}

export function* range<T>(n: number, f: (i: number) => T): Generator<T> {
  for (let i = 0; i < n; i++) yield f(i);
}

/** A PNG's header and decompressed pixel rows: equal for equal pictures whatever the compression. */
export function pngPixels(png: Uint8Array): Buffer {
  const bytes = Buffer.from(png);
  const parts: Buffer[] = [];
  for (let offset = 8; offset < bytes.length; ) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    if (type === 'IHDR' || type === 'IDAT') parts.push(bytes.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const [header, ...data] = parts;
  return Buffer.concat([header!, inflateSync(Buffer.concat(data))]);
}
