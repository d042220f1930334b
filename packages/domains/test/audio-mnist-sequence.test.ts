import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeSeed, RandomState } from '@sparling/random';
import { encodePng } from '@sparling/raster';
import { describe, expect, it } from 'vitest';
import { AudioMnistSequence, normalCdf, normalQuantile, type AudioMnistSequenceSample } from '../src/audio-mnist-sequence.js';
import { LATEX_VOCABULARY } from '../src/latex-grammar.js';
import { melSpectrogram } from '../src/mel-spectrogram.js';
import { renderSpectrogram, writeSpectrogramPng } from '../src/render-spectrogram.js';
import { AUDIO_MNIST_SPEAKER_FOLDERS } from '../src/audio-mnist-folder.js';
import { TEST_SPEAKERS, type SpeechSource } from '../src/speech-source.js';
import { pngPixels } from './helpers.js';

const CLIP = 120_000;
const FRAMES = 642;
const SIGMA = 2 ** -10;
/** Standard deviation of truncnorm(−1, 1): √(1 − 2φ(1)/(2Φ(1) − 1)) (scipy's truncnorm(-1, 1).std()). */
const TRUNCNORM_STD = 0.5395600937548968;

/**
 * A deterministic stand-in for AudioMNIST: digit d by speaker s has 1 + (7d + 3s) mod 5 takes;
 * take t lasts 2400 + 400d + 37s + 101t samples (0.3–0.9 s), a Hann-shaped tone of 300 + 250d Hz.
 * It records the speakers it is asked about.
 */
class FakeSpeech implements SpeechSource {
  readonly sampleRate = 8000;
  readonly speakers = 60;
  readonly asked = new Set<number>();
  private readonly cache = new Map<string, Float32Array>();

  takes(digit: number, speaker: number): number {
    this.asked.add(speaker);
    return 1 + ((7 * digit + 3 * speaker) % 5);
  }

  recording(digit: number, speaker: number, take: number): Float32Array {
    const key = `${digit}/${speaker}/${take}`;
    let audio = this.cache.get(key);
    if (audio === undefined) {
      const length = 2400 + 400 * digit + 37 * speaker + 101 * take;
      const hz = 300 + 250 * digit;
      audio = Float32Array.from({ length }, (_, i) => 0.3 * Math.sin((Math.PI * i) / length) ** 2 * Math.sin((2 * Math.PI * hz * i) / 8000));
      this.cache.set(key, audio);
    }
    return audio;
  }
}

const speech = new FakeSpeech();
const domain = new AudioMnistSequence({}, speech);

/**
 * The reference's draws on {@link FakeSpeech}, printed under numpy 2.4 / scipy 1.17 by:
 * ```python
 * def clip(seed, speaker_set, n=120000):
 *     rng = np.random.RandomState(seed)
 *     count = rng.randint(5, 11); digits = rng.choice(10, size=count); picks = []
 *     for d in digits:
 *         speaker = rng.choice(speaker_set)
 *         picks.append((d, speaker, rng.choice(list(range(takes(d, speaker))))))
 *     lens = [length(*p) for p in picks]
 *     while True:
 *         s = np.sort(rng.choice(n, size=count)); gaps = list(s[1:] - s[:-1]) + [n - s[-1]]
 *         if all(g >= l for g, l in zip(gaps, lens)): break
 *     z = truncnorm(-1, 1, scale=2**-10).rvs(n, random_state=rng)
 *     # noise: z[0], z[1], z[n // 2], z[-1]; next: rng.randint(0, 2**31)
 * ```
 */
const REFERENCE = [
  {
    seed: 3993328244, // computeSeed(1, 0)
    speakers: 'train',
    digits: [6, 5, 6, 5, 1, 3, 2, 8, 1, 9],
    speakerIds: [5, 8, 2, 18, 8, 45, 45, 19, 28, 42],
    takes: [0, 3, 2, 4, 0, 1, 4, 1, 1, 2],
    starts: [2488, 22170, 28148, 34632, 52307, 67329, 82341, 95980, 104559, 109122],
    noise: [0.00035891975850685647, 6.3453275285256e-5, 5.656518370821462e-5, 8.204134549856123e-5],
    next: 1076583555,
  },
  {
    seed: 7,
    speakers: 'train',
    digits: [9, 6, 3, 3, 7, 7, 9, 7, 8],
    speakerIds: [26, 43, 9, 39, 49, 8, 1, 7, 20],
    takes: [0, 0, 3, 0, 1, 0, 1, 0, 0],
    starts: [589, 16725, 36615, 55392, 67488, 90530, 96029, 102514, 110070],
    noise: [0.0004077164594102032, 0.0009613531093967093, 3.0409710154261303e-5, -0.0004430485014035332],
    next: 1342159205,
  },
  {
    seed: 3,
    speakers: 'test',
    digits: [8, 9, 3, 8, 8, 0, 5],
    speakerIds: [55, 57, 56, 59, 60, 53, 58],
    takes: [0, 0, 4, 2, 0, 2, 2],
    starts: [3730, 34999, 47253, 55621, 83457, 92646, 104264],
    noise: [-0.0002947521920730732, 0.0001407447760089061, 0.0008450026387594284, 0.0008207012990520618],
    next: 803765742,
  },
] as const;

/** The clip without noise, rebuilt from the placements. */
function cleanClip(item: AudioMnistSequenceSample): Float32Array {
  const clip = new Float32Array(item.audio.length);
  for (const p of item.placements) clip.set(speech.recording(p.digit, p.speaker, p.take), p.start);
  return clip;
}

const sha = (values: Float32Array): string => createHash('sha256').update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).digest('hex');

describe('AudioMnistSequence draws', () => {
  it.each(REFERENCE)("makes the reference's RandomState calls in its order (RandomState($seed), $speakers speakers)", (ref) => {
    const rng = new RandomState(ref.seed);
    const item = new AudioMnistSequence({ speakers: ref.speakers }, speech).sampleFrom(rng);
    expect(item.placements.map((p) => p.digit)).toEqual(ref.digits);
    expect(item.placements.map((p) => p.speaker)).toEqual(ref.speakerIds);
    expect(item.placements.map((p) => p.take)).toEqual(ref.takes);
    expect(item.placements.map((p) => p.start)).toEqual(ref.starts);
    expect(item.label).toEqual(ref.digits.map(String));
    // The noise: x = clip + noise rounded to float32, scipy's values to a few ulps.
    const clip = cleanClip(item);
    [0, 1, CLIP / 2, CLIP - 1].forEach((k, i) => {
      const exact = clip[k]! + ref.noise[i]!;
      expect(Math.abs(item.audio[k]! - exact)).toBeLessThanOrEqual(Math.abs(exact) * 2 ** -23);
    });
    // Nothing else was drawn: the generator continues where numpy's does.
    expect(rng.randint(0, 2 ** 31)).toBe(ref.next);
  });

  it('sample(seed, index) is RandomState(computeSeed(seed, index)), reproducibly', () => {
    const a = domain.sample(1, 0);
    expect(a.placements.map((p) => p.start)).toEqual(REFERENCE[0].starts);
    const b = new AudioMnistSequence({}, new FakeSpeech()).sample(1, 0);
    expect(sha(b.input)).toBe(sha(a.input));
    expect(sha(b.audio)).toBe(sha(a.audio));
    expect(sha(domain.sampleRaw(computeSeed(1, 0)).input)).toBe(sha(a.input));
    expect(sha(domain.sample(1, 1).input)).not.toBe(sha(a.input));
    expect(sha(domain.sample(2, 0).input)).not.toBe(sha(a.input));
    // Sequential draws continue one generator.
    const rng = new RandomState(7);
    expect(sha(domain.sampleFrom(rng).input)).toBe(sha(domain.sampleRaw(7).input));
    expect(sha(domain.sampleFrom(rng).input)).not.toBe(sha(domain.sampleRaw(7).input));
  });

  it('places every recording whole, inside the clip, in time order, without overlap', () => {
    for (let i = 0; i < 20; i++) {
      const item = domain.sample(3, i);
      const { placements, audio } = item;
      expect(placements.length).toBeGreaterThanOrEqual(5);
      expect(placements.length).toBeLessThanOrEqual(10);
      placements.forEach((p, k) => {
        const end = k + 1 < placements.length ? placements[k + 1]!.start : CLIP;
        expect(p.start).toBeGreaterThanOrEqual(0);
        expect(p.start + p.length).toBeLessThanOrEqual(end);
        expect(p.length).toBe(speech.recording(p.digit, p.speaker, p.take).length);
      });
      // Outside the recordings only noise, within ±σ; inside, the recording plus that noise.
      const clip = cleanClip(item);
      let worst = 0;
      for (let k = 0; k < CLIP; k++) worst = Math.max(worst, Math.abs(audio[k]! - clip[k]!));
      expect(worst).toBeLessThanOrEqual(SIGMA * (1 + 1e-6));
      expect(worst).toBeGreaterThan(SIGMA * 0.99);
    }
  });

  it('derives footprints in frames as spec 5.3: f0 = s·642 // 120000, ℓ = len·642 // 120000', () => {
    const item = domain.sample(1, 5);
    expect(item.motifs).toHaveLength(item.placements.length);
    item.placements.forEach((p, i) => {
      const f0 = Math.floor((p.start * FRAMES) / CLIP);
      const span = Math.floor((p.length * FRAMES) / CLIP);
      expect(item.motifs[i]).toEqual({ symbol: String(p.digit), position: [f0 + Math.floor(span / 2)], footprint: { start: [f0], end: [f0 + span] } });
    });
    // The label is the motifs' symbols in time order.
    expect(item.motifs.map((m) => m.symbol)).toEqual(item.label);
  });

  it("draws only the split's speakers: 52–60 for 'test', never them for 'train'", () => {
    for (const speakers of ['test', 'train'] as const) {
      const source = new FakeSpeech();
      const split = new AudioMnistSequence({ speakers }, source);
      for (let i = 0; i < 200; i++) split.sample(-2, i);
      const asked = [...source.asked].sort((a, b) => a - b);
      if (speakers === 'test') expect(asked).toEqual([52, 53, 54, 55, 56, 57, 58, 59, 60]);
      else expect(asked).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    }
  });

  it("by seed (the default), as the reference's datasets: test speakers for the test seed −2 only, so evaluation never hears a training speaker", () => {
    const heard = (seed: number | 'raw'): number[] => {
      const source = new FakeSpeech();
      const domain = new AudioMnistSequence({}, source);
      for (let i = 0; i < 200; i++) if (seed === 'raw') domain.sampleRaw(i); else domain.sample(seed, i);
      return [...source.asked].sort((a, b) => a - b);
    };
    expect(heard(-2)).toEqual([...TEST_SPEAKERS]);
    const training = Array.from({ length: 51 }, (_, i) => i + 1);
    for (const seed of [1, 9, -1, 'raw'] as const) expect(heard(seed)).toEqual(training);
    // The logical test speakers are AudioMNIST's folders 1, 4, 10, 20, 40, 45, 48, 54, 56 and no training speaker's.
    const folders = (speakers: readonly number[]) => new Set(speakers.map((k) => AUDIO_MNIST_SPEAKER_FOLDERS[k - 1]));
    expect(folders(TEST_SPEAKERS)).toEqual(new Set([1, 4, 10, 20, 40, 45, 48, 54, 56]));
    for (const f of folders(training)) expect(folders(TEST_SPEAKERS).has(f)).toBe(false);
  });

  it('computes the input as the 642 × 64 mel spectrogram of the audio', () => {
    const item = domain.sample(1, 0);
    expect(item.shape).toEqual([642, 64]);
    expect(item.audio).toHaveLength(CLIP);
    expect(sha(item.input)).toBe(sha(melSpectrogram(item.audio)));
  });
});

describe('AudioMnistSequence noise', () => {
  it('is truncnorm(−1, 1) scaled by 2^noise: bounded by σ, std 0.5396σ, 56.1% within ±σ/2', () => {
    let n = 0;
    let sum = 0;
    let squares = 0;
    let inner = 0;
    let worst = 0;
    for (let i = 0; i < 3; i++) {
      const item = domain.sample(4, i);
      const covered = new Uint8Array(CLIP);
      for (const p of item.placements) covered.fill(1, p.start, p.start + p.length);
      for (let k = 0; k < CLIP; k++) {
        if (covered[k]) continue;
        const z = item.audio[k]! / SIGMA;
        n++;
        sum += z;
        squares += z * z;
        if (Math.abs(z) <= 0.5) inner++;
        worst = Math.max(worst, Math.abs(z));
      }
    }
    const mean = sum / n;
    expect(n).toBeGreaterThan(200_000);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.sqrt(squares / n - mean * mean)).toBeCloseTo(TRUNCNORM_STD, 2);
    // (Φ(½) − Φ(−½)) / (Φ(1) − Φ(−1)) = 0.38292 / 0.68269.
    expect(inner / n).toBeCloseTo(0.5609, 2);
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('follows the noise option: σ = min(2^16, 2^noise)', () => {
    for (const [noise, sigma] of [[0, 1], [20, 2 ** 16], [-100, 2 ** -100]] as const) {
      const item = new AudioMnistSequence({ noise }, speech).sample(1, 0);
      // Item 1/0 starts its first digit at 2488: the first 2000 samples are noise only.
      const head = Array.from(item.audio.subarray(0, 2000), (v) => v / sigma);
      const rms = Math.sqrt(head.reduce((s, z) => s + z * z, 0) / head.length);
      expect(Math.max(...head.map(Math.abs))).toBeLessThanOrEqual(1);
      expect(rms).toBeCloseTo(TRUNCNORM_STD, 1);
    }
  });

  it('uses an accurate Φ and Φ⁻¹ (values from scipy.special.ndtr / ndtri)', () => {
    const cdf: [number, number][] = [
      [-7.5, 3.1908916729108844e-14],
      [-3, 0.0013498980316300933],
      [-1, 0.15865525393145707],
      [-0.5, 0.3085375387259869],
      [0.2, 0.579259709439103],
      [1, 0.8413447460685429],
      [2.5, 0.9937903346742238],
      [8, 0.9999999999999993],
    ];
    // x/√2 is rounded, and in the lower tail Φ's relative sensitivity to x grows as x².
    for (const [x, p] of cdf) expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(Math.max(4e-16, x * x * 2.5e-16));
    const quantiles: [number, number][] = [
      [1e-300, -37.0470962993612],
      [1e-20, -9.262340089798409],
      [0.01, -2.3263478740408408],
      [0.07, -1.4757910281791706],
      [0.3, -0.5244005127080409],
      [0.6, 0.2533471031357997],
      [0.975, 1.959963984540054],
      [0.999, 3.090232306167813],
      [1 - 1e-12, 7.0344869100478356],
    ];
    for (const [p, x] of quantiles) expect(Math.abs(normalQuantile(p) - x) / Math.abs(x)).toBeLessThan(5e-16);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    for (const p of [0.1586552539314571, 0.42, 0.8413447460685429]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 15);
    expect(() => normalQuantile(1.5)).toThrow('normalQuantile: p: expected a probability in [0, 1], received 1.5');
  });
});

describe('AudioMnistSequence domain', () => {
  it("has the paper's shape, vocabulary, motifs and minimum density", () => {
    expect(domain.name).toBe('audio-mnist-sequence');
    expect(domain.inputShape).toEqual([642, 64]);
    expect(domain.vocabulary).toBe(LATEX_VOCABULARY);
    expect(domain.vocabulary).toHaveLength(28);
    expect(domain.motifSymbols).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(domain.maxLabelLength).toBe(10);
    // Spec 2.4: 7.5 / (642 · 10) = 1.16822e-3.
    expect(domain.minimumDensity).toBeCloseTo(1.16822e-3, 8);
    const short = new AudioMnistSequence({ clipSeconds: 5, minDigits: 2, maxDigits: 4, melBands: 32 }, speech);
    // 32 bands: frames of int(2 · 1.5 · 8000 / 32) = 750 samples every 375, 1 + 40000 // 375 of them.
    expect(short.inputShape).toEqual([107, 32]);
    expect(short.minimumDensity).toBe(3 / (short.inputShape[0]! * 10));
    expect(short.maxLabelLength).toBe(4);
    expect(short.sample(1, 0).label.length).toBeLessThanOrEqual(4);
  });

  it('keeps its options as plain JSON, with the defaults filled in', () => {
    expect(new AudioMnistSequence({ speech: '/data/AudioMNIST' }).options).toEqual({
      speech: '/data/AudioMNIST',
      speakers: 'by-seed',
      clipSeconds: 15,
      minDigits: 5,
      maxDigits: 10,
      noise: -10,
      sampleRate: 8000,
      melBands: 64,
    });
    const copy = new AudioMnistSequence(JSON.parse(JSON.stringify(domain.options)), new FakeSpeech());
    expect(sha(copy.sample(1, 3).input)).toBe(sha(domain.sample(1, 3).input));
  });

  it('rejects bad options, naming the option, the value and what was expected', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ speech: '/x', speed: 2 }, 'AudioMnistSequence: options.speed: expected one of the options speech, speakers, clipSeconds, minDigits, maxDigits, noise, sampleRate, melBands, received "speed"'],
      [{}, 'AudioMnistSequence: options.speech: expected the path of the AudioMNIST data folder (or a SpeechSource as the second constructor argument), received null'],
      [{ speech: 3 }, 'options.speech: expected the path of the AudioMNIST data folder (or a SpeechSource as the second constructor argument), received 3'],
      [{ speech: '/x', speakers: 'dev' }, "options.speakers: expected 'train' (speakers 1–51), 'test' (52–60) or 'by-seed' (test speakers for seed −2 only), received \"dev\""],
      [{ speech: '/x', sampleRate: 16_000 }, 'options.sampleRate: expected 8000, the rate the reference reads AudioMNIST at, received 16000'],
      [{ speech: '/x', clipSeconds: 1.00001 }, 'options.clipSeconds: expected a number of seconds in [1, 600] that is a whole number of samples at 8000 Hz, received 1.00001'],
      [{ speech: '/x', minDigits: 6, maxDigits: 5 }, 'options.minDigits: expected an integer in [1, 5] (maxDigits), received 6'],
      [{ speech: '/x', melBands: 200 }, 'options.melBands: expected an integer in [16, 128], received 200'],
      [{ speech: '/x', noise: Number.NaN }, 'options.noise: expected a finite number (log2 of the noise scale), received NaN'],
    ];
    for (const [options, message] of bad) expect(() => new AudioMnistSequence(options)).toThrow(message);
    expect(() => new AudioMnistSequence({}, { takes: 3 } as unknown as SpeechSource)).toThrow('AudioMnistSequence: source: expected a SpeechSource (sampleRate, speakers, takes, recording), received an object');
    expect(() => domain.sample(1.5, 0)).toThrow('AudioMnistSequence.sample: seed: expected a safe integer, received 1.5');
    expect(() => domain.sampleRaw(-1)).toThrow('AudioMnistSequence.sampleRaw: rngSeed: expected an integer in [0, 4294967295], received -1');
  });

  it('says which digit and speaker have no takes, and checks the source against the options', () => {
    const missing = new (class extends FakeSpeech {
      override takes(digit: number, speaker: number): number {
        return digit === 6 && speaker === 5 ? 0 : super.takes(digit, speaker);
      }
    })();
    // Item 1/0 draws digit 6 from speaker 5 first.
    expect(() => new AudioMnistSequence({}, missing).sample(1, 0)).toThrow(
      'AudioMnistSequence.sampleFrom: source.takes(6, 5): expected at least one recording of digit 6 by logical speaker 5, received 0',
    );
    const long = new (class extends FakeSpeech {
      override recording(): Float32Array {
        return new Float32Array(20_000);
      }
    })();
    expect(() => new AudioMnistSequence({}, long).sample(1, 0)).toThrow(
      'AudioMnistSequence.sampleFrom: recordings: expected at most 120000 samples in all, to fit the clip without overlap, received 10 recordings of 200000 samples',
    );
    const few = Object.assign(new FakeSpeech(), { speakers: 51 });
    expect(() => new AudioMnistSequence({ speakers: 'test' }, few).sample(1, 0)).toThrow(
      "AudioMnistSequence: source.speakers: expected at least 60, since speakers 'test' uses logical speakers up to 60, received 51",
    );
    const fast = Object.assign(new FakeSpeech(), { sampleRate: 16_000 });
    expect(() => new AudioMnistSequence({}, fast).sample(1, 0)).toThrow('AudioMnistSequence: source.sampleRate: expected 8000 (options.sampleRate), received 16000');
  });
});

describe('renderSpectrogram', () => {
  const item = domain.sample(1, 0);
  const rgb = (image: ReturnType<typeof renderSpectrogram>, x: number, y: number): string =>
    `#${image.getPixel(x, y).map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  /** Scale 2: 16-pixel margin, 14-pixel title, 10 + 18 pixels to the spectrogram. */
  const LEFT = 16;
  const TOP = 16 + 14 + 10 + 18;

  it('draws time to the right and low bands at the bottom, loud dark, with a box per footprint', () => {
    const image = renderSpectrogram(item, { scale: 2 });
    expect([image.width, image.height]).toEqual([642 * 2 + 32, TOP + 128 + 16]);
    // The first digit is a 6: an 1800 Hz tone (mel band 42 of 64), loud in the middle of its span.
    const six = item.motifs[0]!;
    const frame = six.position[0]!;
    const bandOf = (b: number): number => TOP + (63 - b) * 2;
    const loudest = Array.from({ length: 64 }, (_, b) => item.input[frame * 64 + b]!).reduce((best, v, b, all) => (v > all[best]! ? b : best), 0);
    expect(loudest).toBeGreaterThan(32);
    const dark = (hex: string): number => parseInt(hex.slice(1, 3), 16);
    expect(dark(rgb(image, LEFT + frame * 2 + 1, bandOf(loudest)))).toBeLessThan(80);
    expect(dark(rgb(image, LEFT + frame * 2 + 1, bandOf(2)))).toBeGreaterThan(200);
    // Its box is in digit 6's colour (render-sample's palette), at the footprint's first frame.
    expect(rgb(image, LEFT + six.footprint.start[0]! * 2, TOP + 60)).toBe('#e377c2');
    expect(rgb(image, LEFT + six.footprint.start[0]! * 2, TOP - 3)).toBe('#e377c2');
    const plain = renderSpectrogram(item, { scale: 2, footprints: false });
    expect(plain.height).toBe(image.height - 18);
    const dotted = renderSpectrogram(item, { predicted: [{ channel: 0, position: [frame], value: 1 }] });
    expect(dotted.height).toBeGreaterThan(image.height);
    expect(() => renderSpectrogram(item, { scale: 0 })).toThrow('renderSpectrogram: options.scale: expected an integer in [1, 16], received 0');
  });

  it('writes a PNG file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'domains-')), 'spectrogram.png');
    await writeSpectrogramPng(path, item, { title: 'seed 1, item 0' });
    expect(pngPixels(readFileSync(path)).equals(pngPixels(encodePng(renderSpectrogram(item, { title: 'seed 1, item 0' }))))).toBe(true);
  });
});
