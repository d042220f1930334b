// AudioMNISTSequence generation speed with the built package: clips per second (draws, clip
// assembly from cached 8 kHz recordings, truncated-normal noise, the 642 × 64 mel spectrogram) on
// the calling thread and through `batches` with 1 and 2 worker threads at batch 32, with the
// resident memory after every window. The speech is the synthetic cache of @sparling/speech-espeak
// (rendered here first if missing, about 45 s once). The cpu preset trains at about 56 clips/s, so
// the target is one worker at twice that. Writes <repo root>/bench/results/audio-mnist-sequence.json.
// Run `pnpm build` first.
import { startBench, writeBenchResult } from '../../../bench/write-result.mjs';
import { measureModes, printRows } from './measure.mjs';
import { createDomain } from '../dist/index.js';
// A dev-only script may use the GPL package; @sparling/domains itself never imports it.
import { renderSyntheticSpeech } from '../../speech-espeak/dist/index.js';

const bench = startBench();

const WARMUP = 200;
const WINDOW = 500;
const WINDOWS = 5;
/** The cpu preset's training rate on this machine (packages/models presets.ts), clips/s. */
const TRAINING_RATE = 56;
const TARGET = 2 * TRAINING_RATE;
const speech = await renderSyntheticSpeech();
const domain = createDomain('audio-mnist-sequence', { speech });

const rows = await measureModes(domain, [32], { warmup: WARMUP, window: WINDOW, windows: WINDOWS });

const report = {
  benchmark: 'audio-mnist-sequence',
  description: `AudioMNISTSequence (15 s clips, 642x64 mel spectrogram, synthetic eSpeak NG speech), seed 1: median rate over ${WINDOWS} windows of ${WINDOW} clips after ${WARMUP} warm-up clips of one stream`,
  trainingSamplesPerSecond: TRAINING_RATE,
  targetSamplesPerSecondThroughBatches: TARGET,
  results: rows,
};
writeBenchResult('audio-mnist-sequence', report, bench);

printRows(`AudioMNISTSequence generation: median of ${WINDOWS} windows of ${WINDOW} clips, after ${WARMUP} warm-up clips`, rows, { unit: 'clips', rss: true, rangeWidth: 12 });
const oneWorker = rows[1].samplesPerSecond;
console.log(`target: at least ${TARGET} clips/s from one worker (twice the cpu preset's training); measured ${oneWorker}. Wrote bench/results/audio-mnist-sequence.json`);
