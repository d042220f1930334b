import { textSize, writePng, type RgbImage } from '@sparling/raster';
import { fail } from '@sparling/errors';
import type { Sample } from './domain.js';
import { channelName, DOT, FRAME, TAG_SCALE, taggedBox, titledFrame, WHITE } from './internal/figure.js';
import type { PredictedMotif } from './render-sample.js';

/**
 * Options of {@link renderSpectrogram} and {@link writeSpectrogramPng}.
 *
 * @example
 * ```ts
 * const options: RenderSpectrogramOptions = { scale: 2, title: 'seed 1, item 0' };
 * ```
 */
export interface RenderSpectrogramOptions {
  /** Screen pixels per frame and per mel band (an integer in [1, 16]); default 2. */
  readonly scale?: number;
  /** Text above the picture; default the label, tokens separated by spaces. */
  readonly title?: string;
  /** Draw each true motif's footprint as a box over all bands, tagged with its symbol; default true. */
  readonly footprints?: boolean;
  /** Predicted motifs (position `[frame]`) to draw as labelled dots under the spectrogram; default none. */
  readonly predicted?: readonly PredictedMotif[];
}

/** The loudest value: near-black, so the coloured boxes stay distinct from it. */
const LOUD = '#18181b';

function checkSample(sample: Sample, where: string): { frames: number; bands: number } {
  if (sample === null || typeof sample !== 'object' || !(sample.input instanceof Float32Array)) fail(where, 'sample', 'a Sample from a domain', sample);
  const shape = sample.shape;
  if (!Array.isArray(shape) || shape.length !== 2) fail(where, 'sample.shape', '[frames, bands] (a spectrogram)', shape);
  const [frames, bands] = shape as [number, number];
  if (sample.input.length !== frames * bands) fail(where, 'sample.input', `${frames * bands} values for shape [${shape.join(', ')}]`, sample.input);
  return { frames, bands };
}

/**
 * Draws a spectrogram sample in the style of the paper's Figure 2: time to the right, mel bands
 * upwards (low frequencies at the bottom), loud dark on white over the clip's range of dB;
 * each true motif's footprint as a box over all bands in its symbol's colour (the colours of
 * {@link renderSample}), tagged with the symbol; predicted motifs as red dots under the
 * spectrogram, tagged with their channel (the strongest drawn last); the label as the title.
 *
 * @example
 * ```ts
 * const image = renderSpectrogram(domain.sample(1, 0), { scale: 2 });
 * image.width; // 642 · 2 + 32 = 1316
 * ```
 */
export function renderSpectrogram(sample: Sample, options: RenderSpectrogramOptions = {}): RgbImage {
  const where = 'renderSpectrogram';
  const { frames, bands } = checkSample(sample, where);
  const { scale = 2, footprints = true, predicted = [] } = options;
  if (!Number.isInteger(scale) || scale < 1 || scale > 16) fail(where, 'options.scale', 'an integer in [1, 16]', scale);
  if (!Array.isArray(predicted)) fail(where, 'options.predicted', 'an array of { channel, position, value }', predicted);
  const title = options.title ?? sample.label.join(' ');
  if (typeof title !== 'string') fail(where, 'options.title', 'a string', title);

  const radius = Math.max(3, scale * 2);
  const height = bands * scale;
  const strip = predicted.length > 0 ? 2 * radius + 8 : 0;
  const { image, left, top } = titledFrame(title, frames * scale, height, footprints, strip);
  // Picture rows run top to bottom, so band b is row bands − 1 − b.
  const picture = new Float32Array(frames * bands);
  let min = Infinity;
  let max = -Infinity;
  for (let t = 0; t < frames; t++) {
    for (let b = 0; b < bands; b++) {
      const v = sample.input[t * bands + b]!;
      picture[(bands - 1 - b) * frames + t] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  image.drawMap(picture, frames, bands, { x: left, y: top, scale, min, max: max > min ? max : min + 1, low: WHITE, high: LOUD });
  image.strokeRect(left - 1, top - 1, frames * scale + 2, height + 2, FRAME);

  if (footprints) {
    sample.motifs.forEach((motif, i) => {
      const { start, end } = motif.footprint;
      if (start.length !== 1 || end.length !== 1) fail(where, `sample.motifs[${i}].footprint`, 'one-axis (frame) start and end', motif.footprint);
      taggedBox(image, left + start[0]! * scale, top, (end[0]! - start[0]!) * scale, height, motif.symbol, scale);
    });
  }

  const dots = [...predicted].sort((a, b) => (a.value ?? 0) - (b.value ?? 0));
  const cy = top + height + 4 + radius;
  dots.forEach((dot, i) => {
    if (!Array.isArray(dot.position) || dot.position.length !== 1) fail(where, `options.predicted[${i}].position`, '[frame]', dot.position);
    const cx = left + (dot.position[0]! + 0.5) * scale;
    image.dot(cx, cy, radius, DOT, WHITE);
    const name = channelName(dot.channel);
    image.text(name, Math.round(cx + radius + 2), Math.round(cy - textSize(name, TAG_SCALE).height / 2), DOT, { scale: TAG_SCALE });
  });
  return image;
}

/**
 * Renders a spectrogram sample with {@link renderSpectrogram} and writes it as a PNG at `path`,
 * atomically (temporary file, then rename).
 *
 * @example
 * ```ts
 * await writeSpectrogramPng('clip.png', domain.sample(1, 0));
 * ```
 */
export async function writeSpectrogramPng(path: string, sample: Sample, options: RenderSpectrogramOptions = {}): Promise<void> {
  await writePng(path, renderSpectrogram(sample, options));
}
