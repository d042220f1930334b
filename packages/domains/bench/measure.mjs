// The generation benchmarks' one way of timing a stream of items, shared so that their figures
// compare.
import { batches } from '../dist/index.js';

/** Items of seed 1 drawn one by one on the calling thread; yields 1 per item. */
export async function* singleThread(domain) {
  for (let i = 0; ; i++) {
    domain.sample(1, i);
    yield 1;
  }
}

/** Items of seed 1 through `batches` (the consumer only receives); yields each batch's size. */
export async function* throughBatches(domain, workers, batchSize) {
  for await (const batch of batches(domain, { seed: 1, batchSize, workers })) yield batch.size;
}

/**
 * Steady-state rate of one long-lived stream of items, as training sees it: the first `warmup`
 * items (JIT, worker start-up, caches) are skipped, then `windows` windows of at least `window`
 * items (ending on batch edges) are timed, and the median window's rate is reported with the
 * slowest and fastest, and the resident memory after each window (a leak shows as growth).
 * `items` yields the number of items each step delivered.
 */
export async function measure(items, { warmup, window, windows }) {
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
