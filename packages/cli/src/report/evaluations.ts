/**
 * The results behind Figure 5 and the metrics table: one per snapshot, read from the run's
 * `eval-<density>.json` when it scored enough items, evaluated (and stored) otherwise.
 */
import type { ConfusionMatrix } from '@sparling/metrics';
import { evaluateRun, listSnapshots, readEvaluation, type EvaluationResult } from '@sparling/models';
import type { CliIo } from '../io.js';
import { ProgressBar } from '../progress.js';

/** An evaluation shown in the report; `reused` when it came from an existing file. */
export type ReportEvaluation = Omit<EvaluationResult, 'file' | 'confusion'> & {
  readonly confusion?: ConfusionMatrix | null;
  readonly reused: boolean;
};

export interface CollectOptions {
  /** Items each result must have scored at least. */
  readonly count: number;
  readonly workers: number;
  readonly io: CliIo;
}

/**
 * Every snapshot's result, highest density first (the latest checkpoint's alone when the run
 * has no snapshot), evaluating only those without a stored result of at least `count` items.
 */
export async function collectEvaluations(runDir: string, options: CollectOptions): Promise<ReportEvaluation[]> {
  const snapshots = await listSnapshots(runDir);
  const targets: (number | 'latest')[] = snapshots.length > 0 ? snapshots.map((s) => s.density) : ['latest'];
  const results: (ReportEvaluation | null)[] = [];
  const pending: number[] = [];
  for (const [i, density] of targets.entries()) {
    const stored = await readEvaluation(runDir, density);
    // Every result draws the per-symbol FNE, and the final one Figure 4: files written before
    // results kept `confusion` lack it.
    if (stored !== null && stored.count >= options.count && stored.confusion !== undefined) {
      results.push({ ...stored, reused: true });
    } else {
      results.push(null);
      pending.push(i);
    }
  }

  let bar = null as ProgressBar | null;
  let offset = 0;
  for (const [k, i] of pending.entries()) {
    let span = 0;
    const [result] = await evaluateRun(runDir, {
      density: targets[i],
      count: options.count,
      workers: options.workers,
      onProgress: (done, total) => {
        span = total;
        bar ??= new ProgressBar(options.io, { total: total * pending.length, label: 'eval', unit: 'items' });
        bar.update(offset + done, { snapshot: `${k + 1}/${pending.length}` });
      },
    });
    if (!result) throw new Error(`evaluateRun returned nothing for ${String(targets[i])} in ${runDir}`);
    offset += span;
    const { file: _file, ...scored } = result;
    results[i] = { ...scored, reused: false };
  }
  bar?.finish();
  return results.filter((r): r is ReportEvaluation => r !== null);
}
