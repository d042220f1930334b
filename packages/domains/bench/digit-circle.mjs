// DigitCircle generation speed with the built package: samples per second on the calling
// thread, and through `batches` with 1 and 2 worker threads at batch sizes 10 and 32 (the
// consumer only receives, so this is the rate generation can feed training). Writes
// <repo root>/bench/results/domains.json. Run `pnpm build` first.
import { startBench, writeBenchResult } from '../../../bench/write-result.mjs';
import { measureModes, printRows } from './measure.mjs';
import { createDomain } from '../dist/index.js';

const bench = startBench();

const WARMUP = 1000;
const WINDOW = 2000;
const WINDOWS = 5;
const TARGET = 2000;
const domain = createDomain('digit-circle');

const rows = await measureModes(domain, [10, 32], { warmup: WARMUP, window: WINDOW, windows: WINDOWS });

const report = {
  benchmark: 'domains',
  description: `DigitCircle (100x100, paper defaults), seed 1: median rate over ${WINDOWS} windows of ${WINDOW} items after ${WARMUP} warm-up items of one stream`,
  targetSamplesPerSecondThroughBatches: TARGET,
  results: rows,
};
writeBenchResult('domains', report, bench);

printRows(`DigitCircle generation: median of ${WINDOWS} windows of ${WINDOW} samples, after ${WARMUP} warm-up samples`, rows, { unit: 'samples', rss: false, rangeWidth: 14 });
const best = Math.max(...rows.slice(1).map((r) => r.samplesPerSecond));
console.log(`target: ${TARGET} samples/s through batches; best ${best}. Wrote bench/results/domains.json`);
