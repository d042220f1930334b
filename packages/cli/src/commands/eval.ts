import { parseArgs } from 'node:util';
import { fneBySymbol, symbolChannels, type ConfusionMatrix, type SymbolChannel } from '@sparling/metrics';
import { evaluateRun, type EvaluationResult } from '@sparling/models';
import { onePositional, parseNumberFlag } from '../args.js';
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { ProgressBar, formatNumber } from '../progress.js';
import { BACKEND_HELP, parseBackend, startBackend } from '../backend-flag.js';

const USAGE = `usage: sparling eval RUN [--density D|all|latest] [--count N] [--json]

Evaluates a training run: E2EE and exact accuracy on the first N items of seed -2, and the motif
metrics FPE, FNE, CE (one-to-one) and CE (majority) on the reference's motif-evaluation items
(DigitCircle: RandomState(i), i < N; LaTeX-OCR and AudioMNISTSequence: items of seed -2), and
the symbols missed: those whose own FNE is at least 50% (no channel finds most of them), and the
symbols sharing a channel: found symbols whose main channel is the same, e.g. "6/8", the usual
cause of a CE well above FNE. Each result is written to RUN/eval-<density>.json.

  --density D   the snapshot at density D (within 1%); "all" for every snapshot (Figure 5);
                "latest" for the latest checkpoint. Default: the lowest-density snapshot, or the
                latest checkpoint if the run has none
  --count N     items for each part (default 10000)
  --workers N   data worker threads (default 1)
  --backend B   ${BACKEND_HELP}
  --json        print one JSON object (the chosen result; with "all", also "results")`;

const pct = (v: number | null) => (v === null ? 'n/a' : `${(100 * v).toFixed(2)}%`);

/** A symbol counts as missed when no channel covers at least this share of its footprints. */
const MISSED_FNE = 0.5;

/**
 * The symbols whose own FNE is at least 50% (no channel finds most of them), e.g. "2 7"; "none"
 * when there are none, "-" for a result without motif metrics (no bottleneck, or stored before
 * results kept their confusion matrix).
 */
export function missedSymbols(result: { readonly confusion?: ConfusionMatrix | null }): string {
  if (!result.confusion) return '-';
  const missed = missedOf(result.confusion);
  return missed.length === 0 ? 'none' : missed.join(' ');
}

/** The symbols whose own FNE is at least {@link MISSED_FNE}, in row order. */
function missedOf(confusion: ConfusionMatrix): string[] {
  return fneBySymbol(confusion).flatMap((s) => (s.fne !== null && s.fne >= MISSED_FNE ? [s.symbol] : []));
}

/** The groups of two or more symbols with the same main channel, in order of first appearance. */
export function sharedGroups(bySymbol: readonly SymbolChannel[]): SymbolChannel[][] {
  const groups = new Map<string, SymbolChannel[]>();
  for (const s of bySymbol) if (s.channel !== null) groups.set(s.channel, [...(groups.get(s.channel) ?? []), s]);
  return [...groups.values()].filter((g) => g.length > 1);
}

/**
 * The symbols that share a channel: among the symbols not missed, those whose main channel (the
 * one covering most of their found footprints) is the same, one group per channel, e.g. "6/8";
 * "none" when every such symbol has a channel of its own, "-" for a result without motif
 * metrics. The one-to-one CE counts all but one symbol of each group as confused.
 */
export function sharedSymbols(result: { readonly confusion?: ConfusionMatrix | null }): string {
  if (!result.confusion) return '-';
  const missed = new Set(missedOf(result.confusion));
  const shared = sharedGroups(symbolChannels(result.confusion).filter((s) => !missed.has(s.symbol)));
  return shared.length === 0 ? 'none' : shared.map((g) => g.map((s) => s.symbol).join('/')).join(' ');
}

export function evaluationTable(results: readonly EvaluationResult[]): string {
  const head = `${'density'.padStart(11)}  ${'x min'.padStart(6)}  ${'FPE'.padStart(7)}  ${'FNE'.padStart(7)}  ${'CE'.padStart(7)}  ${'CE maj'.padStart(7)}  ${'E2EE'.padStart(7)}  ${'exact'.padStart(7)}  ${'measured'.padStart(9)}  ${'missed'.padStart(7)}  ${'shared'.padStart(7)}  source\n`;
  const rows = results.map((r) =>
    [
      (r.density === null ? '-' : formatNumber(r.density)).padStart(11),
      (r.density === null ? '-' : (r.density / r.minimumDensity).toFixed(2)).padStart(6),
      pct(r.fpe).padStart(7),
      pct(r.fne).padStart(7),
      pct(r.ce).padStart(7),
      pct(r.ceMajority).padStart(7),
      pct(r.e2ee).padStart(7),
      pct(r.accuracy).padStart(7),
      (r.measuredDensity === null ? '-' : formatNumber(r.measuredDensity)).padStart(9),
      missedSymbols(r).padStart(7),
      sharedSymbols(r).padStart(7),
      r.source,
    ].join('  '),
  );
  return head + rows.map((r) => `${r}\n`).join('');
}

/** An `evaluateRun` progress callback drawing one bar per evaluated snapshot on stderr. */
export function evaluationProgress(io: CliIo): (done: number, total: number) => void {
  let bar: ProgressBar | null = null;
  return (done, total) => {
    bar ??= new ProgressBar(io, { total, label: 'eval', unit: 'items' });
    bar.update(done);
    if (done === total) {
      bar.finish();
      bar = null;
    }
  };
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'evaluate a run: E2EE, accuracy, FPE, FNE, CE per density snapshot',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        density: { type: 'string' },
        count: { type: 'string' },
        workers: { type: 'string' },
        backend: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const runDir = onePositional(positionals, 'run folder');
    const raw = values.density;
    const density = raw === undefined || raw === 'all' || raw === 'latest' ? raw : parseNumberFlag('density', raw, { min: Number.MIN_VALUE, max: 1 });
    const count = parseNumberFlag('count', values.count, { integer: true, min: 1 }) ?? 10_000;
    const workers = parseNumberFlag('workers', values.workers, { integer: true, min: 0 }) ?? 1;
    const backend = parseBackend(values.backend);
    const choice = await startBackend(io, backend);
    const results = await evaluateRun(runDir, {
      ...(density !== undefined ? { density } : {}),
      count,
      workers,
      onProgress: evaluationProgress(io),
    });
    if (values.json) {
      const chosen = results[results.length - 1] as EvaluationResult;
      io.stdout(`${JSON.stringify({ backend: choice.backend, ...chosen, ...(raw === 'all' ? { results } : {}) })}\n`);
      return 0;
    }
    io.stdout(evaluationTable(results));
    io.stdout(`(E2EE/exact on ${results[0]?.items ?? 0} items of seed -2; motif metrics on ${results[0]?.motifItems ?? 0} items, ${results[0]?.motifSeed === 'raw' ? 'RandomState(i)' : 'seed -2'}; written to ${results.map((r) => r.file).join(', ')})\n`);
    return 0;
  },
};
