import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Domain, Motif } from './domain.js';
import type { BatchRequest, BatchResponse, WorkerInit } from './internal/batch-protocol.js';
import { fail } from '@sparling/errors';
import { generateBatch, type BatchData, type BatchSeed } from './internal/generate-batch.js';
import { isDomainName } from './registry.js';

/**
 * Options of {@link batches}.
 *
 * @example
 * ```ts
 * const options: BatchOptions = { seed: 1, batchSize: 10, start: 20_000, workers: 1 };
 * ```
 */
export interface BatchOptions {
  /**
   * Dataset seed: item i is `domain.sample(seed, i)`. `'raw'` makes item i `domain.sampleRaw(i)`
   * instead (the reference's motif evaluation draws `RandomState(i)`).
   */
  readonly seed: number | 'raw';
  /** Items per batch (an integer ≥ 1). */
  readonly batchSize: number;
  /** Index of the first item; default 0. */
  readonly start?: number;
  /** Index after the last item (the last batch may be short); default none, i.e. endless. */
  readonly end?: number;
  /**
   * Worker threads generating batches; default 1, so generation runs on a second core while the
   * caller trains on the first. 0 generates on the calling thread. The batches are identical
   * whatever the count.
   */
  readonly workers?: number;
  /** Batches generated ahead of the consumer, at most; bounds memory. Default 4 per worker (unused with 0 workers). */
  readonly prefetch?: number;
}

/**
 * A run of consecutive items.
 *
 * @example
 * ```ts
 * for await (const batch of batches(domain, { seed: 1, batchSize: 10, end: 30 })) {
 *   batch.shape; // [10, 100, 100, 1]
 * }
 * ```
 */
export interface Batch {
  /** Index of the first item. */
  readonly start: number;
  /** Number of items (`batchSize`, or fewer for the last batch before `end`). */
  readonly size: number;
  /** The items' inputs one after another: `size × prod(inputShape)` values. */
  readonly inputs: Float32Array;
  /** `[size, ...inputShape]`. */
  readonly shape: readonly number[];
  /** Each item's label. */
  readonly labels: string[][];
  /** Each item's true motifs, in placement order. */
  readonly motifs: Motif[][];
}

function toBatch(domain: Domain, data: BatchData): Batch {
  return { start: data.start, size: data.size, inputs: data.inputs, shape: [data.size, ...domain.inputShape], labels: data.labels, motifs: data.motifs };
}

/** The worker script next to this module in `dist/` (`.cjs` beside the CommonJS build). */
function workerFile(): string {
  const here = import.meta.url;
  const file = fileURLToPath(new URL(here.endsWith('.cjs') ? './batch-worker.cjs' : './batch-worker.js', here));
  if (!existsSync(file)) {
    throw new Error(`batches: the worker script ${file} does not exist; worker threads need the built package (run the build), or pass workers: 0`);
  }
  return file;
}

/** A promise with its settle functions, for answers that arrive through events. */
interface Pending {
  resolve(data: BatchData): void;
  reject(err: Error): void;
}

/**
 * Round-robin batch generation on worker threads. Results are kept until taken, so they may
 * arrive in any order. Workers are unreferenced except while the consumer waits for a batch, so
 * an abandoned iterator never keeps the process alive.
 */
class WorkerPool {
  private readonly workers: Worker[];
  private readonly ready = new Map<number, BatchData>();
  private readonly waiting = new Map<number, Pending>();
  private failure: Error | undefined;
  private closed = false;

  constructor(init: WorkerInit, count: number) {
    const file = workerFile();
    this.workers = Array.from({ length: count }, (_, w) => {
      const worker = new Worker(file, { workerData: init });
      worker.unref();
      worker.on('message', (response: BatchResponse) => {
        if ('error' in response) this.fail(new Error(`batches: worker ${w} failed on batch ${response.id}: ${response.error}`));
        else this.deliver(response.id, response.data);
      });
      worker.on('error', (err) => this.fail(new Error(`batches: worker ${w} crashed: ${err.message}`)));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`batches: worker ${w} exited with code ${code}`));
      });
      return worker;
    });
  }

  request(id: number, start: number, size: number): void {
    const message: BatchRequest = { id, start, size };
    this.workers[id % this.workers.length]!.postMessage(message);
  }

  async take(id: number): Promise<BatchData> {
    if (this.failure) throw this.failure;
    const data = this.ready.get(id);
    if (data) {
      this.ready.delete(id);
      return data;
    }
    for (const w of this.workers) w.ref();
    try {
      return await new Promise<BatchData>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    } finally {
      for (const w of this.workers) w.unref();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private deliver(id: number, data: BatchData): void {
    const pending = this.waiting.get(id);
    if (pending) {
      this.waiting.delete(id);
      pending.resolve(data);
    } else {
      this.ready.set(id, data);
    }
  }

  private fail(err: Error): void {
    if (this.failure || this.closed) return;
    this.failure = err;
    for (const pending of this.waiting.values()) pending.reject(err);
    this.waiting.clear();
  }
}

function checkOptions(domain: Domain, options: BatchOptions): Required<Omit<BatchOptions, 'end'>> & { end: number } {
  const where = 'batches';
  if (domain === null || typeof domain !== 'object' || typeof domain.sample !== 'function') fail(where, 'domain', 'a Domain (see createDomain)', domain);
  if (options === null || typeof options !== 'object') fail(where, 'options', 'an object with seed and batchSize', options);
  const { seed, batchSize, start = 0, end = Infinity, workers = 1 } = options;
  if (seed !== 'raw' && !Number.isSafeInteger(seed)) fail(where, 'options.seed', "a safe integer or 'raw'", seed);
  if (!Number.isInteger(batchSize) || batchSize < 1) fail(where, 'options.batchSize', 'an integer >= 1', batchSize);
  if (!Number.isSafeInteger(start) || start < 0) fail(where, 'options.start', 'a non-negative safe integer', start);
  if (end !== Infinity && (!Number.isSafeInteger(end) || end < start)) fail(where, 'options.end', `an integer >= start (${start}), or omitted for endless`, end);
  if (!Number.isInteger(workers) || workers < 0 || workers > 64) fail(where, 'options.workers', 'an integer in [0, 64]', workers);
  const prefetch = options.prefetch ?? Math.max(1, 4 * workers);
  if (!Number.isInteger(prefetch) || prefetch < 1) fail(where, 'options.prefetch', 'an integer >= 1', prefetch);
  if (workers > 0 && !isDomainName(domain.name)) {
    fail(where, 'domain.name', 'a registered domain name so worker threads can rebuild the domain (or pass workers: 0)', domain.name);
  }
  return { seed, batchSize, start, end, workers, prefetch };
}

/**
 * The items of a dataset in index order, `batchSize` at a time: batch k holds items
 * [start + k·batchSize, start + (k + 1)·batchSize), cut short at `end`. With `workers` ≥ 1 the
 * items are generated on worker threads (the domain is rebuilt there from `name` and
 * `options`), at most `prefetch` batches ahead of the consumer, so generation overlaps
 * training without unbounded memory. The bytes are the same for every `workers` and
 * `prefetch`. Leaving a `for await` loop early (break, return, throw) stops the workers.
 *
 * @throws RangeError at the call for invalid options; the iterator rejects if a worker fails.
 * @example
 * ```ts
 * const domain = createDomain('digit-circle');
 * for await (const batch of batches(domain, { seed: 1, batchSize: 10 })) {
 *   train(batch.inputs, batch.labels); // items 0–9, then 10–19, ...
 *   if (done()) break; // terminates the worker
 * }
 * ```
 */
export function batches(domain: Domain, options: BatchOptions): AsyncGenerator<Batch, void, undefined> {
  const o = checkOptions(domain, options);
  const count = o.end === Infinity ? Infinity : Math.ceil((o.end - o.start) / o.batchSize);
  const range = (k: number): [number, number] => {
    const first = o.start + k * o.batchSize;
    return [first, Math.min(o.batchSize, o.end - first)];
  };
  const seed: BatchSeed = o.seed;

  if (o.workers === 0) {
    return (async function* inline() {
      for (let k = 0; k < count; k++) yield toBatch(domain, generateBatch(domain, seed, ...range(k)));
    })();
  }

  return (async function* threaded() {
    if (count === 0) return;
    const pool = new WorkerPool({ name: domain.name as WorkerInit['name'], options: domain.options, seed }, o.workers);
    try {
      let requested = 0;
      for (let k = 0; k < count; k++) {
        for (; requested < count && requested < k + o.prefetch; requested++) pool.request(requested, ...range(requested));
        yield toBatch(domain, await pool.take(k));
      }
    } finally {
      await pool.close();
    }
  })();
}
