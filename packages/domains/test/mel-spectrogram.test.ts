import { createRequire } from 'node:module';
import { RandomState } from '@sparling/random';
import { describe, expect, it } from 'vitest';
import { melSpectrogram, melSpectrogramShape } from '../src/mel-spectrogram.js';

const RATE = 8000;
const N_FFT = 375;
const HOP = 187;
const BANDS = 64;
const CLIP = 15 * RATE;

/** Reflect-padded sample `i` of `audio`, as torch.stft(center=True) reads it. */
function reflect(audio: Float32Array, i: number): number {
  const j = i < 0 ? -i : i >= audio.length ? 2 * (audio.length - 1) - i : i;
  return audio[j]!;
}

const hann = Float64Array.from({ length: N_FFT }, (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / N_FFT));

const REFERENCE_BINS = 188;

/** torchaudio's HTK triangles (no normalisation) on its frequency grid linspace(0, 4000, 188). */
const referenceFilters = ((): Float64Array[] => {
  const hz = (mel: number): number => 700 * (10 ** (mel / 2595) - 1);
  const melMax = 2595 * Math.log10(1 + 4000 / 700);
  const corners = Array.from({ length: BANDS + 2 }, (_, i) => hz((melMax * i) / (BANDS + 1)));
  return Array.from({ length: BANDS }, (_, m) =>
    Float64Array.from({ length: REFERENCE_BINS }, (_, k) => {
      const f = (4000 * k) / (REFERENCE_BINS - 1);
      const [a, b, c] = [corners[m]!, corners[m + 1]!, corners[m + 2]!];
      return Math.max(0, Math.min((f - a) / (b - a), (c - f) / (c - b)));
    }),
  );
})();
const dftCos = Float64Array.from({ length: REFERENCE_BINS * N_FFT }, (_, i) => Math.cos((2 * Math.PI * Math.floor(i / N_FFT) * (i % N_FFT)) / N_FFT));
const dftSin = Float64Array.from({ length: REFERENCE_BINS * N_FFT }, (_, i) => Math.sin((2 * Math.PI * Math.floor(i / N_FFT) * (i % N_FFT)) / N_FFT));

/**
 * Spec 5.2 written out directly: a DFT of every 375-sample centred Hann frame (188 bins), the
 * power, torchaudio's filters, then dB with the 80 dB floor.
 */
function referenceMelSpectrogram(audio: Float32Array): Float32Array {
  const frames = 1 + Math.floor((audio.length - 1) / HOP);
  const out = new Float32Array(frames * BANDS);
  const frame = new Float64Array(N_FFT);
  const power = new Float64Array(REFERENCE_BINS);
  for (let t = 0; t < frames; t++) {
    for (let n = 0; n < N_FFT; n++) frame[n] = reflect(audio, t * HOP - 187 + n) * hann[n]!;
    for (let k = 0; k < REFERENCE_BINS; k++) {
      let re = 0;
      let im = 0;
      for (let n = 0; n < N_FFT; n++) {
        re += frame[n]! * dftCos[k * N_FFT + n]!;
        im -= frame[n]! * dftSin[k * N_FFT + n]!;
      }
      power[k] = re * re + im * im;
    }
    referenceFilters.forEach((w, m) => {
      const p = w.reduce((sum, wk, k) => sum + wk * power[k]!, 0);
      out[t * BANDS + m] = 10 * Math.log10(Math.max(p, 1e-10));
    });
  }
  const floor = out.reduce((a, b) => Math.max(a, b)) - 80;
  return out.map((v) => Math.max(v, floor));
}

function tone(hz: number, seconds: number, amplitude = 0.5): Float32Array {
  return Float32Array.from({ length: seconds * RATE }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / RATE));
}

/** A speech-like test clip: ten 0.6 s chirps of different pitch and loudness in faint noise. */
function chirpClip(): Float32Array {
  const rng = new RandomState(5);
  const audio = Float32Array.from(rng.randomArray(CLIP), (u) => (u - 0.5) * 2 ** -9);
  for (let d = 0; d < 10; d++) {
    const start = 4000 + d * 11_500;
    const f0 = 150 + 320 * d;
    for (let i = 0; i < 4800; i++) {
      const t = i / RATE;
      const envelope = Math.sin((Math.PI * i) / 4800) ** 2 * (0.1 + 0.08 * d);
      audio[start + i]! += envelope * Math.sin(2 * Math.PI * (f0 * t + 400 * t * t));
    }
  }
  return audio;
}

function argmax(values: ArrayLike<number>, from: number, count: number): number {
  let best = 0;
  for (let i = 1; i < count; i++) if (values[from + i]! > values[from + best]!) best = i;
  return best;
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n;
    mb += b[i]! / n;
  }
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('melSpectrogram', () => {
  it('frames 15 s at 8 kHz into 642 centred frames of 64 bands, time-major', () => {
    expect(melSpectrogramShape(CLIP)).toEqual([642, 64]);
    // torch's count 1 + (L + 2·187 − 375) // 187: one frame fewer than L // 187 + 1 when 187 divides L.
    expect(melSpectrogramShape(187 * 10)).toEqual([10, 64]);
    // 16 kHz, 32 bands: frames of int(2 · 1.5 · 16000 / 32) = 1500 samples every 750.
    expect(melSpectrogramShape(16_000, { sampleRate: 16_000, melBands: 32 })).toEqual([22, 32]);
    const out = melSpectrogram(tone(1000, 15));
    expect(out).toBeInstanceOf(Float32Array);
    expect(out.length).toBe(642 * 64);
  });

  it("equals Meyda's own melBands on each zero-padded 375-sample Hann frame (rescaled by 375/512)", () => {
    const audio = chirpClip();
    const ours = melSpectrogram(audio);
    const floor = ours.reduce((a, b) => Math.max(a, b)) - 80;
    const meyda = createRequire(import.meta.url)('meyda');
    Object.assign(meyda, { sampleRate: RATE, bufferSize: 512, melBands: BANDS, windowingFunction: 'rect', melFilterBank: undefined });
    let worst = 0;
    for (let t = 0; t < 642; t += 7) {
      const frame = new Float32Array(512);
      for (let n = 0; n < N_FFT; n++) frame[n] = reflect(audio, t * HOP - 187 + n) * hann[n]!;
      const logged = meyda.extract('melBands', frame) as number[];
      logged.forEach((v, m) => {
        const db = Math.max(10 * Math.log10(Math.max((Math.expm1(v) * 375) / 512, 1e-10)), floor);
        worst = Math.max(worst, Math.abs(db - ours[t * BANDS + m]!));
      });
    }
    // Meyda computes in float32; a dB error of 1e-3 is a relative power error of 2e-4.
    expect(worst).toBeLessThan(1e-3);
  });

  it("puts a tone's peak in the reference's mel band, or (where Meyda's corners are floored to bins) a neighbour", () => {
    let exact = 0;
    let tones = 0;
    const far: string[] = [];
    for (let hz = 60; hz < 4000; hz += 40) {
      const audio = tone(hz, 0.1);
      const [ours, reference] = [melSpectrogram(audio), referenceMelSpectrogram(audio)];
      const offset = argmax(ours, 2 * BANDS, BANDS) - argmax(reference, 2 * BANDS, BANDS);
      tones++;
      if (offset === 0) exact++;
      else if (Math.abs(offset) > 1) far.push(`${hz} Hz: ${offset} bands`);
    }
    expect(far).toEqual([]);
    // Measured: 91 of 99.
    expect(exact / tones).toBeGreaterThan(0.85);
  });

  it('stays within a few dB of the reference filters on a speech-like clip', () => {
    const audio = chirpClip();
    const ours = melSpectrogram(audio);
    const reference = referenceMelSpectrogram(audio);
    expect(ours.length).toBe(reference.length);
    const signed = ours.map((v, i) => v - reference[i]!);
    const diff = signed.map(Math.abs).sort();
    const mean = (values: Float32Array): number => values.reduce((s, v) => s + v, 0) / values.length;
    // Measured: r = 0.9965; |difference| mean 0.32 dB, median 0.12, 99th percentile 2.9, max 15.3
    // (a band edge next to a loud chirp); mean signed difference +0.04 dB (+1.4 without the 375/512 rescale).
    expect(correlation(ours, reference)).toBeGreaterThan(0.99);
    expect(mean(diff)).toBeLessThan(0.5);
    expect(diff[Math.floor(diff.length * 0.99)]!).toBeLessThan(4);
    expect(Math.abs(mean(signed))).toBeLessThan(0.2);
  });
});
