import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bootstrapMeanCI, type BootstrapOptions } from '@sparling/metrics';
import { evaluateRun, writeFileAtomic, type EvaluationResult, type RunConfig, type StopReason } from '@sparling/models';
import { parseNumberFlag } from '../args.js';
import { startBackend } from '../backend-flag.js';
import type { Command } from '../command.js';
import { UsageError, type CliIo } from '../io.js';
import { formatNumber } from '../progress.js';
import { evaluationProgress } from './eval.js';
import { parseRunSetup, RUN_FLAGS, runFlagsHelp, trainOrResume, type TrainingOutcome } from './train.js';

/** Guards against a typo such as `1-100000` queueing a practically endless sweep. */
const MAX_SEEDS = 1000;

const SEEDS_EXPECTED = 'comma-separated non-negative integers and ranges, e.g. 1-3, 1,4,7 or 1-3,10';

/** Fixed so that rerunning a sweep prints the same intervals; the defaults reproduce the reference's `bootstrap_mean`. */
export const SWEEP_BOOTSTRAP: Required<BootstrapOptions> = { resamples: 1000, alpha: 0.05, seed: 0 };

/** Parses `--seeds`: `1-3`, `1,4,7` and mixes such as `1-3,10`, in the order given, each seed once. */
export function parseSeedList(value: string | undefined): number[] {
  if (value === undefined) throw new UsageError(`--seeds is required: expected ${SEEDS_EXPECTED}`);
  const seeds: number[] = [];
  const seen = new Set<number>();
  for (const part of value.split(',')) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (match === null) throw new UsageError(`--seeds: expected ${SEEDS_EXPECTED}, received ${JSON.stringify(value)} (cannot read ${JSON.stringify(part)})`);
    const low = Number(match[1]);
    const high = match[2] === undefined ? low : Number(match[2]);
    if (!Number.isSafeInteger(high)) throw new UsageError(`--seeds: expected seeds below 2^53, received ${JSON.stringify(value)}`);
    if (high < low) throw new UsageError(`--seeds: range ${JSON.stringify(part.trim())} runs backwards in ${JSON.stringify(value)}; expected low-high with low <= high`);
    if (seeds.length + (high - low + 1) > MAX_SEEDS) throw new UsageError(`--seeds: expected at most ${MAX_SEEDS} seeds, received ${JSON.stringify(value)}`);
    for (let seed = low; seed <= high; seed++) {
      if (seen.has(seed)) throw new UsageError(`--seeds: seed ${seed} is listed twice in ${JSON.stringify(value)}; expected each seed once`);
      seen.add(seed);
      seeds.push(seed);
    }
  }
  return seeds;
}

const pct = (v: number) => `${(100 * v).toFixed(2)}%`;

/** The summarised metrics, in table order. */
const METRICS = [
  { key: 'fpe', label: 'FPE', format: pct },
  { key: 'fne', label: 'FNE', format: pct },
  { key: 'ce', label: 'CE', format: pct },
  { key: 'ceMajority', label: 'CE majority', format: pct },
  { key: 'e2ee', label: 'E2EE', format: pct },
  { key: 'accuracy', label: 'accuracy', format: pct },
  { key: 'density', label: 'density', format: formatNumber },
  { key: 'xMinimum', label: 'x minimum', format: (v: number) => v.toFixed(2) },
] as const;

export type SweepMetric = (typeof METRICS)[number]['key'];

/** A metric over the seeds: the mean and its bootstrap interval, null where no seed has a value. */
export interface MetricSummary {
  readonly mean: number | null;
  readonly low: number | null;
  readonly high: number | null;
  /** Seeds with a value (runs without a bottleneck have no motif metrics). */
  readonly count: number;
}

export interface SeedResult {
  readonly seed: number;
  readonly runDir: string;
  /** What this invocation did: a new run, a resumed one, or none because the run had finished. */
  readonly training: TrainingOutcome['training'];
  readonly samplesSeen: number;
  readonly stopReason: StopReason | null;
  /** The summarised metrics of this seed (null: not defined for this run). */
  readonly values: Readonly<Record<SweepMetric, number | null>>;
  readonly evaluation: EvaluationResult;
}

/** What `sweep.json` holds. */
export interface SweepReport {
  readonly version: 1;
  readonly domain: RunConfig['domain'];
  readonly preset: string;
  readonly model: RunConfig['model'];
  readonly training: RunConfig['training'];
  readonly seeds: readonly number[];
  /** Items for E2EE/accuracy and for the motif metrics of each seed. */
  readonly count: number;
  readonly bootstrap: Required<BootstrapOptions>;
  readonly results: readonly SeedResult[];
  readonly summary: Readonly<Record<SweepMetric, MetricSummary>>;
}

const known = (v: number | null) => (v === null || Number.isNaN(v) ? null : v);

function seedValues(e: EvaluationResult): Record<SweepMetric, number | null> {
  return {
    fpe: known(e.fpe),
    fne: known(e.fne),
    ce: known(e.ce),
    ceMajority: known(e.ceMajority),
    e2ee: known(e.e2ee),
    accuracy: known(e.accuracy),
    density: known(e.density),
    xMinimum: e.density === null ? null : known(e.density / e.minimumDensity),
  };
}

/** Mean and bootstrap interval of every metric over the seeds. */
export function summarize(results: readonly Pick<SeedResult, 'values'>[], options: BootstrapOptions = SWEEP_BOOTSTRAP): Record<SweepMetric, MetricSummary> {
  const entries = METRICS.map(({ key }) => {
    const ci = bootstrapMeanCI(results.map((r) => r.values[key] ?? NaN), options);
    return [key, { mean: known(ci.mean), low: known(ci.low), high: known(ci.high), count: ci.count }] as const;
  });
  return Object.fromEntries(entries) as Record<SweepMetric, MetricSummary>;
}

/** One row per metric: the value of each seed, the mean and the 95% interval. */
export function sweepTable(report: SweepReport): string {
  const show = (format: (v: number) => string, v: number | null) => (v === null ? 'n/a' : format(v));
  const rows = [
    ['metric', ...report.results.map((r) => `seed ${r.seed}`), 'mean', `${Math.round(100 * (1 - report.bootstrap.alpha))}% CI`],
    ...METRICS.map(({ key, label, format }) => {
      const s = report.summary[key];
      const interval = s.low === null || s.high === null ? 'n/a' : `[${format(s.low)}, ${format(s.high)}]`;
      return [label, ...report.results.map((r) => show(format, r.values[key])), show(format, s.mean), interval];
    }),
  ];
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => row[c]?.length ?? 0))) ?? [];
  // Labels left-aligned, numbers right-aligned, the interval last and unpadded.
  return rows
    .map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : c === row.length - 1 ? cell : cell.padStart(widths[c] ?? 0))).join('  '))
    .map((line) => `${line}\n`)
    .join('');
}

/** The first setting in which a stored run differs from the sweep's, or null. */
const USAGE = `usage: sparling sweep <domain> --seeds LIST [--count N] [--out DIR] [--json] [train options]

Reruns one configuration over several seeds and reports each metric's mean with a 95% bootstrap
confidence interval. Each seed N trains into DIR/seed<N> exactly as \`sparling train --seed N\`
would with the same options; a seed whose run exists is resumed, or not retrained if it finished
(its run.json must match the options). Then the seed's lowest-density snapshot (or its latest
checkpoint if it has none) is evaluated as \`sparling eval\` does, every time the sweep runs. The
table lists FPE, FNE, CE, CE majority, E2EE, accuracy, density and x minimum per seed with the
mean and interval (1000 resamples, seeded: the same runs print the same numbers); everything is
written to DIR/sweep.json. Ctrl-C checkpoints the running seed and stops: rerun to continue.

  --seeds LIST          seeds and ranges: 1-3, 1,4,7 or 1-3,10 (each seed once)
  --count N             evaluation items for each part (default 10000)
  --out DIR             sweep folder (default runs/<domain>-<preset>-sweep)
  --json                print sweep.json instead of the table (training tables go to stderr)

${runFlagsHelp()}`;

export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'train and evaluate one configuration over several seeds: means with bootstrap intervals',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        ...RUN_FLAGS,
        seeds: { type: 'string' },
        count: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const seeds = parseSeedList(values.seeds);
    const count = parseNumberFlag('count', values.count, { integer: true, min: 1 }) ?? 10_000;
    const setup = await parseRunSetup(positionals, values, (d, p) => join('runs', `${d}-${p}-sweep`), io);
    // With --json, stdout carries exactly one object.
    const tableIo: CliIo = values.json ? { ...io, stdout: io.stderr } : io;

    await startBackend(io, setup.backend);
    io.stderr(`sweep ${setup.domainName} (${JSON.stringify(setup.domain.options)}), preset ${setup.presetName}, bottleneck ${setup.model.bottleneck.kind}, seeds ${seeds.join(', ')} -> ${setup.runDir}\n`);
    const results: SeedResult[] = [];
    for (const [i, seed] of seeds.entries()) {
      const runDir = join(setup.runDir, `seed${seed}`);
      const position = `seed ${seed} (${i + 1} of ${seeds.length})`;
      const trained = await trainOrResume(io, tableIo, setup, seed, runDir, position);
      if (trained.stopReason === 'interrupted') {
        io.stderr(`sweep stopped during seed ${seed}; rerun the same command to resume it and go on\n`);
        return 1;
      }
      io.stderr(`${position}: evaluating on ${count} items\n`);
      const evaluation = (await evaluateRun(runDir, { count, workers: setup.workers, onProgress: evaluationProgress(io) }))[0] as EvaluationResult;
      results.push({ seed, runDir, ...trained, values: seedValues(evaluation), evaluation });
    }

    const report: SweepReport = {
      version: 1,
      domain: { name: setup.domain.name, options: setup.domain.options },
      preset: setup.presetName,
      model: setup.model,
      training: setup.training,
      seeds,
      count,
      bootstrap: SWEEP_BOOTSTRAP,
      results,
      summary: summarize(results),
    };
    const file = join(setup.runDir, 'sweep.json');
    await writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
    if (values.json) {
      io.stdout(`${JSON.stringify(report)}\n`);
      return 0;
    }
    io.stdout(`\n${sweepTable(report)}`);
    io.stdout(`(${seeds.length} seeds; mean and bootstrap interval over seeds; E2EE/accuracy on ${count} items of seed -2, motif metrics on ${results[0]?.evaluation.motifItems ?? 0} items; written to ${file})\n`);
    return 0;
  },
};
