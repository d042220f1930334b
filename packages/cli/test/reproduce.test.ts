import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationResult } from '@sparling/models';
import { main } from '../src/index.js';
import { reproductionTargets, targetsTable } from '../src/commands/reproduce.js';
import { RUN_FLAGS, runFlagsHelp } from '../src/commands/train.js';
import { capture } from './capture.js';

const tiny = JSON.stringify({ size: 32, minRadius: 1, jitter: 1, minDigits: 3, maxDigits: 3 });
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sparling-cli-reproduce-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const evaluation = (over: Partial<EvaluationResult>): EvaluationResult =>
  ({ density: 2.1e-4, minimumDensity: 1.5e-4, ce: 0.01, fpe: 0.02, fne: 0.03, e2ee: 0.04, ...over }) as EvaluationResult;

describe('reproductionTargets', () => {
  it('meets every target at or under its limit', () => {
    const table = targetsTable(reproductionTargets(evaluation({}), 80 * 60));
    expect(table).toMatch(/density \/ minimum +1\.50x +1\.40x +met/);
    expect(table).toMatch(/E2EE +5\.00% +4\.00% +met/);
    expect(table).not.toContain('NOT met');
  });

  it('flags each target that is missed, and missing values', () => {
    const targets = reproductionTargets(evaluation({ density: 3e-4, fne: 0.051, ce: null }), 91 * 60);
    const table = targetsTable(targets);
    expect(table).toMatch(/density \/ minimum +1\.50x +2\.00x +NOT met/);
    expect(table).toMatch(/FNE +5\.00% +5\.10% +NOT met/);
    expect(table).toMatch(/CE \(assignment\) +5\.00% +n\/a +NOT met/);
    expect(table).toMatch(/training time .* NOT met/);
    expect(table).toMatch(/FPE +5\.00% +2\.00% +met/);
  });
});

describe('runFlagsHelp', () => {
  it('lists every train flag but --out, in lines that fit, in the usage of sweep and reproduce', async () => {
    const help = runFlagsHelp();
    for (const flag of Object.keys(RUN_FLAGS)) expect(help.includes(`--${flag},`) || help.includes(`--${flag}.`)).toBe(flag !== 'out');
    expect(help.split('\n').every((line) => line.length <= 96)).toBe(true);
    expect(runFlagsHelp(40).split('\n').every((line) => line.length <= 40)).toBe(true);
    for (const command of ['sweep', 'reproduce']) {
      const io = capture();
      expect(await main([command, '--help'], io)).toBe(0);
      expect(io.out + io.err).toContain(help);
    }
  });
});

describe('sparling reproduce', () => {
  it('trains, evaluates and reports a tiny run, then keeps the finished run on a second call', async () => {
    const out = join(root, 'run');
    const args = ['reproduce', 'digit-circle', '--domain-options', tiny, '--out', out, '--batch-size', '16', '--validate-every', '16', '--validation-items', '8', '--max-samples', '32', '--count', '8', '--report-count', '8', '--backend', 'wasm', '--workers', '0'];
    const first = capture();
    expect(await main(args, first), first.err).toBe(0);
    expect(first.err).toContain('1/3 train');
    expect(first.err).toContain('train: training -> ');
    expect(first.out).toContain('samples  accuracy   target');
    expect(first.out).toMatch(/target +at most +measured/);
    expect(first.out).toMatch(/density \/ minimum +1\.50x +\d+\.\d\dx/);
    expect(first.out).toContain(`report   ${join(out, 'report', 'index.html')}`);
    expect(existsSync(join(out, 'report', 'index.html'))).toBe(true);
    const stored = JSON.parse(await readFile(join(out, 'eval-latest.json'), 'utf8')) as { count: number; confusion: unknown };
    expect(stored.count).toBe(8);
    expect(stored.confusion).not.toBeNull();

    const second = capture();
    expect(await main(args, second), second.err).toBe(0);
    expect(second.err).toContain('not retraining');
    expect(second.out).not.toContain('samples  accuracy   target');
    const table = (s: string) => s.slice(s.search(/^target +at most/m));
    expect(table(second.out)).toBe(table(first.out));
  }, 300_000);

  it('refuses to continue a run folder that holds other settings', async () => {
    const out = join(root, 'run');
    const io = capture();
    const code = await main(['reproduce', '--domain-options', tiny, '--out', out, '--batch-size', '8', '--max-samples', '32', '--backend', 'wasm', '--workers', '0'], io);
    expect(code).not.toBe(0);
    expect(io.err).toMatch(/run\.json has a different training than these options/);
  });
});
