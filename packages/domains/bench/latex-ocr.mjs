// LaTeX-OCR generation speed with the built package: rendered samples per second (grammar,
// MathJax layout, rasterising, binarising, noise) on the calling thread and through
// `batches` with 1 and 2 worker threads, and the resident memory after every window (a leak in
// the renderer would show as growth). Training the cpu preset consumes about 1.3 samples/s and
// the paper preset far fewer, so the target is that one worker outpaces training by 10x or more.
// Writes <repo root>/bench/results/latex-ocr.json. Run `pnpm build` first.
import { startBench, writeBenchResult } from '../../../bench/write-result.mjs';
import { measureModes, printRows } from './measure.mjs';
import { createDomain } from '../dist/index.js';

const bench = startBench();

const WARMUP = 50;
const WINDOW = 200;
const WINDOWS = 5;
/** The cpu preset's training rate on this machine (packages/models presets.ts), samples/s. */
const TRAINING_RATE = 1.26;
const TARGET = 10 * TRAINING_RATE;
const domain = createDomain('latex-ocr');

const rows = await measureModes(domain, [4], { warmup: WARMUP, window: WINDOW, windows: WINDOWS });

const report = {
  benchmark: 'latex-ocr',
  description: `LaTeX-OCR (120x360, noise 0.25), seed 1: median rate over ${WINDOWS} windows of ${WINDOW} items after ${WARMUP} warm-up items of one stream`,
  trainingSamplesPerSecond: TRAINING_RATE,
  targetSamplesPerSecondThroughBatches: TARGET,
  results: rows,
};
writeBenchResult('latex-ocr', report, bench);

printRows(`LaTeX-OCR generation: median of ${WINDOWS} windows of ${WINDOW} samples, after ${WARMUP} warm-up samples`, rows, { unit: 'samples', rss: true, rangeWidth: 12 });
const oneWorker = rows[1].samplesPerSecond;
console.log(`target: at least ${TARGET} samples/s from one worker (10x the cpu preset's training); measured ${oneWorker}. Wrote bench/results/latex-ocr.json`);
