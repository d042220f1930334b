import { describe, expect, it } from 'vitest';
import { resample } from '../src/resample.js';

function tone(frequency: number, amplitude: number, rate: number, length: number): Float32Array {
  return Float32Array.from({ length }, (_, n) => amplitude * Math.sin((2 * Math.PI * frequency * n) / rate));
}

/** Largest |y[n] − amplitude·sin(2π f n / rate)| away from the ends, where the zero padding shows. */
function toneError(y: Float32Array, frequency: number, amplitude: number, rate: number, margin: number): number {
  let worst = 0;
  for (let n = margin; n < y.length - margin; n++) worst = Math.max(worst, Math.abs(y[n]! - amplitude * Math.sin((2 * Math.PI * frequency * n) / rate)));
  return worst;
}

function rms(y: Float32Array, from: number, to: number): number {
  let sum = 0;
  for (let n = from; n < to; n++) sum += y[n]! ** 2;
  return Math.sqrt(sum / (to - from));
}

describe('resample', () => {
  it("gives librosa's length ceil(n · to / from) and copies when the rates are equal", () => {
    const lengths = ([[0, 48000, 8000], [1, 48000, 8000], [1000, 48000, 8000], [48000, 48000, 8000], [44100, 44100, 8000], [10, 8000, 48000], [7, 16000, 22050]] as const).map(
      ([n, from, to]) => resample(new Float32Array(n), from, to).length,
    );
    expect(lengths).toEqual([0, 1, 167, 8000, 8000, 60, 10]);
    const x = tone(440, 0.5, 8000, 100);
    const copy = resample(x, 8000, 8000);
    expect(copy).not.toBe(x);
    expect(copy).toEqual(x);
  });

  it('keeps a 440 Hz tone sample for sample, 48 → 8 kHz', () => {
    const y = resample(tone(440, 0.8, 48000, 48000), 48000, 8000);
    expect(toneError(y, 440, 0.8, 8000, 64)).toBeLessThan(1e-3);
  });

  it('keeps a 3 kHz tone near the top of the pass band', () => {
    const y = resample(tone(3000, 0.5, 48000, 24000), 48000, 8000);
    expect(toneError(y, 3000, 0.5, 8000, 64)).toBeLessThan(1e-3);
  });

  it('removes tones above the new Nyquist frequency by more than 40 dB', () => {
    for (const frequency of [6000, 4200]) {
      const x = tone(frequency, 1, 48000, 48000);
      const y = resample(x, 48000, 8000);
      const drop = 20 * Math.log10(rms(y, 64, y.length - 64) / rms(x, 0, x.length));
      expect(drop, `${frequency} Hz`).toBeLessThan(-40);
    }
  });

  it('upsamples 8 → 48 kHz without changing a tone', () => {
    const y = resample(tone(440, 0.8, 8000, 8000), 8000, 48000);
    expect(y.length).toBe(48000);
    expect(toneError(y, 440, 0.8, 48000, 6 * 64)).toBeLessThan(1e-3);
  });

  it('handles rates sharing few factors (8000 phases, taps computed per sample)', () => {
    const y = resample(tone(3000, 0.8, 48001, 12000), 48001, 8000);
    expect(y.length).toBe(2000);
    expect(toneError(y, 3000, 0.8, 8000, 64)).toBeLessThan(1e-3);
  });

  it('rejects bad arguments, naming them', () => {
    expect(() => resample(new Float32Array(4), 0, 8000)).toThrow('resample: from: expected a positive integer sample rate in Hz, received 0');
    expect(() => resample(new Float32Array(4), 48000, 8000.5)).toThrow('resample: to: expected a positive integer sample rate in Hz, received 8000.5');
    expect(() => resample(new Float64Array(4) as unknown as Float32Array, 48000, 8000)).toThrow('resample: samples: expected a Float32Array, received a Float64Array');
  });
});
