import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav } from '../src/wav.js';

/** A RIFF/WAVE file from raw chunks, each padded to an even size as RIFF requires. */
function riff(chunks: readonly [string, Uint8Array][]): Uint8Array {
  const parts: number[] = [];
  for (const [id, body] of chunks) {
    const size = [body.length, body.length >>> 8, body.length >>> 16, body.length >>> 24].map((b) => b & 0xff);
    parts.push(...[...id].map((c) => c.charCodeAt(0)), ...size, ...body);
    if (body.length % 2 === 1) parts.push(0);
  }
  const total = parts.length + 4;
  return Uint8Array.from([0x52, 0x49, 0x46, 0x46, total & 0xff, (total >>> 8) & 0xff, (total >>> 16) & 0xff, total >>> 24, 0x57, 0x41, 0x56, 0x45, ...parts]);
}

/** A `fmt ` chunk body; `extensible` wraps `code` in WAVE_FORMAT_EXTENSIBLE. */
function fmt(code: number, channels: number, rate: number, bits: number, extensible = false): Uint8Array {
  const body = new DataView(new ArrayBuffer(extensible ? 40 : 16));
  const align = (channels * bits) / 8;
  body.setUint16(0, extensible ? 0xfffe : code, true);
  body.setUint16(2, channels, true);
  body.setUint32(4, rate, true);
  body.setUint32(8, rate * align, true);
  body.setUint16(12, align, true);
  body.setUint16(14, bits, true);
  if (extensible) {
    body.setUint16(16, 22, true);
    body.setUint16(18, bits, true);
    body.setUint16(24, code, true);
    [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71].forEach((b, i) => body.setUint8(26 + i, b));
  }
  return new Uint8Array(body.buffer);
}

function bytesOf(write: (view: DataView) => void, length: number): Uint8Array {
  const view = new DataView(new ArrayBuffer(length));
  write(view);
  return new Uint8Array(view.buffer);
}

describe('encodeWav / decodeWav', () => {
  it('round-trips to within 1/32768, clamping to [-1, 1]', () => {
    const values = Float32Array.from([0, 1, -1, 0.5, -0.5, 1e-6, 1.5, -2, 0.123456, -0.987654]);
    const decoded = decodeWav(encodeWav(values, 22050));
    expect(decoded.sampleRate).toBe(22050);
    expect(decoded.channels).toBe(1);
    expect(decoded.samples.length).toBe(values.length);
    values.forEach((v, i) => expect(Math.abs(decoded.samples[i]! - Math.max(-1, Math.min(1, v)))).toBeLessThanOrEqual(1 / 32768));
  });

  it('writes the canonical 44-byte header of 16-bit mono PCM', () => {
    const bytes = encodeWav(Float32Array.from([0.5, -1]), 8000);
    expect(Array.from(bytes)).toEqual([
      ...[0x52, 0x49, 0x46, 0x46, 40, 0, 0, 0, 0x57, 0x41, 0x56, 0x45],
      ...[0x66, 0x6d, 0x74, 0x20, 16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x80, 0x3e, 0, 0, 2, 0, 16, 0],
      ...[0x64, 0x61, 0x74, 0x61, 4, 0, 0, 0, 0x00, 0x40, 0x00, 0x80],
    ]);
  });

  it('decodes 8-bit unsigned PCM', () => {
    const { samples } = decodeWav(riff([['fmt ', fmt(1, 1, 8000, 8)], ['data', Uint8Array.from([0, 128, 255, 64])]]));
    expect(Array.from(samples)).toEqual([-1, 0, 127 / 128, -0.5]);
  });

  it('decodes 24-bit PCM', () => {
    const data = Uint8Array.from([0xff, 0xff, 0x7f, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00, 0xff, 0xff, 0xff, 0x00, 0x00, 0x40]);
    const { samples } = decodeWav(riff([['fmt ', fmt(1, 1, 48000, 24)], ['data', data]]));
    expect(Array.from(samples)).toEqual([8388607 / 8388608, -1, 1 / 8388608, -1 / 8388608, 0.5].map(Math.fround));
  });

  it('decodes 32-bit integer PCM', () => {
    const data = bytesOf((v) => [2147483647, -2147483648, 1 << 30, -1].forEach((x, i) => v.setInt32(4 * i, x, true)), 16);
    const { samples } = decodeWav(riff([['fmt ', fmt(1, 1, 44100, 32)], ['data', data]]));
    expect(Array.from(samples)).toEqual([2147483647 / 2147483648, -1, 0.5, -1 / 2147483648].map(Math.fround));
  });

  it('decodes 32- and 64-bit IEEE float as stored', () => {
    const values = [0.25, -0.75, 1.5, -3e-7];
    const f32 = bytesOf((v) => values.forEach((x, i) => v.setFloat32(4 * i, x, true)), 16);
    const f64 = bytesOf((v) => values.forEach((x, i) => v.setFloat64(8 * i, x, true)), 32);
    expect(Array.from(decodeWav(riff([['fmt ', fmt(3, 1, 16000, 32)], ['data', f32]])).samples)).toEqual(values.map(Math.fround));
    expect(Array.from(decodeWav(riff([['fmt ', fmt(3, 1, 16000, 64)], ['data', f64]])).samples)).toEqual(values.map(Math.fround));
  });

  it('decodes WAVE_FORMAT_EXTENSIBLE with PCM and float subformats', () => {
    const pcm = bytesOf((v) => [16384, -32768].forEach((x, i) => v.setInt16(2 * i, x, true)), 4);
    const float = bytesOf((v) => [0.5, -0.125].forEach((x, i) => v.setFloat32(4 * i, x, true)), 8);
    expect(Array.from(decodeWav(riff([['fmt ', fmt(1, 1, 48000, 16, true)], ['data', pcm]])).samples)).toEqual([0.5, -1]);
    expect(Array.from(decodeWav(riff([['fmt ', fmt(3, 1, 48000, 32, true)], ['data', float]])).samples)).toEqual([0.5, -0.125]);
  });

  it('averages the channels to mono', () => {
    // Two frames of three channels.
    const data = bytesOf((v) => [16384, -8192, 0, -32768, -32768, 8192].forEach((x, i) => v.setInt16(2 * i, x, true)), 12);
    const wav = decodeWav(riff([['fmt ', fmt(1, 3, 48000, 16)], ['data', data]]));
    expect(wav.channels).toBe(3);
    expect(Array.from(wav.samples)).toEqual([(0.5 - 0.25 + 0) / 3, (-1 - 1 + 0.25) / 3].map(Math.fround));
  });

  it('skips unknown and odd-sized chunks, junk after the data and a partial last frame', () => {
    const data = Uint8Array.from([0x00, 0x40, 0x00, 0xc0, 0x12]);
    const bytes = riff([
      ['LIST', Uint8Array.from([1, 2, 3, 4, 5, 6])],
      ['fmt ', fmt(1, 1, 48000, 16)],
      ['odd ', Uint8Array.from([9, 9, 9])],
      ['data', data],
    ]);
    // A cut-off chunk after the data, counted in the RIFF size, and bytes beyond the RIFF size.
    const withJunk = Uint8Array.from([...bytes, 0x6a, 0x75, 0x6e, 0x6b, 0xff, 0xff, 0, 0, 1]);
    new DataView(withJunk.buffer).setUint32(4, withJunk.length - 8, true);
    const trailing = Uint8Array.from([...bytes, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const file of [bytes, withJunk, trailing]) expect(Array.from(decodeWav(file).samples)).toEqual([0.5, -0.5]);
  });

  it('names the part of the file that is wrong', () => {
    const pcm16 = fmt(1, 1, 8000, 16);
    const garbage = new TextEncoder().encode('this is not a wav file at all');
    expect(() => decodeWav(garbage)).toThrow('decodeWav: bytes 0–3 (RIFF header): expected the tag "RIFF", received "this"');
    expect(() => decodeWav(Uint8Array.from([0x52, 0x49, 0x46, 0x46]))).toThrow('bytes.length: expected at least 12 bytes');
    const avi = riff([['fmt ', pcm16]]);
    avi.set([0x41, 0x56, 0x49, 0x20], 8);
    expect(() => decodeWav(avi)).toThrow('bytes 8–11 (RIFF form type): expected the tag "WAVE", received "AVI "');
    expect(() => decodeWav(riff([['data', new Uint8Array(4)]]))).toThrow('fmt chunk: expected one describing the sample format, received only "data"');
    expect(() => decodeWav(riff([['fmt ', pcm16]]))).toThrow('data chunk: expected one holding the samples, received only "fmt "');
    const truncated = riff([['fmt ', pcm16], ['data', new Uint8Array(100)]]).subarray(0, 80);
    expect(() => decodeWav(truncated)).toThrow(/"data" chunk at byte 36: expected its declared 100 bytes, received only 36/);
    expect(() => decodeWav(riff([['fmt ', fmt(2, 1, 8000, 4)], ['data', new Uint8Array(2)]]))).toThrow('fmt chunk audio format: expected 1 (integer PCM)');
    expect(() => decodeWav(riff([['fmt ', fmt(1, 1, 8000, 12)], ['data', new Uint8Array(2)]]))).toThrow(
      'fmt chunk bits per sample (integer PCM): expected 8, 16, 24 or 32, received 12',
    );
    expect(() => decodeWav(riff([['fmt ', fmt(3, 1, 8000, 16)], ['data', new Uint8Array(2)]]))).toThrow('bits per sample (IEEE float): expected 32 or 64, received 16');
    const misaligned = fmt(1, 2, 8000, 16);
    misaligned[12] = 2;
    expect(() => decodeWav(riff([['fmt ', misaligned], ['data', new Uint8Array(4)]]))).toThrow('fmt chunk block align: expected channels × bytes per sample = 4, received 2');
    const guid = fmt(1, 1, 8000, 16, true);
    guid[39] = 0;
    expect(() => decodeWav(riff([['fmt ', guid], ['data', new Uint8Array(2)]]))).toThrow('fmt chunk SubFormat GUID');
    expect(() => decodeWav(riff([['fmt ', pcm16.subarray(0, 14)], ['data', new Uint8Array(2)]]))).toThrow('fmt chunk size: expected at least 16 bytes, received 14');
    expect(() => decodeWav([1, 2, 3] as unknown as Uint8Array)).toThrow('decodeWav: bytes: expected a Uint8Array');
  });

  it('rejects what encodeWav cannot write', () => {
    expect(() => encodeWav(Float32Array.from([0, Number.NaN]), 8000)).toThrow('encodeWav: samples[1]: expected a number (NaN has no PCM value), received NaN');
    expect(() => encodeWav(new Float32Array(1), 0)).toThrow('encodeWav: sampleRate: expected an integer number of Hz in [1, 2147483647], received 0');
    expect(() => encodeWav([0] as unknown as Float32Array, 8000)).toThrow('encodeWav: samples: expected a Float32Array, received an array of length 1');
  });
});
