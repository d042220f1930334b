import { RandomState } from '@sparling/random';
import { DIGIT_STAMPS, type Stamp } from './digit-circle-stamps.js';
import { END_TOKEN, START_TOKEN, type Domain, type Motif, type Sample } from './domain.js';
import { fail } from '@sparling/errors';
import { itemRandomState, rawRandomState } from './internal/item-random-state.js';
import { withDefaults } from './internal/options.js';

/**
 * Options of {@link DigitCircle}; the defaults are the paper's (spec 3.1). The circle must fit:
 * `minRadius < floor(size / 2) − (jitter + 12)`, 12 being the tallest stamp.
 *
 * @example
 * ```ts
 * // A reduced canvas for quick CPU runs: 48 × 48, three or four digits.
 * const small: DigitCircleOptions = { size: 48, minRadius: 8, jitter: 1, minDigits: 3, maxDigits: 4 };
 * ```
 */
export interface DigitCircleOptions {
  /** Side of the square image in pixels; default 100. */
  readonly size?: number;
  /** Smallest circle radius in pixels; default 20. Radii are drawn from [minRadius, floor(size/2) − jitter − 12). */
  readonly minRadius?: number;
  /** Each digit moves by up to this many pixels along each axis (the reference's `random_shift`); default 3. */
  readonly jitter?: number;
  /** Fewest digits per image; default 3. */
  readonly minDigits?: number;
  /** Most digits per image (the reference's `max_syms`), at most 10 since digits are distinct; default 6. */
  readonly maxDigits?: number;
  /**
   * Noise before stamping, as a fraction of the stamps' mean ink density (0.2504): each pixel
   * is switched on with probability 0.2504 × preNoise; default 0.5.
   */
  readonly preNoise?: number;
  /** Probability of flipping each pixel after stamping; default 0.05. */
  readonly postNoise?: number;
}

/** {@link DigitCircleOptions} with every default filled in. */
export type ResolvedDigitCircleOptions = { readonly [K in keyof DigitCircleOptions]-?: number };

const DIGITS = Object.keys(DIGIT_STAMPS);
const STAMPS: readonly Stamp[] = DIGITS.map((d) => DIGIT_STAMPS[d]!);
/** `compute_max_size`: the largest stamp dimension (height or width) = 12. */
const MAX_STAMP_SIZE = Math.max(...STAMPS.flatMap((s) => [s.height, s.width]));
/** `compute_background_pct`: the mean of the stamps' ink fractions, 0.250380291005291. */
const BACKGROUND = STAMPS.reduce((sum, s) => sum + s.pixels.reduce((n, p) => n + p, 0) / s.pixels.length, 0) / STAMPS.length;
const TWO_PI = 2 * Math.PI;
/** The reference measured δ_min over `RandomState(0..999)`. */
const MINIMUM_DENSITY_SAMPLES = 1000;

const DEFAULTS: ResolvedDigitCircleOptions = { size: 100, minRadius: 20, jitter: 3, minDigits: 3, maxDigits: 6, preNoise: 0.5, postNoise: 0.05 };

function resolve(options: DigitCircleOptions): ResolvedDigitCircleOptions {
  const where = 'DigitCircle';
  const o = withDefaults<ResolvedDigitCircleOptions>(where, DEFAULTS, options);
  const integer = (key: keyof ResolvedDigitCircleOptions, min: number, max: number, why = ''): void => {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(where, `options.${key}`, `an integer in [${min}, ${max}]${why}`, v);
  };
  // The smallest canvas holding a circle: floor(size / 2) − 12 ≥ 1 with no jitter.
  integer('size', 2 * (MAX_STAMP_SIZE + 1), 10_000);
  integer('jitter', 0, o.size);
  const radiusEnd = Math.floor(o.size / 2) - (o.jitter + MAX_STAMP_SIZE);
  if (radiusEnd <= 0) {
    fail(where, 'options.jitter', `less than floor(size / 2) − ${MAX_STAMP_SIZE} = ${Math.floor(o.size / 2) - MAX_STAMP_SIZE} so a circle fits a ${o.size}-pixel canvas`, o.jitter);
  }
  integer('minRadius', 0, radiusEnd - 1, ` so the circle fits (radius < floor(size / 2) − jitter − ${MAX_STAMP_SIZE} = ${radiusEnd})`);
  integer('maxDigits', 1, DIGITS.length);
  integer('minDigits', 1, o.maxDigits, ' (maxDigits)');
  for (const key of ['preNoise', 'postNoise'] as const) {
    const v = o[key];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(where, `options.${key}`, 'a number in [0, 1]', v);
  }
  return Object.freeze(o);
}

/** Python/numpy `round` on a double: to the nearest integer, ties to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The paper's DigitCircle domain, bit for bit the reference's `StampCircleDomain`: 3–6
 * distinct digit stamps placed counter-clockwise on a random circle in a noisy 100 × 100
 * binary image; the output is the digits read counter-clockwise from the smallest. The
 * generator makes exactly the reference's numpy `RandomState` calls in the same order (spec
 * 3.3), so `sample(seed, index)` equals the reference's dataset item and `sampleRaw(i)` its
 * `RandomState(i)` draw.
 *
 * @example
 * ```ts
 * const domain = new DigitCircle();
 * const figure1 = domain.sampleRaw(6);
 * figure1.label; // ['0', '7', '2', '6', '3', '4']
 * figure1.motifs[0]; // { symbol: '4', position: [44, 18], footprint: { start: [38, 14], end: [50, 22] } }
 * ```
 */
export class DigitCircle implements Domain {
  readonly name = 'digit-circle';
  readonly options: ResolvedDigitCircleOptions;
  readonly inputShape: readonly number[];
  readonly vocabulary: readonly string[] = Object.freeze([START_TOKEN, END_TOKEN, ...DIGITS]);
  readonly motifSymbols: readonly string[] = Object.freeze([...DIGITS]);
  readonly maxLabelLength: number;
  private readonly radiusEnd: number;
  private readonly padding: number;
  private readonly noise: Float64Array;
  private density: number | undefined;

  constructor(options: DigitCircleOptions = {}) {
    this.options = resolve(options);
    const { size, jitter, maxDigits } = this.options;
    this.inputShape = Object.freeze([size, size, 1]);
    this.maxLabelLength = maxDigits;
    this.padding = jitter + MAX_STAMP_SIZE;
    this.radiusEnd = Math.floor(size / 2) - this.padding;
    this.noise = new Float64Array(size * size);
  }

  /**
   * Mean digits per image over `sampleRaw(0..999)` (as the reference measured it) divided by
   * size² positions × 10 channels: 4.492e-5 with the defaults. Computed on first use (~0.1 s).
   */
  get minimumDensity(): number {
    if (this.density === undefined) {
      let digits = 0;
      for (let seed = 0; seed < MINIMUM_DENSITY_SAMPLES; seed++) {
        const rng = new RandomState(seed);
        rng.fillRandom(this.noise);
        digits += this.drawCircle(rng).count;
      }
      const { size } = this.options;
      this.density = digits / MINIMUM_DENSITY_SAMPLES / (size * size * this.motifSymbols.length);
    }
    return this.density;
  }

  sample(seed: number, index: number): Sample {
    return this.sampleFrom(itemRandomState('DigitCircle.sample', seed, index));
  }

  sampleRaw(rngSeed: number): Sample {
    return this.sampleFrom(rawRandomState('DigitCircle.sampleRaw', rngSeed));
  }

  sampleFrom(rng: RandomState): Sample {
    if (!(rng instanceof RandomState)) fail('DigitCircle.sampleFrom', 'rng', 'a RandomState from @sparling/random', rng);
    const { size, jitter, preNoise, postNoise } = this.options;
    const image = new Float32Array(size * size);
    const noise = this.noise;

    // 1. Pre-noise: the image starts empty, so a flip switches the pixel on.
    rng.fillRandom(noise);
    const onProbability = BACKGROUND * preNoise;
    for (let k = 0; k < noise.length; k++) if (noise[k]! < onProbability) image[k] = 1;

    // 2–4. Circle, digit count, digits.
    const { radius, centre, count } = this.drawCircle(rng);
    const symbols = rng.choice(DIGITS, { size: count, replace: false });

    // 5. Angles: uniform gaps of at least 1/(2n) of a turn, from a random start.
    const angles = drawAngles(count, rng);

    // 6. Stamps, in placement order; each overwrites its whole bounding box.
    const motifs: Motif[] = symbols.map((symbol, i) => {
      const theta = angles[i]!;
      const row = roundHalfEven(centre[0] + radius * Math.cos(theta)) + rng.randint(-jitter, jitter + 1);
      const col = roundHalfEven(centre[1] + radius * Math.sin(theta)) + rng.randint(-jitter, jitter + 1);
      const stamp = DIGIT_STAMPS[symbol]!;
      const top = row - (stamp.height >> 1);
      const left = col - (stamp.width >> 1);
      for (let r = 0; r < stamp.height; r++) {
        const dst = (top + r) * size + left;
        for (let c = 0; c < stamp.width; c++) image[dst + c] = stamp.pixels[r * stamp.width + c]!;
      }
      return { symbol, position: [row, col], footprint: { start: [top, left], end: [top + stamp.height, left + stamp.width] } };
    });

    // 7. Post-noise flips every pixel, stamped or not, with probability postNoise.
    rng.fillRandom(noise);
    for (let k = 0; k < noise.length; k++) if (noise[k]! < postNoise) image[k] = 1 - image[k]!;

    // 8. The label starts from the smallest digit and keeps the counter-clockwise order.
    let first = 0;
    symbols.forEach((s, i) => {
      if (s < symbols[first]!) first = i;
    });
    const label = [...symbols.slice(first), ...symbols.slice(0, first)];
    return { input: image, shape: this.inputShape, label, motifs };
  }

  /** Spec 3.3 steps 2–3: `sample_circle` then the digit count. */
  private drawCircle(rng: RandomState): { radius: number; centre: [number, number]; count: number } {
    const { size, minRadius, minDigits, maxDigits } = this.options;
    const radius = rng.randint(minRadius, this.radiusEnd);
    const low = radius + this.padding;
    const high = size - radius - this.padding;
    const centre: [number, number] = [rng.randint(low, high), rng.randint(low, high)];
    const count = rng.randint(minDigits, maxDigits + 1);
    return { radius, centre, count };
  }
}

/** numpy's `a.sum()` for a short float64 array: sequential below 8 values, else 8 partial sums. */
function numpySum(values: Float64Array): number {
  const n = values.length;
  if (n < 8) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[i]!;
    return sum;
  }
  const r = values;
  let sum = (r[0]! + r[1]! + (r[2]! + r[3]!)) + (r[4]! + r[5]! + (r[6]! + r[7]!));
  for (let i = 8; i < n; i++) sum += values[i]!;
  return sum;
}

/** `sample_angles`: redraw until every normalised gap is ≥ 1/(2n), then cumsum, rotate, scale to radians. */
function drawAngles(count: number, rng: RandomState): Float64Array {
  const minGap = 1 / (2 * count);
  for (;;) {
    const gaps = rng.randomArray(count);
    const total = numpySum(gaps);
    let ok = true;
    for (let i = 0; i < count; i++) {
      gaps[i] = gaps[i]! / total;
      if (!(gaps[i]! >= minGap)) ok = false;
    }
    if (!ok) continue;
    const offset = rng.rand();
    let cumulative = 0;
    for (let i = 0; i < count; i++) {
      cumulative += gaps[i]!;
      gaps[i] = (cumulative + offset) * TWO_PI;
    }
    return gaps;
  }
}
