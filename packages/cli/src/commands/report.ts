import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { onePositional, parseNumberFlag } from '../args.js';
import { BACKEND_HELP, parseBackend, startBackend } from '../backend-flag.js';
import type { Command } from '../command.js';
import { UsageError } from '../io.js';
import { buildReport } from '../report/build.js';

const USAGE = `usage: sparling report RUN [--out FILE] [--count N] [--workers N] [--backend B]

Writes a self-contained HTML report of a training run, with its PNGs beside it: the metrics of
the lowest-density snapshot and the run's settings, FPE, FNE, CE and E2EE against density over
every snapshot (the paper's Figure 5), the confusion matrix (Figure 4), inputs with their true
footprints and the predicted maximal motifs (Figure 2), and loss, accuracy and density over
training. Snapshots whose RUN/eval-<density>.json scored at least N items are not evaluated
again; the others are, and their results are stored as \`sparling eval\` stores them.

  --out FILE    the page (default RUN/report/index.html); the PNGs are written beside it
  --count N     items per snapshot for the metrics (default 1000; the paper uses 10000)
  --workers N   data worker threads (default 1)
  --backend B   ${BACKEND_HELP}

Prints the page's path.`;

export const reportCommand: Command = {
  name: 'report',
  summary: 'write an HTML report of a run: metrics, Figures 2, 4 and 5, training curves',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        count: { type: 'string' },
        workers: { type: 'string' },
        backend: { type: 'string' },
      },
    });
    const runDir = onePositional(positionals, 'run folder');
    if (values.out !== undefined && values.out.trim() === '') throw new UsageError('--out: expected a file path, received ""');
    const out = values.out ?? join(runDir, 'report', 'index.html');
    const count = parseNumberFlag('count', values.count, { integer: true, min: 1 }) ?? 1000;
    const workers = parseNumberFlag('workers', values.workers, { integer: true, min: 0 }) ?? 1;
    const backend = parseBackend(values.backend);
    await startBackend(io, backend);
    const files = await buildReport(runDir, { out, count, workers, io });
    io.stderr(`wrote ${files.images.length} PNGs beside the page\n`);
    io.stdout(`${files.html}\n`);
    return 0;
  },
};
