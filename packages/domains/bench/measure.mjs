// The generation benchmarks' one way of timing a stream of items and printing the rates, shared
// so that their figures compare.
import { batches } from '../dist/index.js';

/** Items of seed 1 drawn one by one on the calling thread; yields 1 per item. */
async function* singleThread(domain) {
  for (let i = 0; ; i++) {
    domain.sample(1, i);
    yield 1;
  }
}

/** Items of seed 1 through `batches` (the consumer only receives); yields each batch's size. */
async function* throughBatches(domain, workers, batchSize) {
  for await (const batch of batches(domain, { seed: 1, batchSize, workers })) yield batch.size;
}

/**
 * Steady-state rate of one long-lived stream of items, as training sees it: the first `warmup`
 * items (JIT, worker start-up, caches) are skipped, then `windows` windows of at least `window`
 * items (ending on batch edges) are timed, and the median window's rate is reported with the
 * slowest and fastest, and the resident memory after each window (a leak shows as growth).
 * `items` yields the number of items each step delivered.
 */
async function measure(items, { warmup, window, windows }) {
  const rates = [];
  const rss = [];
  let count = 0;
  let mark = -1;
  let t0 = 0;
  for await (const size of items) {
    count += size;
    if (mark < 0 && count >= warmup) {
      mark = count;
      t0 = performance.now();
    } else if (mark >= 0 && count - mark >= window) {
      const t = performance.now();
      rates.push((count - mark) / ((t - t0) / 1000));
      rss.push(Math.round(process.memoryUsage().rss / 2 ** 20));
      mark = count;
      t0 = t;
      if (rates.length === windows) break;
    }
  }
  const sorted = [...rates].sort((a, b) => a - b);
  return {
    samplesPerSecond: Math.round(sorted[Math.floor(windows / 2)]),
    slowestWindow: Math.round(sorted[0]),
    fastestWindow: Math.round(sorted[windows - 1]),
    rssMiBAfterEachWindow: rss,
  };
}

/**
 * The rows every generation benchmark reports: `domain` on the calling thread, then through
 * `batches` with 1 and 2 workers at each of `batchSizes`, each timed by {@link measure}.
 */
export async function measureModes(domain, batchSizes, windows) {
  const rows = [{ mode: 'single thread', workers: 0, batchSize: 1, ...(await measure(singleThread(domain), windows)) }];
  for (const workers of [1, 2]) {
    for (const batchSize of batchSizes) {
      rows.push({ mode: 'batches', workers, batchSize, ...(await measure(throughBatches(domain, workers, batchSize), windows)) });
    }
  }
  return rows;
}

/**
 * Prints {@link measureModes} rows as a table under `title`: rates in `unit`/s, the slowest and
 * fastest window in a column `rangeWidth` wide, and with `rss` the resident memory after each window.
 */
export function printRows(title, rows, { unit, rss, rangeWidth }) {
  const rateHeader = `${unit}/s`;
  const rateWidth = rateHeader.length + 2;
  console.log(title);
  console.log(`${'mode'.padEnd(14)}${'workers'.padStart(8)}${'batch'.padStart(7)}${rateHeader.padStart(rateWidth)}${'range'.padStart(rangeWidth)}${rss ? '  RSS MiB after each window' : ''}`);
  for (const r of rows) {
    const range = `${r.slowestWindow}-${r.fastestWindow}`;
    const memory = rss ? `  ${r.rssMiBAfterEachWindow.join(' ')}` : '';
    console.log(`${r.mode.padEnd(14)}${String(r.workers).padStart(8)}${String(r.batchSize).padStart(7)}${String(r.samplesPerSecond).padStart(rateWidth)}${range.padStart(rangeWidth)}${memory}`);
  }
}
