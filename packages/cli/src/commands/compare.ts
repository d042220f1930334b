import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatDensity, readRunConfig, runConfigDifference, type RunConfig, type StoredEvaluation } from '@sparling/models';
import type { Command } from '../command.js';
import { UsageError, type CliIo } from '../io.js';
import { formatNumber } from '../progress.js';
import { missedSymbols, sharedSymbols } from './eval.js';
import { RETRAIN_MAX_SAMPLES } from './retrain.js';
import { parseRunSetup, RUN_FLAGS, TRAINING_FLAGS, type RunFlagValues } from './train.js';

const USAGE = `usage: sparling compare RUN... [--markdown] [--json]

Lists runs side by side in the form of the paper's Table 1: FPE, FNE, CE, CE majority, E2EE,
exact accuracy, density and its multiple of the minimum, the samples trained, the symbols
missed (those whose own FNE is at least 50%: no channel finds most of them) and those sharing a
channel (found symbols with the same main channel, e.g. "6/8"), with the command
that trains each run again, rebuilt from its run.json. The metrics are each run's stored
evaluation of its lowest-density snapshot (or of its latest checkpoint, for runs without a
threshold): run 'sparling eval RUN' first. Nothing is trained or evaluated.

  --markdown   print a Markdown table (commands in the table) instead of the text table
  --json       print one JSON object: { "runs": [...] }`;

/** The command that trains a run again, rebuilt from its run.json. */
export interface RebuiltCommand {
  /** The words of the command, e.g. `['sparling', 'train', 'digit-circle', '--mode', 'global']`. */
  readonly argv: readonly string[];
  /**
   * Null when the command's run.json equals the stored one (checked by parsing the command back);
   * otherwise why it may not: the first setting that differs, or why no command could be built.
   */
  readonly mismatch: string | null;
}

/** One row of the comparison. */
export interface ComparedRun {
  readonly run: string;
  readonly command: RebuiltCommand;
  /** The `eval-*.json` the metrics come from. */
  readonly evaluationFile: string;
  readonly evaluation: StoredEvaluation;
}

/** Quotes a word for a POSIX shell only when it needs it. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export function commandLine(command: RebuiltCommand): string {
  return command.argv.map(shellWord).join(' ');
}

const silentIo: CliIo = { stdout: () => {}, stderr: () => {}, interactive: false };

/** Parses train flags the way `sparling train` does, without its --out, --seed or --resume. */
async function setupFromFlags(domainName: string, flags: readonly string[]) {
  const { values, positionals } = parseArgs({ args: [domainName, ...flags], allowPositionals: true, options: RUN_FLAGS });
  return parseRunSetup(positionals, values as RunFlagValues, () => '', silentIo);
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The `sparling train` (or `sparling retrain`) command whose run.json equals `config`: the flags
 * that move the preset's settings to the stored ones. The command is parsed back and its run.json
 * compared with `config`, so a setting no flag sets (e.g. a preset changed since the run) shows up
 * as `mismatch` instead of a wrong command.
 *
 * @example
 * commandLine(await rebuildCommand(await readRunConfig('runs/dc-st'))); // 'sparling train digit-circle --mode global'
 */
export async function rebuildCommand(config: RunConfig): Promise<RebuiltCommand> {
  if (config.retrain) {
    const argv = ['sparling', 'retrain', config.retrain.source, '--density', formatDensity(config.retrain.density)];
    if (config.training.maxSamples !== RETRAIN_MAX_SAMPLES) argv.push('--max-samples', String(config.training.maxSamples));
    if (config.replicas !== undefined) argv.push('--replicas', String(config.replicas));
    return { argv, mismatch: config.model.bottleneck.kind === 'none' ? null : `bottleneck ${config.model.bottleneck.kind} (retrain removes the bottleneck)` };
  }
  const domainName = config.domain.name;
  const argv = ['sparling', 'train', domainName];
  const base: string[] = [];
  if (config.preset === undefined) return { argv, mismatch: 'run.json names no preset' };
  if (config.preset !== 'cpu') base.push('--preset', config.preset);
  try {
    let defaults = await setupFromFlags(domainName, base);
    if (!sameJson(defaults.domain.options, config.domain.options)) {
      base.push('--domain-options', JSON.stringify(config.domain.options));
      // The preset is sized for its domain, so it is read again for the stored options.
      defaults = await setupFromFlags(domainName, base);
    }
    const { model: preset, training } = defaults;
    const stored = config.model.bottleneck;
    const flags = [...base];
    if (stored.kind !== preset.bottleneck.kind) flags.push('--bottleneck', stored.kind);
    if (stored.mode !== preset.bottleneck.mode) flags.push('--mode', stored.mode);
    // train requires --lambda with l1 and kl, even where it equals the preset's.
    if (stored.kind === 'l1' || stored.kind === 'kl' || stored.lambda !== preset.bottleneck.lambda) flags.push('--lambda', String(stored.lambda));
    if (stored.targetDensity !== undefined) flags.push('--kl-target', String(stored.targetDensity));
    if (!stored.batchNorm && preset.bottleneck.batchNorm) flags.push('--no-batchnorm');
    if (stored.density !== preset.bottleneck.density) flags.push('--start-density', String(stored.density));
    if (config.model.motif.width !== preset.motif.width) flags.push('--motif-width', String(config.model.motif.width));
    const interval = config.training.annealer.minUpdateInterval;
    if (interval !== undefined && interval !== training.annealer.minUpdateInterval) flags.push('--min-update-interval', String(interval));
    const settle = config.training.settleSamples ?? 0;
    if (settle !== (training.settleSamples ?? 0)) flags.push('--settle-samples', String(settle));
    for (const [key, flag] of TRAINING_FLAGS) if (config.training[key] !== training[key]) flags.push(`--${flag}`, String(config.training[key]));
    argv.push(...flags);
    // Replicas change how a step is computed, not run.json's settings, so they are not parsed back.
    if (config.replicas !== undefined) argv.push('--replicas', String(config.replicas));
    if (config.seed !== 1) argv.push('--seed', String(config.seed));

    const rebuilt = await setupFromFlags(domainName, flags);
    const differs = runConfigDifference(config, {
      version: 1,
      domain: { name: rebuilt.domain.name, options: rebuilt.domain.options },
      model: rebuilt.model,
      training: rebuilt.training,
      seed: config.seed,
    });
    return { argv, mismatch: differs === null ? null : `its run.json has a different ${differs} than this command gives` };
  } catch (error) {
    return { argv, mismatch: `no command could be rebuilt: ${(error as Error).message}` };
  }
}

const EVALUATION_FILE = /^eval-(latest|\d(?:\.\d+)?e[-+]\d+)\.json$/;

/**
 * The run's stored evaluation that `sparling eval RUN` writes by default: the one of the
 * lowest-density snapshot, or `eval-latest.json` when no snapshot was evaluated.
 */
export async function defaultEvaluationFile(runDir: string): Promise<string> {
  const names = (await readdir(runDir)).filter((n) => EVALUATION_FILE.test(n));
  const densities = names.filter((n) => n !== 'eval-latest.json').sort((a, b) => density(a) - density(b));
  const chosen = densities[0] ?? names.find((n) => n === 'eval-latest.json');
  if (chosen === undefined) throw new Error(`${runDir} has no stored evaluation (eval-*.json): run 'sparling eval ${runDir}' first`);
  return join(runDir, chosen);
}

function density(file: string): number {
  return Number(EVALUATION_FILE.exec(file)?.[1]);
}

/** Reads one run folder: its rebuilt command and its default stored evaluation. */
export async function compareRun(runDir: string): Promise<ComparedRun> {
  const config = await readRunConfig(runDir);
  const evaluationFile = await defaultEvaluationFile(runDir);
  const evaluation = JSON.parse(await readFile(evaluationFile, 'utf8')) as StoredEvaluation;
  return { run: runDir, command: await rebuildCommand(config), evaluationFile, evaluation };
}

const pct = (v: number | null) => (v === null ? '-' : `${(100 * v).toFixed(2)}%`);

/** Density of the threshold, or the measured nonzero fraction for bottlenecks without one. */
function densityCells(e: StoredEvaluation): { density: string; times: string } {
  const value = e.density ?? e.measuredDensity;
  if (value === null) return { density: '-', times: '-' };
  const times = `${(value / e.minimumDensity).toFixed(2)}x`;
  return e.density === null ? { density: `${formatNumber(value)} measured`, times } : { density: formatNumber(value), times };
}

const HEADER = ['FPE', 'FNE', 'CE', 'CE maj', 'E2EE', 'exact', 'density', 'x min', 'samples', 'missed', 'shared'] as const;

function metricCells(e: StoredEvaluation): string[] {
  const { density, times } = densityCells(e);
  return [pct(e.fpe), pct(e.fne), pct(e.ce), pct(e.ceMajority), pct(e.e2ee), pct(e.accuracy), density, times, String(e.samplesSeen), missedSymbols(e), sharedSymbols(e)];
}

const commandNote = (c: RebuiltCommand) => (c.mismatch === null ? '' : ` (not exact: ${c.mismatch})`);

/** The text table, then each run's command. */
export function comparisonTable(rows: readonly ComparedRun[]): string {
  const cells = [['run', ...HEADER], ...rows.map((r) => [r.run, ...metricCells(r.evaluation)])];
  const widths = cells[0]?.map((_, c) => Math.max(...cells.map((row) => row[c]?.length ?? 0))) ?? [];
  const table = cells.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ').trimEnd());
  const commands = rows.map((r) => `  ${r.run}: ${commandLine(r.command)}${commandNote(r.command)}`);
  return `${[...table, '', 'commands:', ...commands].join('\n')}\n`;
}

/** A Markdown table with the command of each run in its own column. */
export function comparisonMarkdown(rows: readonly ComparedRun[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return `${[
    line(['run', 'command', ...HEADER]),
    line(['---', '---', ...HEADER.map(() => '---:')]),
    ...rows.map((r) => line([r.run, `\`${commandLine(r.command)}\`${commandNote(r.command)}`, ...metricCells(r.evaluation)])),
  ].join('\n')}\n`;
}

export const compareCommand: Command = {
  name: 'compare',
  summary: "compare runs' stored evaluations in the form of the paper's Table 1, with each run's command",
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { markdown: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
    });
    if (positionals.length === 0) throw new UsageError('expected one or more run folders, received none');
    if (values.markdown && values.json) throw new UsageError('--markdown and --json: expected at most one of them, received both');
    const rows: ComparedRun[] = [];
    for (const runDir of positionals) rows.push(await compareRun(runDir));
    if (values.json) {
      io.stdout(`${JSON.stringify({ runs: rows.map((r) => ({ ...r, command: { line: commandLine(r.command), ...r.command } })) })}\n`);
      return 0;
    }
    io.stdout(values.markdown ? comparisonMarkdown(rows) : comparisonTable(rows));
    return 0;
  },
};
