import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluateRun, readLog, type EvaluationResult } from '@sparling/models';
import { parseNumberFlag } from '../args.js';
import { startBackend } from '../backend-flag.js';
import type { Command } from '../command.js';
import { formatDuration, formatNumber } from '../progress.js';
import { buildReport, trainingSeconds } from '../report/build.js';
import { evaluationProgress, evaluationTable } from './eval.js';
import { parseRunSetup, RUN_FLAGS, runFlagsHelp, trainOrResume } from './train.js';

/** One claim of the reproduction and how it is read off the evaluation. */
export interface ReproductionTarget {
  readonly label: string;
  readonly limit: number;
  readonly measured: number | null;
  readonly format: (value: number) => string;
}

const pct = (v: number) => `${(100 * v).toFixed(2)}%`;

/**
 * The paper's central claim as checked on one run: SPARLING gets within 1.5x of the minimum
 * density while the motifs stay the digits (CE, FPE, FNE) and the end-to-end task stays solved
 * (E2EE), each error at most 5%; and the CPU preset finishes in 90 minutes.
 */
export function reproductionTargets(evaluation: EvaluationResult, seconds: number): ReproductionTarget[] {
  const x = evaluation.density === null ? null : evaluation.density / evaluation.minimumDensity;
  return [
    { label: 'density / minimum', limit: 1.5, measured: x, format: (v) => `${v.toFixed(2)}x` },
    { label: 'CE (assignment)', limit: 0.05, measured: evaluation.ce, format: pct },
    { label: 'FPE', limit: 0.05, measured: evaluation.fpe, format: pct },
    { label: 'FNE', limit: 0.05, measured: evaluation.fne, format: pct },
    { label: 'E2EE', limit: 0.05, measured: evaluation.e2ee, format: pct },
    { label: 'training time', limit: 90 * 60, measured: seconds, format: formatDuration },
  ];
}

export function targetsTable(targets: readonly ReproductionTarget[]): string {
  const rows = [
    ['target', 'at most', 'measured', ''],
    ...targets.map((t) => [
      t.label,
      t.format(t.limit),
      t.measured === null ? 'n/a' : t.format(t.measured),
      t.measured !== null && t.measured <= t.limit ? 'met' : 'NOT met',
    ]),
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]?.length ?? 0)));
  return rows.map((r) => `${(r[0] ?? '').padEnd(widths[0] ?? 0)}  ${(r[1] ?? '').padStart(widths[1] ?? 0)}  ${(r[2] ?? '').padStart(widths[2] ?? 0)}  ${r[3] ?? ''}`.trimEnd()).join('\n') + '\n';
}

const USAGE = `usage: sparling reproduce [domain] [--seed N] [--count N] [--report-count N] [train options]

The whole SPARLING pipeline on one run, resumable at every stage: trains (as \`sparling train\`,
default digit-circle with the cpu preset; an unfinished run in the folder is resumed and a
finished one is kept), evaluates the lowest-density snapshot (as \`sparling eval\`), writes the
HTML report (as \`sparling report\`) and prints the paper's claims next to what this run measured:
density at most 1.5x the minimum, CE, FPE, FNE and E2EE at most 5%, training within 90 minutes.
The README's first command runs this with --replicas 2 (the cpu preset is sized for two cores).

  --seed N              training seed (default 1)
  --out DIR             run folder (default runs/<domain>-<preset>-seed<N>)
  --count N             items for the final evaluation (default 10000, as the paper)
  --report-count N      items per snapshot for the report's Figure 5 (default 1000)

${runFlagsHelp()}`;

export const reproduceCommand: Command = {
  name: 'reproduce',
  summary: 'train, evaluate and report one run, then check it against the paper\'s claims',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        ...RUN_FLAGS,
        seed: { type: 'string' },
        count: { type: 'string' },
        'report-count': { type: 'string' },
      },
    });
    const seed = parseNumberFlag('seed', values.seed, { integer: true }) ?? 1;
    const count = parseNumberFlag('count', values.count, { integer: true, min: 1 }) ?? 10_000;
    const reportCount = parseNumberFlag('report-count', values['report-count'], { integer: true, min: 1 }) ?? 1000;
    const setup = await parseRunSetup(positionals.length === 0 ? ['digit-circle'] : positionals, values, (d, p) => join('runs', `${d}-${p}-seed${seed}`), io);
    const { runDir, workers } = setup;

    await startBackend(io, setup.backend);
    io.stderr(`1/3 train ${setup.domainName} (${JSON.stringify(setup.domain.options)}), preset ${setup.presetName}, seed ${seed}\n`);
    const trained = await trainOrResume(io, io, setup, seed, runDir, 'train');
    if (trained.stopReason === 'interrupted') {
      io.stderr('stopped during training; rerun the same command to resume\n');
      return 1;
    }

    io.stderr(`2/3 evaluate the lowest-density snapshot on ${count} items\n`);
    // Stored with its confusion matrix, so the report below reuses it rather than scoring fewer items.
    const evaluation = (await evaluateRun(runDir, { count, workers, onProgress: evaluationProgress(io) }))[0] as EvaluationResult;
    io.stdout(`\n${evaluationTable([evaluation])}`);

    io.stderr(`3/3 report (Figure 5 on ${reportCount} items per snapshot)\n`);
    const files = await buildReport(runDir, { out: join(runDir, 'report', 'index.html'), count: reportCount, workers, io });

    const seconds = trainingSeconds(await readLog(runDir));
    io.stdout(`\n${targetsTable(reproductionTargets(evaluation, seconds))}`);
    io.stdout(
      `\nrun      ${runDir} (${trained.samplesSeen} samples, ${trained.stopReason === 'density' ? 'reached the stopping density' : 'used the sample budget'}; ` +
        `${formatNumber(trained.samplesSeen / Math.max(seconds, 1e-3))} samples/s over ${formatDuration(seconds)} of training)\n` +
        `report   ${files.html}\n`,
    );
    return 0;
  },
};
