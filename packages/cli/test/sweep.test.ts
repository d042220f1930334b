import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/index.js';
import { parseSeedList, type SweepReport } from '../src/commands/sweep.js';
import { capture } from './capture.js';

const tiny = JSON.stringify({ size: 32, minRadius: 1, jitter: 1, minDigits: 3, maxDigits: 3 });
const flags = ['--domain-options', tiny, '--batch-size', '16', '--max-samples', '32', '--validate-every', '32', '--validation-items', '16', '--backend', 'wasm', '--workers', '0'];
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sparling-cli-sweep-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('parseSeedList', () => {
  it('reads ranges, lists and mixes in the order given', () => {
    expect(parseSeedList('1-3')).toEqual([1, 2, 3]);
    expect(parseSeedList('1,4,7')).toEqual([1, 4, 7]);
    expect(parseSeedList('5, 1-2 ,0')).toEqual([5, 1, 2, 0]);
    expect(parseSeedList('4-4')).toEqual([4]);
  });

  it('names the flag, the value and the expectation in its errors', () => {
    expect(() => parseSeedList(undefined)).toThrow(/^--seeds is required: expected .*1-3/);
    expect(() => parseSeedList('1-x')).toThrow('--seeds: expected comma-separated non-negative integers and ranges, e.g. 1-3, 1,4,7 or 1-3,10, received "1-x" (cannot read "1-x")');
    for (const bad of ['', '1,,2', '-1', '1.5', '1-', 'a', '1-2-3']) expect(() => parseSeedList(bad), bad).toThrow(`received ${JSON.stringify(bad)}`);
    expect(() => parseSeedList('3-1')).toThrow('--seeds: range "3-1" runs backwards in "3-1"; expected low-high with low <= high');
    expect(() => parseSeedList('1-3,2')).toThrow('--seeds: seed 2 is listed twice in "1-3,2"; expected each seed once');
    expect(() => parseSeedList('1-100000')).toThrow('--seeds: expected at most 1000 seeds, received "1-100000"');
  });

  it('rejects bad --seeds on the command line with exit code 2 and nothing on stdout', async () => {
    for (const args of [['sweep', 'digit-circle'], ['sweep', 'digit-circle', '--seeds', '2-1'], ['sweep', '--seeds', '1-2'], ['sweep', 'digit-circle', '--seeds', '1', '--count', '0']]) {
      const io = capture();
      expect(await main(args, io), args.join(' ')).toBe(2);
      expect(io.out).toBe('');
      expect(io.err).toContain('usage: sparling sweep');
    }
  });
});

describe('sparling sweep', () => {
  it('trains and evaluates each seed, summarises them, resumes and skips existing runs', async () => {
    const out = join(root, 'sweep');
    // Seed 1 exists unfinished (paused halfway): the sweep resumes it.
    const pre = capture();
    expect(await main(['train', 'digit-circle', ...flags, '--seed', '1', '--out', join(out, 'seed1'), '--until', '16'], pre), pre.err).toBe(0);

    const io = capture();
    expect(await main(['sweep', 'digit-circle', ...flags, '--seeds', '1-2', '--count', '8', '--out', out], io), io.err).toBe(0);
    expect(io.err).toContain('seed 1 (1 of 2): resuming');
    expect(io.err).toContain(`seed 2 (2 of 2): training -> ${join(out, 'seed2')}`);
    expect(io.out).toContain('samples  accuracy   target');
    expect(io.out).toMatch(/^metric +seed 1 +seed 2 +mean +95% CI$/m);
    expect(io.out).toMatch(/^CE majority +/m);
    expect(io.out).toMatch(/^x minimum +/m);

    const report = JSON.parse(await readFile(join(out, 'sweep.json'), 'utf8')) as SweepReport;
    expect(report.seeds).toEqual([1, 2]);
    expect(report.results.map((r) => [r.seed, r.training, r.samplesSeen])).toEqual([[1, 'resumed', 32], [2, 'trained', 32]]);
    expect(report.results[0]?.evaluation).toMatchObject({ items: 8, source: 'checkpoints/latest' });
    let checked = 0;
    for (const [key, s] of Object.entries(report.summary)) {
      const values = report.results.map((r) => r.values[key as keyof typeof r.values]).filter((v): v is number => v !== null);
      expect(s.count, key).toBe(values.length);
      if (values.length === 0) continue;
      checked++;
      expect(s.mean, key).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 12);
      expect(s.low as number, key).toBeLessThanOrEqual(s.mean as number);
      expect(s.high as number, key).toBeGreaterThanOrEqual(s.mean as number);
    }
    expect(checked).toBeGreaterThanOrEqual(6);
    expect(report.summary.density.mean).toBeCloseTo(0.5 * 0.75 ** 6, 12);

    // Both runs have finished: nothing is retrained, the numbers repeat.
    const again = capture();
    const started = Date.now();
    expect(await main(['sweep', 'digit-circle', ...flags, '--seeds', '1-2', '--count', '8', '--out', out, '--json'], again), again.err).toBe(0);
    expect(again.err).toContain('seed 1 (1 of 2): ');
    expect(again.err).toContain('finished at 32 samples; not retraining');
    expect(again.err).not.toContain('samples  accuracy');
    const rerun = JSON.parse(again.out) as SweepReport;
    expect(rerun.results.map((r) => r.training)).toEqual(['skipped', 'skipped']);
    expect(rerun.results.map((r) => r.values)).toEqual(report.results.map((r) => r.values));
    expect(rerun.summary).toEqual(report.summary);
    expect(JSON.parse(await readFile(join(out, 'sweep.json'), 'utf8'))).toEqual(rerun);
    expect(Date.now() - started).toBeLessThan(30_000);

    // A run trained with other settings is not averaged in.
    const other = capture();
    expect(await main(['sweep', 'digit-circle', ...flags, '--seeds', '2', '--count', '8', '--out', out, '--learning-rate', '0.5'], other)).toBe(1);
    expect(other.err).toContain(`${join(out, 'seed2', 'run.json')} has a different training than these options`);
  });

  it('trains each seed with --replicas, and takes finished runs of another count as they are', async () => {
    const out = join(root, 'replicas');
    const io = capture();
    expect(await main(['sweep', 'digit-circle', ...flags, '--seeds', '3', '--count', '8', '--out', out, '--replicas', '2'], io), io.err).toBe(0);
    expect(JSON.parse(await readFile(join(out, 'seed3', 'run.json'), 'utf8'))).toMatchObject({ replicas: 2 });
    const again = capture();
    expect(await main(['sweep', 'digit-circle', ...flags, '--seeds', '3', '--count', '8', '--out', out], again), again.err).toBe(0);
    expect(again.err).toContain('finished at 32 samples; not retraining');
  });
});
