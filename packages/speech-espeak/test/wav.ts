/** A RIFF/WAVE reader for the tests, independent of the package's own check. */
export interface Wav {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  byteRate: number;
  blockAlign: number;
  samples: Float32Array;
}

export function parseWav(bytes: Uint8Array): Wav {
  const text = (at: number): string => Buffer.from(bytes.subarray(at, at + 4)).toString('latin1');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (text(0) !== 'RIFF' || text(8) !== 'WAVE') throw new Error(`not RIFF/WAVE: ${text(0)} ${text(8)}`);
  if (view.getUint32(4, true) !== bytes.length - 8) throw new Error(`RIFF size ${view.getUint32(4, true)} != ${bytes.length - 8}`);
  let fmt: Omit<Wav, 'samples'> | undefined;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const size = view.getUint32(at + 4, true);
    if (text(at) === 'fmt ') {
      if (view.getUint16(at + 8, true) !== 1) throw new Error('not PCM');
      fmt = {
        channels: view.getUint16(at + 10, true),
        sampleRate: view.getUint32(at + 12, true),
        byteRate: view.getUint32(at + 16, true),
        blockAlign: view.getUint16(at + 20, true),
        bitsPerSample: view.getUint16(at + 22, true),
      };
    } else if (text(at) === 'data') {
      if (fmt === undefined) throw new Error('data before fmt');
      if (at + 8 + size !== bytes.length) throw new Error(`data chunk of ${size} bytes does not end the file`);
      const samples = new Float32Array(size / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(at + 8 + 2 * i, true) / 32768;
      return { ...fmt, samples };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error('no data chunk');
}

export const rms = (x: Float32Array): number => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
