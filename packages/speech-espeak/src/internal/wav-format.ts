/** What a WAV file's header says about its samples. */
export interface WavFormat {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Byte offset of the first sample. */
  dataOffset: number;
  /** Bytes of sample data, as the `data` chunk declares it. */
  dataBytes: number;
}

const ascii = (bytes: Uint8Array, at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));

/**
 * Reads a RIFF/WAVE header with a PCM `fmt ` chunk and a `data` chunk that ends exactly at the end
 * of the file; returns undefined for anything else.
 */
export function readWavFormat(bytes: Uint8Array): WavFormat | undefined {
  if (bytes.length < 44 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(4, true) !== bytes.length - 8) return undefined;
  let format: Omit<WavFormat, 'dataOffset' | 'dataBytes'> | undefined;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = ascii(bytes, at);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ') {
      if (size < 16 || view.getUint16(at + 8, true) !== 1) return undefined;
      format = { channels: view.getUint16(at + 10, true), sampleRate: view.getUint32(at + 12, true), bitsPerSample: view.getUint16(at + 22, true) };
    } else if (id === 'data') {
      if (format === undefined || at + 8 + size !== bytes.length) return undefined;
      return { ...format, dataOffset: at + 8, dataBytes: size };
    }
    at += 8 + size + (size % 2);
  }
  return undefined;
}
