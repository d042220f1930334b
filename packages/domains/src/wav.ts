import { fail, failText } from '@sparling/errors';

/**
 * A decoded WAV file: its rate, its channel count, and its samples averaged to mono.
 *
 * @example
 * ```ts
 * const { sampleRate, channels, samples }: DecodedWav = decodeWav(readFileSync('0_01_0.wav'));
 * ```
 */
export interface DecodedWav {
  /** Frames per second, from the fmt chunk. */
  readonly sampleRate: number;
  /** Channels in the file; `samples` is their mean. */
  readonly channels: number;
  /**
   * One value per frame, the mean of the channels, scaled as soundfile (and so librosa) scales:
   * integers divided by 2^(bits − 1) (8-bit is unsigned, offset 128), so in [−1, 1);
   * floats as stored.
   */
  readonly samples: Float32Array;
}

const WHERE = 'decodeWav';
const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
/** Bytes 2–15 of the KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT GUIDs; bytes 0–1 hold the format code. */
const SUBFORMAT_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

function tag(view: DataView, at: number): string {
  return String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
}

interface Format {
  readonly code: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bits: number;
}

function readFormat(view: DataView, at: number, size: number): Format {
  if (size < 16) fail(WHERE, 'fmt chunk size', 'at least 16 bytes', size);
  let code = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bits = view.getUint16(at + 14, true);
  if (code === FORMAT_EXTENSIBLE) {
    if (size < 40) fail(WHERE, 'fmt chunk size (WAVE_FORMAT_EXTENSIBLE)', 'at least 40 bytes', size);
    code = view.getUint16(at + 24, true);
    const tail = Array.from({ length: 14 }, (_, i) => view.getUint8(at + 26 + i));
    if (tail.some((b, i) => b !== SUBFORMAT_GUID_TAIL[i])) {
      failText(WHERE, 'fmt chunk SubFormat GUID', 'the PCM or IEEE-float KSDATAFORMAT GUID', `one ending ${tail.map((b) => b.toString(16).padStart(2, '0')).join('')}`);
    }
  }
  if (code === FORMAT_PCM) {
    if (![8, 16, 24, 32].includes(bits)) fail(WHERE, 'fmt chunk bits per sample (integer PCM)', '8, 16, 24 or 32', bits);
  } else if (code === FORMAT_FLOAT) {
    if (bits !== 32 && bits !== 64) fail(WHERE, 'fmt chunk bits per sample (IEEE float)', '32 or 64', bits);
  } else {
    fail(WHERE, 'fmt chunk audio format', `1 (integer PCM), 3 (IEEE float) or 0xFFFE (extensible with one of those)`, code);
  }
  if (channels === 0) fail(WHERE, 'fmt chunk channels', 'at least 1', channels);
  if (sampleRate === 0) fail(WHERE, 'fmt chunk sample rate', 'at least 1 Hz', sampleRate);
  if (blockAlign !== (channels * bits) / 8) {
    fail(WHERE, 'fmt chunk block align', `channels × bytes per sample = ${(channels * bits) / 8}`, blockAlign);
  }
  return { code, channels, sampleRate, bits };
}

/** Reads one stored sample at byte `at` as a number scaled like soundfile's float output. */
function sampleReader(view: DataView, format: Format): (at: number) => number {
  if (format.code === FORMAT_FLOAT) {
    return format.bits === 32 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true);
  }
  switch (format.bits) {
    case 8:
      return (at) => (view.getUint8(at) - 128) / 128;
    case 16:
      return (at) => view.getInt16(at, true) / 32768;
    case 24:
      return (at) => ((view.getUint8(at + 2) << 24) | (view.getUint8(at + 1) << 16) | (view.getUint8(at) << 8)) / 2147483648;
    default:
      return (at) => view.getInt32(at, true) / 2147483648;
  }
}

/**
 * Decodes a RIFF/WAVE file: integer PCM of 8, 16, 24 or 32 bits, or IEEE float of 32 or 64
 * bits, plain or as WAVE_FORMAT_EXTENSIBLE. Chunks other than `fmt ` and `data` are skipped.
 * A trailing partial frame is dropped. Errors name the part of the file that is wrong.
 *
 * @example
 * ```ts
 * const wav = decodeWav(readFileSync('data/01/0_01_0.wav'));
 * wav.sampleRate; // 48000
 * wav.samples.length / wav.sampleRate; // duration in seconds
 * ```
 */
export function decodeWav(bytes: Uint8Array): DecodedWav {
  if (!(bytes instanceof Uint8Array)) fail(WHERE, 'bytes', 'a Uint8Array (e.g. a Buffer from readFileSync)', bytes);
  if (bytes.length < 12) fail(WHERE, 'bytes.length', 'at least 12 bytes for the RIFF/WAVE header', bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (tag(view, 0) !== 'RIFF') failText(WHERE, 'bytes 0–3 (RIFF header)', 'the tag "RIFF"', JSON.stringify(tag(view, 0)));
  if (tag(view, 8) !== 'WAVE') failText(WHERE, 'bytes 8–11 (RIFF form type)', 'the tag "WAVE"', JSON.stringify(tag(view, 8)));
  // Writers often get the RIFF size wrong; trust it only to cut off trailing bytes.
  const end = Math.min(bytes.length, 8 + view.getUint32(4, true));

  let format: Format | undefined;
  let data: { at: number; size: number } | undefined;
  const seen: string[] = [];
  for (let at = 12; at + 8 <= end; ) {
    const id = tag(view, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    seen.push(id);
    if (body + size > end) {
      // Junk after complete fmt and data chunks is harmless; a cut-off fmt or data chunk is not.
      if (format !== undefined && data !== undefined && id !== 'fmt ' && id !== 'data') break;
      failText(WHERE, `"${id}" chunk at byte ${at}`, `its declared ${size} bytes`, `only ${end - body} (truncated file?)`);
    }
    if (id === 'fmt ') format = readFormat(view, body, size);
    else if (id === 'data') data = { at: body, size };
    at = body + size + (size & 1);
  }
  const found = seen.length === 0 ? 'no chunks' : `only ${seen.map((s) => JSON.stringify(s)).join(', ')}`;
  if (format === undefined) failText(WHERE, 'fmt chunk', 'one describing the sample format', found);
  if (data === undefined) failText(WHERE, 'data chunk', 'one holding the samples', found);

  const { channels, bits } = format;
  const width = bits / 8;
  const frames = Math.floor(data.size / (channels * width));
  const read = sampleReader(view, format);
  const samples = new Float32Array(frames);
  for (let f = 0, at = data.at; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, at += width) sum += read(at);
    samples[f] = sum / channels;
  }
  return { sampleRate: format.sampleRate, channels, samples };
}

/**
 * Encodes mono samples as a 16-bit PCM WAV file. Values are clamped to [−1, 1] and scaled by
 * 32768 (the inverse of {@link decodeWav}), +1 becoming 32767, so a round trip is exact to
 * 1/32768.
 *
 * @example
 * ```ts
 * const tone = Float32Array.from({ length: 8000 }, (_, n) => 0.5 * Math.sin((2 * Math.PI * 440 * n) / 8000));
 * writeFileSync('tone.wav', encodeWav(tone, 8000));
 * ```
 */
export function encodeWav(samples: Float32Array, sampleRate: number): Uint8Array {
  const where = 'encodeWav';
  if (!(samples instanceof Float32Array)) fail(where, 'samples', 'a Float32Array', samples);
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 0xffffffff / 2) {
    fail(where, 'sampleRate', 'an integer number of Hz in [1, 2147483647]', sampleRate);
  }
  const dataSize = samples.length * 2;
  if (dataSize > 0xffffffff - 36) fail(where, 'samples.length', 'at most 2147483629 so the RIFF size fits 32 bits', samples.length);
  const bytes = new Uint8Array(44 + dataSize);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string): void => {
    for (let i = 0; i < 4; i++) view.setUint8(at + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataSize, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, FORMAT_PCM, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataSize, true);
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    // A NaN would be written as a silent 0 and hide the bug that produced it.
    if (Number.isNaN(v)) fail(where, `samples[${i}]`, 'a number (NaN has no PCM value)', v);
    view.setInt16(44 + 2 * i, Math.max(-32768, Math.min(32767, Math.round(v * 32768))), true);
  }
  return bytes;
}
