import { textSize, writePng, type RgbImage } from '@sparling/raster';
import type { Sample } from './domain.js';
import { fail } from '@sparling/errors';
import { channelName, DOT, FRAME, TAG_SCALE, taggedBox, titledFrame, WHITE } from './internal/figure.js';

/**
 * A motif a model predicted, drawn as a labelled dot.
 *
 * @example
 * ```ts
 * const dot: PredictedMotif = { channel: 2, position: [44, 18], value: 0.9 }; // drawn as "C"
 * ```
 */
export interface PredictedMotif {
  /** The channel: a number is named A, B, C, … (#26, #27, … from 26 on, as the reference does); a string is shown as is. */
  readonly channel: number | string;
  /** Position in the input, one coordinate per spatial axis. */
  readonly position: readonly number[];
  /** Activation value; only the order matters: stronger dots are drawn on top. */
  readonly value?: number;
}

/**
 * Options of {@link renderSample} and {@link writeSamplePng}.
 *
 * @example
 * ```ts
 * const options: RenderSampleOptions = { scale: 4, title: 'RandomState(6): 0 7 2 6 3 4' };
 * ```
 */
export interface RenderSampleOptions {
  /** Screen pixels per input pixel (an integer in [1, 32]); default 4. */
  readonly scale?: number;
  /** Text above the picture; default the label, tokens separated by spaces. */
  readonly title?: string;
  /** Draw each true motif's footprint as a box tagged with its symbol; default true. */
  readonly footprints?: boolean;
  /** Predicted motifs to draw as labelled dots; default none. */
  readonly predicted?: readonly PredictedMotif[];
  /** Draw high values light and low values dark, for inputs where 1 is background (LaTeX-OCR); default false. */
  readonly inverted?: boolean;
}

/** Input ink: a little lighter than text, so boxes and dots stand out on the noise. */
const PIXEL = '#3f3f46';

/** Text with a 1-pixel white halo, readable over noise without hiding it behind a patch. */
function outlinedText(image: RgbImage, text: string, x: number, y: number, color: string): void {
  for (const [dx, dy] of [[-1, -1], [0, -1], [1, -1], [-1, 0], [1, 0], [-1, 1], [0, 1], [1, 1]] as const) {
    image.text(text, x + dx, y + dy, WHITE, { scale: TAG_SCALE });
  }
  image.text(text, x, y, color, { scale: TAG_SCALE });
}

function checkSample(sample: Sample, where: string): { height: number; width: number } {
  if (sample === null || typeof sample !== 'object' || !(sample.input instanceof Float32Array)) fail(where, 'sample', 'a Sample from a domain', sample);
  const shape = sample.shape;
  if (!Array.isArray(shape) || shape.length !== 3 || shape[2] !== 1) fail(where, 'sample.shape', '[height, width, 1] (a one-channel image)', shape);
  const [height, width] = shape as [number, number, number];
  if (sample.input.length !== height * width) fail(where, 'sample.input', `${height * width} values for shape [${shape.join(', ')}]`, sample.input);
  return { height, width };
}

/**
 * Draws a sample in the style of the paper's Figure 2: the input scaled up (ink dark on white),
 * each true motif's footprint as a coloured box tagged with its symbol, predicted motifs as red
 * dots tagged with their channel (the strongest drawn last), and the label as the title.
 * Handles one-channel images (DigitCircle, LaTeX-OCR).
 *
 * @example
 * ```ts
 * const image = renderSample(createDomain('digit-circle').sampleRaw(6), { scale: 4 });
 * image.width; // 432
 * ```
 */
export function renderSample(sample: Sample, options: RenderSampleOptions = {}): RgbImage {
  const where = 'renderSample';
  const { height, width } = checkSample(sample, where);
  const { scale = 4, footprints = true, predicted = [], inverted = false } = options;
  if (!Number.isInteger(scale) || scale < 1 || scale > 32) fail(where, 'options.scale', 'an integer in [1, 32]', scale);
  if (!Array.isArray(predicted)) fail(where, 'options.predicted', 'an array of { channel, position, value }', predicted);
  const title = options.title ?? sample.label.join(' ');
  if (typeof title !== 'string') fail(where, 'options.title', 'a string', title);

  const { image, left, top } = titledFrame(title, width * scale, height * scale, footprints);
  image.drawMap(sample.input, width, height, { x: left, y: top, scale, low: inverted ? PIXEL : WHITE, high: inverted ? WHITE : PIXEL });
  image.strokeRect(left - 1, top - 1, width * scale + 2, height * scale + 2, FRAME);

  if (footprints) {
    sample.motifs.forEach((motif, i) => {
      const { start, end } = motif.footprint;
      if (start.length !== 2 || end.length !== 2) fail(where, `sample.motifs[${i}].footprint`, 'two-axis start and end', motif.footprint);
      taggedBox(image, left + start[1]! * scale, top + start[0]! * scale, (end[1]! - start[1]!) * scale, (end[0]! - start[0]!) * scale, motif.symbol, scale);
    });
  }

  const dots = [...predicted].sort((a, b) => (a.value ?? 0) - (b.value ?? 0));
  const radius = Math.max(2, scale * 1.25);
  dots.forEach((dot, i) => {
    if (!Array.isArray(dot.position) || dot.position.length !== 2) fail(where, `options.predicted[${i}].position`, '[row, column]', dot.position);
    const cx = left + (dot.position[1]! + 0.5) * scale;
    const cy = top + (dot.position[0]! + 0.5) * scale;
    image.dot(cx, cy, radius, DOT, WHITE);
    const name = channelName(dot.channel);
    const size = textSize(name, TAG_SCALE);
    outlinedText(image, name, Math.round(cx + radius + 2), Math.round(cy - size.height / 2), DOT);
  });
  return image;
}

/**
 * Renders a sample with {@link renderSample} and writes it as a PNG at `path`, atomically
 * (temporary file, then rename).
 *
 * @example
 * ```ts
 * await writeSamplePng('figure1.png', createDomain('digit-circle').sampleRaw(6));
 * ```
 */
export async function writeSamplePng(path: string, sample: Sample, options: RenderSampleOptions = {}): Promise<void> {
  await writePng(path, renderSample(sample, options));
}
