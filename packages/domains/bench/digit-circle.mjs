// DigitCircle generation speed with the built package: samples per second on the calling
// thread, and through `batches` with 1 and 2 worker threads at batch sizes 10 and 32 (the
// consumer only receives, so this is the rate generation can feed training). Writes
// <repo root>/bench/results/domains.json. Run `pnpm build` first.
import { startBench, writeBenchResult } from '../../../bench/write-result.mjs';
import { measure, singleThread, throughBatches } from './measure.mjs';
import { createDomain } from '../dist/index.js';

const bench = startBench();

const WARMUP = 1000;
const WINDOW = 2000;
const WINDOWS = 5;
const TARGET = 2000;
const domain = createDomain('digit-circle');

const rows = [['single thread', 0, 1, await measure(singleThread(domain), { warmup: WARMUP, window: WINDOW, windows: WINDOWS })]];
for (const workers of [1, 2]) {
  for (const batchSize of [10, 32]) rows.push(['batches', workers, batchSize, await measure(throughBatches(domain, workers, batchSize), { warmup: WARMUP, window: WINDOW, windows: WINDOWS })]);
}

const report = {
  benchmark: 'domains',
  description: `DigitCircle (100x100, paper defaults), seed 1: median rate over ${WINDOWS} windows of ${WINDOW} items after ${WARMUP} warm-up items of one stream`,
  targetSamplesPerSecondThroughBatches: TARGET,
  results: rows.map(([mode, workers, batchSize, r]) => ({ mode, workers, batchSize, ...r })),
};
writeBenchResult('domains', report, bench);

console.log(`DigitCircle generation: median of ${WINDOWS} windows of ${WINDOW} samples, after ${WARMUP} warm-up samples`);
console.log(`${'mode'.padEnd(14)}${'workers'.padStart(8)}${'batch'.padStart(7)}${'samples/s'.padStart(11)}${'range'.padStart(14)}`);
for (const [mode, workers, batchSize, r] of rows) {
  const range = `${r.slowestWindow}-${r.fastestWindow}`;
  console.log(`${mode.padEnd(14)}${String(workers).padStart(8)}${String(batchSize).padStart(7)}${String(r.samplesPerSecond).padStart(11)}${range.padStart(14)}`);
}
const best = Math.max(...rows.slice(1).map((r) => r[3].samplesPerSecond));
console.log(`target: ${TARGET} samples/s through batches; best ${best}. Wrote bench/results/domains.json`);
