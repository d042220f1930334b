import { computeSeed, RandomState } from '@sparling/random';
import { describe, expect, it } from 'vitest';
import { createDomain, DigitCircle, DIGIT_STAMPS, END_TOKEN, START_TOKEN } from '../src/index.js';
import { combinedSha, imageSha, onPixels, range, vectors } from './helpers.js';

const domain = new DigitCircle();

describe('DigitCircle: spec 3.6 test vectors', () => {
  it('draws Figure 1 from RandomState(6)', () => {
    const s = domain.sampleRaw(6);
    expect(s.label).toEqual(['0', '7', '2', '6', '3', '4']);
    expect(onPixels(s)).toBe(1696);
    // Spec rows/cols are inclusive; footprints here end exclusively.
    expect(s.motifs.map((m) => [m.symbol, m.footprint.start, m.footprint.end])).toEqual([
      ['4', [38, 14], [50, 22]],
      ['0', [73, 30], [85, 39]],
      ['7', [69, 68], [81, 76]],
      ['2', [45, 80], [57, 88]],
      ['6', [16, 68], [28, 76]],
      ['3', [8, 47], [20, 56]],
    ]);
    // Rounded circle points plus the jitters of the spec.
    expect(s.motifs.map((m) => m.position)).toEqual([
      [42 + 2, 17 + 1],
      [78 + 1, 36 - 2],
      [72 + 3, 72 + 0],
      [53 - 2, 83 + 1],
      [22 + 0, 70 + 2],
      [15 - 1, 49 + 2],
    ]);
  });

  it('draws training seed 1, items 0–2', () => {
    const got = [0, 1, 2].map((i) => domain.sample(1, i));
    expect(got.map((s) => s.label.join(' '))).toEqual(['1 7 4 2 9', '1 9 3 4 8 7', '0 2 7']);
    expect(got.map(onPixels)).toEqual([1732, 1660, 1638]);
  });

  it('has the reference mean pixel value of about 0.168', () => {
    let sum = 0;
    for (let i = 0; i < 200; i++) sum += onPixels(domain.sampleRaw(i)) / 10_000;
    expect(sum / 200).toBeCloseTo(0.168, 2);
  });
});

describe('DigitCircle: bit for bit against numpy', () => {
  it.each(Object.entries(vectors.items))('%s', (name, expected) => {
    const [kind, a, , b] = name.split(' ');
    const s = kind === 'raw' ? domain.sampleRaw(Number(a)) : domain.sample(Number(a), Number(b));
    if (expected.rngSeed !== undefined) expect(computeSeed(Number(a), Number(b))).toBe(expected.rngSeed);
    expect(s.label).toEqual(expected.label);
    expect(s.motifs).toEqual(expected.motifs);
    expect(onPixels(s)).toBe(expected.on);
    expect(imageSha(s)).toBe(expected.sha);
  });

  it('matches RandomState(0..999) and seed 1 items 0..499 as a whole', () => {
    expect(combinedSha(range(1000, (i) => domain.sampleRaw(i)))).toBe(vectors.combined['raw 0..999']);
    expect(combinedSha(range(500, (i) => domain.sample(1, i)))).toBe(vectors.combined['seed 1 index 0..499']);
  });

  it('matches a reduced 48-pixel canvas with 3–4 digits, and the noise-free domain', () => {
    const small = createDomain('digit-circle', vectors.small.options);
    const s = small.sampleRaw(3);
    expect(s.shape).toEqual([48, 48, 1]);
    expect([s.label, s.motifs, imageSha(s)]).toEqual([vectors.small['raw 3'].label, vectors.small['raw 3'].motifs, vectors.small['raw 3'].sha]);
    expect(combinedSha(range(300, (i) => small.sampleRaw(i)))).toBe(vectors.combined['small raw 0..299']);
    const clean = new DigitCircle({ preNoise: 0, postNoise: 0 });
    expect(combinedSha(range(300, (i) => clean.sampleRaw(i)))).toBe(vectors.combined['no noise raw 0..299']);
  });
});

describe('DigitCircle: structure', () => {
  it('describes itself as a Domain', () => {
    expect(domain.name).toBe('digit-circle');
    expect(domain.inputShape).toEqual([100, 100, 1]);
    expect(domain.vocabulary).toEqual([START_TOKEN, END_TOKEN, '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(domain.motifSymbols).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(domain.maxLabelLength).toBe(6);
    expect(domain.options).toEqual({ size: 100, minRadius: 20, jitter: 3, minDigits: 3, maxDigits: 6, preNoise: 0.5, postNoise: 0.05 });
  });

  it('computes the theoretical minimum density of spec 2.4 (4.492 digits over RandomState(0..999))', () => {
    expect(domain.minimumDensity).toBeCloseTo(4.492e-5, 15);
    expect(new DigitCircle({ size: 48, minRadius: 8, jitter: 1, maxDigits: 4 }).minimumDensity * 48 * 48 * 10).toBeCloseTo(3.5, 1);
  });

  it('holds the ten stamps of spec 3.2', () => {
    const stamps = Object.values(DIGIT_STAMPS);
    expect(Object.keys(DIGIT_STAMPS)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(stamps.every((s) => s.height === 12 && s.width >= 7 && s.width <= 9)).toBe(true);
    const meanInk = stamps.reduce((sum, s) => sum + s.pixels.reduce((n, p) => n + p, 0) / s.pixels.length, 0) / stamps.length;
    expect(meanInk).toBe(0.250380291005291);
  });

  it('reads the label counter-clockwise from the smallest digit, and footprints include the 1-pixel margin', () => {
    for (let i = 0; i < 50; i++) {
      const s = domain.sample(2, i);
      const placed = s.motifs.map((m) => m.symbol);
      const first = placed.indexOf([...placed].sort()[0]!);
      expect(s.label).toEqual([...placed.slice(first), ...placed.slice(0, first)]);
      expect(new Set(placed).size).toBe(placed.length);
      for (const m of s.motifs) {
        const stamp = DIGIT_STAMPS[m.symbol]!;
        expect(m.footprint.start).toEqual([m.position[0]! - 6, m.position[1]! - (stamp.width >> 1)]);
        expect(m.footprint.end).toEqual([m.footprint.start[0]! + 12, m.footprint.start[1]! + stamp.width]);
      }
    }
  });

  it('draws from a given RandomState, advancing it', () => {
    const rng = new RandomState(6);
    expect(imageSha(domain.sampleFrom(rng))).toBe(imageSha(domain.sampleRaw(6)));
    expect(domain.sampleFrom(rng).label).not.toEqual([]);
  });
});

describe('DigitCircle: validation', () => {
  it('says why a circle does not fit', () => {
    expect(() => new DigitCircle({ size: 48 })).toThrow(
      'DigitCircle: options.minRadius: expected an integer in [0, 8] so the circle fits (radius < floor(size / 2) − jitter − 12 = 9), received 20',
    );
    expect(() => new DigitCircle({ size: 30, minRadius: 0 })).toThrow('DigitCircle: options.jitter: expected less than floor(size / 2) − 12 = 3 so a circle fits a 30-pixel canvas, received 3');
    expect(new DigitCircle({ size: 26, minRadius: 0, jitter: 0, minDigits: 1, maxDigits: 1 }).sampleRaw(0).motifs[0]!.position).toEqual([13, 13]);
  });
  it('names bad options', () => {
    expect(() => new DigitCircle({ maxDigits: 11 })).toThrow('DigitCircle: options.maxDigits: expected an integer in [1, 10], received 11');
    expect(() => new DigitCircle({ minDigits: 7 })).toThrow('DigitCircle: options.minDigits: expected an integer in [1, 6] (maxDigits), received 7');
    expect(() => new DigitCircle({ preNoise: 2 })).toThrow('DigitCircle: options.preNoise: expected a number in [0, 1], received 2');
    expect(() => new DigitCircle({ size: 100.5 })).toThrow('DigitCircle: options.size: expected an integer in [26, 10000], received 100.5');
    expect(() => new DigitCircle({ radius: 3 } as object)).toThrow('DigitCircle: options.radius: expected one of the options size, minRadius, jitter, minDigits, maxDigits, preNoise, postNoise, received "radius"');
  });
  it('names bad seeds and indices', () => {
    expect(() => domain.sample(1, -1)).toThrow('DigitCircle.sample: index: expected a non-negative safe integer, received -1');
    expect(() => domain.sample(0.5, 0)).toThrow('DigitCircle.sample: seed: expected a safe integer, received 0.5');
    expect(() => domain.sampleRaw(-1)).toThrow('DigitCircle.sampleRaw: rngSeed: expected an integer in [0, 4294967295], received -1');
    expect(() => domain.sampleFrom({} as RandomState)).toThrow('DigitCircle.sampleFrom: rng: expected a RandomState from @sparling/random, received an object');
  });
});
