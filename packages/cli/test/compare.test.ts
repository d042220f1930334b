import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunConfig, type RunConfig } from '@sparling/models';
import { main, type CliIo } from '../src/index.js';
import { commandLine, compareRun, defaultEvaluationFile, rebuildCommand } from '../src/commands/compare.js';
import { parseRunSetup, RUN_FLAGS, type RunFlagValues } from '../src/commands/train.js';
import { capture } from './capture.js';

/** The seed-1 run and Table 1 rows committed under docs/results: real run.json and eval files. */
const results = fileURLToPath(new URL('../../../docs/results/', import.meta.url));

const silent: CliIo = { stdout: () => {}, stderr: () => {}, interactive: false };

/** The run.json `sparling train <domain> ...flags --seed N` writes. */
async function configOf(domain: string, flags: readonly string[], seed = 1): Promise<RunConfig> {
  const { values, positionals } = parseArgs({ args: [domain, ...flags], allowPositionals: true, options: RUN_FLAGS });
  const setup = await parseRunSetup(positionals, values as RunFlagValues, () => '', silent);
  return { version: 1, domain: { name: setup.domain.name, options: setup.domain.options }, model: setup.model, training: setup.training, seed, preset: setup.presetName };
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sparling-cli-compare-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('rebuildCommand', () => {
  it('names the command of each committed Table 1 run', async () => {
    const cases: [string, string][] = [
      ['cpu-seed1', 'sparling train digit-circle --replicas 2'],
      ['tuning/k-w16-seed1', 'sparling train digit-circle --settle-samples 0 --replicas 2'],
      ['tuning/e-cpu-seed1-w8', 'sparling train digit-circle --start-density 0.028156 --motif-width 8 --settle-samples 0 --max-samples 280000'],
      ['table1/st', 'sparling train digit-circle --mode global --start-density 0.028156 --motif-width 8 --settle-samples 0 --max-samples 280000'],
      ['table1/l1-1', 'sparling train digit-circle --bottleneck l1 --lambda 1 --start-density 0.028156 --motif-width 8 --settle-samples 0 --max-samples 280000'],
      ['table1/l1-0.1', 'sparling train digit-circle --bottleneck l1 --lambda 0.1 --start-density 0.028156 --motif-width 8 --settle-samples 0 --max-samples 280000 --replicas 2'],
      ['table1/l1-10', 'sparling train digit-circle --bottleneck l1 --lambda 10 --start-density 0.028156 --motif-width 8 --settle-samples 0 --max-samples 280000'],
      ['table1/kl-1', 'sparling train digit-circle --bottleneck kl --lambda 1 --start-density 0.028156 --motif-width 8 --settle-samples 0 --max-samples 280000'],
      ['table1/kl-0.1', 'sparling train digit-circle --bottleneck kl --lambda 0.1 --start-density 0.028156 --motif-width 8 --settle-samples 0 --max-samples 280000'],
      ['table1/nobn', 'sparling train digit-circle --no-batchnorm --start-density 0.028156 --motif-width 8 --settle-samples 0 --max-samples 280000'],
      ['tuning/b-start0.5', 'sparling train digit-circle --start-density 0.5 --motif-width 8 --settle-samples 0 --max-samples 280000'],
      ['table1/retrained', 'sparling retrain /tmp/exp/E --density 2.116472e-04 --max-samples 250000'],
    ];
    for (const [folder, expected] of cases) {
      const command = await rebuildCommand(await readRunConfig(join(results, folder)));
      expect(commandLine(command), folder).toBe(expected);
      expect(command.mismatch, folder).toBeNull();
    }
  });

  it('turns every train flag back into the run.json it wrote', async () => {
    const tiny = JSON.stringify({ size: 32, minRadius: 1, jitter: 1, minDigits: 3, maxDigits: 3, preNoise: 0.5, postNoise: 0.05 });
    const cases: (readonly string[])[] = [
      ['--bottleneck', 'kl', '--lambda', '0.1'],
      ['--bottleneck', 'kl', '--lambda', '1', '--kl-target', '0.00015156'],
      ['--mode', 'global', '--no-batchnorm', '--start-density', '0.0002116472'],
      ['--start-density', '0.028156', '--motif-width', '8'],
      ['--min-update-interval', '10000'],
      ['--settle-samples', '0'],
      ['--settle-samples', '20000'],
      ['--bottleneck', 'none'],
      ['--domain-options', tiny, '--max-samples', '32', '--validate-every', '16', '--validation-items', '8', '--batch-size', '16', '--learning-rate', '0.002'],
      ['--preset', 'paper'],
    ];
    for (const flags of cases) {
      const command = await rebuildCommand(await configOf('digit-circle', flags));
      expect(command.argv, flags.join(' ')).toEqual(['sparling', 'train', 'digit-circle', ...flags]);
      expect(command.mismatch).toBeNull();
    }
    expect((await rebuildCommand(await configOf('digit-circle', [], 7))).argv).toEqual(['sparling', 'train', 'digit-circle', '--seed', '7']);
    const split = { ...(await configOf('digit-circle', ['--mode', 'global'], 2)), replicas: 2 };
    expect(commandLine(await rebuildCommand(split))).toBe('sparling train digit-circle --mode global --replicas 2 --seed 2');
  });

  it('says when no flag gives the stored settings, instead of printing a wrong command', async () => {
    const config = await configOf('digit-circle', []);
    const changed = { ...config, model: { ...config.model, post: { ...config.model.post, heads: 2 } } };
    const command = await rebuildCommand(changed);
    expect(commandLine(command)).toBe('sparling train digit-circle');
    expect(command.mismatch).toBe('its run.json has a different model than this command gives');
    const { preset: _, ...scripted } = config;
    expect((await rebuildCommand(scripted)).mismatch).toBe('run.json names no preset');
  });
});

describe('defaultEvaluationFile', () => {
  it('takes the lowest-density evaluation, then eval-latest.json, and says what to run when there is none', async () => {
    expect(await defaultEvaluationFile(join(results, 'cpu-seed1'))).toBe(join(results, 'cpu-seed1', 'eval-2.116528e-04.json'));
    expect(await defaultEvaluationFile(join(results, 'table1/l1-1'))).toBe(join(results, 'table1/l1-1', 'eval-latest.json'));
    const empty = join(root, 'empty');
    await mkdir(empty);
    await copyFile(join(results, 'table1/st/run.json'), join(empty, 'run.json'));
    await expect(defaultEvaluationFile(empty)).rejects.toThrow(`${empty} has no stored evaluation (eval-*.json): run 'sparling eval ${empty}' first`);
  });
});

describe('sparling compare', () => {
  it('prints the stored metrics of each run with its command', async () => {
    const st = join(results, 'table1/st');
    const stored = JSON.parse(await readFile(join(st, 'eval-2.116472e-04.json'), 'utf8'));
    const row = await compareRun(st);
    expect(row.evaluation).toEqual(stored);

    const io = capture();
    expect(await main(['compare', join(results, 'tuning/e-cpu-seed1-w8'), st, join(results, 'table1/l1-1')], io), io.err).toBe(0);
    const lines = io.out.split('\n');
    expect(lines[0]).toMatch(/^run +FPE +FNE +CE +CE maj +E2EE +exact +density +x min +samples +missed +shared$/);
    expect(lines[1]).toMatch(/e-cpu-seed1-w8 +1\.38% +14\.51% +1\.66% +1\.66% +39\.61% +26\.01% +2\.116e-4 +1\.40x +241152 +7 +none$/);
    expect(lines[2]).toMatch(/st +0\.01% +23\.88% +1\.72% +1\.72% +43\.46% +20\.31% +2\.116e-4 +1\.40x +226080 +2 7 +none$/);
    expect(lines[3]).toMatch(/l1-1 +93\.71% +0\.42% +45\.40% .* measured +29\.94x +280000 +none +2\/3\/4\/5\/7$/);
    expect(io.out).toContain(`  ${st}: sparling train digit-circle --mode global --start-density 0.028156 --motif-width 8 --settle-samples 0 --max-samples 280000\n`);

    const md = capture();
    expect(await main(['compare', st, '--markdown'], md), md.err).toBe(0);
    expect(md.out.split('\n')[2]).toBe(`| ${st} | \`sparling train digit-circle --mode global --start-density 0.028156 --motif-width 8 --settle-samples 0 --max-samples 280000\` | 0.01% | 23.88% | 1.72% | 1.72% | 43.46% | 20.31% | 2.116e-4 | 1.40x | 226080 | 2 7 | none |`);

    const json = capture();
    expect(await main(['compare', st, '--json'], json), json.err).toBe(0);
    const parsed = JSON.parse(json.out);
    expect(parsed.runs[0].command.line).toBe('sparling train digit-circle --mode global --start-density 0.028156 --motif-width 8 --settle-samples 0 --max-samples 280000');
    expect(parsed.runs[0].evaluation.fne).toBe(stored.fne);
  });

  it('rejects a call without runs, with both formats, or with a run that has no evaluation', async () => {
    for (const args of [['compare'], ['compare', join(results, 'table1/st'), '--markdown', '--json']]) {
      const io = capture();
      expect(await main(args, io), args.join(' ')).toBe(2);
      expect(io.out).toBe('');
      expect(io.err).toContain('usage: sparling compare');
    }
    const bare = join(root, 'bare');
    await mkdir(bare);
    await copyFile(join(results, 'table1/st/run.json'), join(bare, 'run.json'));
    await writeFile(join(bare, 'notes.txt'), 'no evaluation here\n');
    const io = capture();
    expect(await main(['compare', bare], io)).toBe(1);
    expect(io.err).toContain(`run 'sparling eval ${bare}' first`);
  });
});
