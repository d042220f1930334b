/**
 * The report's Figure 2: inputs with their true footprints and the model's maximal motifs, drawn
 * by `renderSample` (images) or `renderSpectrogram` (sequences such as audio) and tiled into one
 * picture.
 */
import { renderSample, renderSpectrogram } from '@sparling/domains';
import type { MotifPredictionItem } from '@sparling/models';
import { RgbImage } from '@sparling/raster';

/** About this many screen pixels along an input's longer side. */
const TARGET_SIDE = 288;
/** renderSpectrogram's largest scale (renderSample's is 32). */
const MAX_SPECTROGRAM_SCALE = 16;
const GAP = 8;
/**
 * The page shows pictures at most 1120 pixels wide, so a wider grid shrinks: LaTeX-OCR pictures,
 * widened by their long titles to over 1000 pixels, would shrink 5× at four across. Fewer
 * columns keep a grid about this wide; four DigitCircle pictures (1304 pixels) still fit.
 */
const MAX_GRID_WIDTH = 1400;

/** Copies `source` into `target` with its top-left corner at (x, y); both fit by construction. */
function blit(target: RgbImage, source: RgbImage, x: number, y: number): void {
  const row = source.width * 3;
  for (let r = 0; r < source.height; r++) {
    target.data.set(source.data.subarray(r * row, (r + 1) * row), ((y + r) * target.width + x) * 3);
  }
}

/** Options of {@link sampleGrid}. */
export interface SampleGridOptions {
  /** Pictures per row at most; default 4. */
  readonly columns?: number;
  /** The inputs' blank value is 1 (`domain.background === 1`, LaTeX-OCR): draw 0 as ink; default false. */
  readonly inverted?: boolean;
}

/**
 * One picture per item (title: item index and label; boxes: true footprints tagged with their
 * symbol; dots: maximal motifs tagged with their channel's symbol, or its letter when the
 * confusion matrix names none), `columns` to a row, or fewer where that many would make the grid
 * wider than about 1400 pixels. Items of shape [frames, features] (one spatial axis) are drawn
 * as spectrograms, their dots in a strip under the frames they fire at.
 */
export function sampleGrid(items: readonly MotifPredictionItem[], options: SampleGridOptions = {}): RgbImage {
  const { columns = 4, inverted = false } = options;
  const pictures = items.map((item) => {
    const side = Math.max(item.shape[0] ?? 1, item.shape[1] ?? 1);
    const title = `${item.index}: ${item.label.join(' ')}`;
    const predicted = item.predicted.map((p) => ({ channel: p.symbol ?? p.channel, position: p.position, value: p.value }));
    const fit = Math.max(1, Math.round(TARGET_SIDE / side));
    if (item.shape.length === 2) return renderSpectrogram(item, { scale: Math.min(MAX_SPECTROGRAM_SCALE, fit), title, predicted });
    return renderSample(item, { scale: Math.min(32, fit), title, predicted, inverted });
  });
  const cellWidth = Math.max(1, ...pictures.map((p) => p.width));
  const cellHeight = Math.max(1, ...pictures.map((p) => p.height));
  const fit = Math.floor((MAX_GRID_WIDTH + GAP) / (cellWidth + GAP));
  const across = Math.max(1, Math.min(columns, pictures.length, fit));
  const down = Math.max(1, Math.ceil(pictures.length / across));
  const grid = new RgbImage(across * cellWidth + (across - 1) * GAP, down * cellHeight + (down - 1) * GAP, '#ffffff');
  pictures.forEach((picture, i) => blit(grid, picture, (i % across) * (cellWidth + GAP), Math.floor(i / across) * (cellHeight + GAP)));
  return grid;
}
