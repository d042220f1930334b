import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as source from '../src/index.js';
import type { Batch, BatchOptions, Domain } from '../src/index.js';

// Worker threads run the built worker script, so these tests use the built package (the
// build runs before the tests); its types are the source's.
const dist = (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof source;
const run = promisify(execFile);
const domain = dist.createDomain('digit-circle');

async function collect(d: Domain, options: BatchOptions): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const batch of dist.batches(d, options)) out.push(batch);
  return out;
}

function digest(list: readonly Batch[]): string {
  const hash = createHash('sha256');
  for (const b of list) {
    hash.update(new Uint8Array(b.inputs.buffer, b.inputs.byteOffset, b.inputs.byteLength));
    hash.update(JSON.stringify([b.start, b.labels, b.motifs]));
  }
  return hash.digest('hex');
}

describe('batches', () => {
  it('yields consecutive items in index order, the last batch cut at end', async () => {
    const list = await collect(domain, { seed: 1, start: 5, end: 52, batchSize: 10, workers: 0 });
    expect(list.map((b) => [b.start, b.size])).toEqual([
      [5, 10],
      [15, 10],
      [25, 10],
      [35, 10],
      [45, 7],
    ]);
    expect(list[4]!.shape).toEqual([7, 100, 100, 1]);
    expect(list[4]!.inputs).toHaveLength(7 * 10_000);
    const item = new source.DigitCircle().sample(1, 47);
    expect(list[4]!.labels[2]).toEqual(item.label);
    expect(list[4]!.motifs[2]).toEqual(item.motifs);
    expect(list[4]!.inputs.subarray(2 * 10_000, 3 * 10_000)).toEqual(item.input);
  });

  it('gives the same bytes with 0, 1 and 2 workers and any prefetch', async () => {
    const options = { seed: 1, start: 5, end: 52, batchSize: 10 };
    const inline = digest(await collect(domain, { ...options, workers: 0 }));
    expect(digest(await collect(domain, { ...options, workers: 1 }))).toBe(inline);
    expect(digest(await collect(domain, { ...options, workers: 2 }))).toBe(inline);
    expect(digest(await collect(domain, { ...options, workers: 2, prefetch: 1 }))).toBe(inline);
  });

  it('renders LaTeX-OCR in worker threads (MathJax and resvg load there) to the same bytes', async () => {
    const latex = dist.createDomain('latex-ocr');
    const options = { seed: -2, start: 0, end: 12, batchSize: 4 };
    const inline = await collect(latex, { ...options, workers: 0 });
    expect(digest(await collect(latex, { ...options, workers: 2 }))).toBe(digest(inline));
    expect(inline[0]!.shape).toEqual([4, 120, 360, 1]);
    expect(inline[0]!.motifs[0]).toEqual(latex.sample(-2, 0).motifs);
  });

  it("draws RandomState(i) for seed 'raw', on other canvases too", async () => {
    const small = dist.createDomain('digit-circle', { size: 48, minRadius: 8, jitter: 1, maxDigits: 4 });
    const [batch] = await collect(small, { seed: 'raw', start: 6, end: 9, batchSize: 3, workers: 1 });
    expect(batch!.shape).toEqual([3, 48, 48, 1]);
    expect(batch!.labels).toEqual([6, 7, 8].map((i) => small.sampleRaw(i).label));
    expect((await collect(domain, { seed: 'raw', start: 6, end: 7, batchSize: 1, workers: 1 }))[0]!.labels[0]).toEqual(['0', '7', '2', '6', '3', '4']);
  });

  it('keeps at most prefetch batches ahead of a stalled consumer', async () => {
    const stream = dist.batches(domain, { seed: 3, batchSize: 100, workers: 2, prefetch: 2 });
    await stream.next();
    // Resident memory, which also counts batches still queued in the message channel. Unbounded,
    // two workers would pile up hundreds of 4 MB batches in this pause (measured: +330 MB).
    const before = process.memoryUsage().rss;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const grown = process.memoryUsage().rss - before;
    await stream.return();
    expect(grown).toBeLessThan(100e6);
  });

  it('stops its workers when the loop ends early, and an abandoned iterator does not hold the process', async () => {
    const script = fileURLToPath(new URL('./fixtures/early-exit.mjs', import.meta.url));
    const { stdout } = await run(process.execPath, [script], { timeout: 20_000 });
    expect(stdout.trim()).toBe('ok 30 10');
  });

  it('starts its worker from the CommonJS build too', async () => {
    const script = fileURLToPath(new URL('./fixtures/cjs-workers.cjs', import.meta.url));
    const { stdout } = await run(process.execPath, [script], { timeout: 20_000 });
    expect(stdout.trim()).toBe(digest(await collect(domain, { seed: 1, batchSize: 4, end: 10, workers: 0 })));
  });

  it('reports a worker that cannot build the domain', async () => {
    const broken = Object.create(domain, { options: { value: { size: 1 } } }) as Domain;
    await expect(collect(broken, { seed: 1, batchSize: 2, end: 4, workers: 1 })).rejects.toThrow(
      'batches: worker 0 crashed: DigitCircle: options.size: expected an integer in [26, 10000], received 1',
    );
  });

  it('rejects bad options at the call', () => {
    expect(() => dist.batches(domain, { seed: 1, batchSize: 0 })).toThrow('batches: options.batchSize: expected an integer >= 1, received 0');
    expect(() => dist.batches(domain, { seed: 1.5, batchSize: 1 })).toThrow("batches: options.seed: expected a safe integer or 'raw', received 1.5");
    expect(() => dist.batches(domain, { seed: 1, batchSize: 1, start: 5, end: 4 })).toThrow('batches: options.end: expected an integer >= start (5), or omitted for endless, received 4');
    expect(() => dist.batches(domain, { seed: 1, batchSize: 1, workers: -1 })).toThrow('batches: options.workers: expected an integer in [0, 64], received -1');
    const custom = Object.create(domain, { name: { value: 'my-domain' } }) as Domain;
    expect(() => dist.batches(custom, { seed: 1, batchSize: 1 })).toThrow(
      'batches: domain.name: expected a registered domain name so worker threads can rebuild the domain (or pass workers: 0), received "my-domain"',
    );
  });
});
