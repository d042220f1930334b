import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { domainOf, findSnapshot, formatDensity, listSnapshots, readRunConfig, readSnapshotState, withOverrides } from '@sparling/models';
import { onePositional, parseNumberFlag } from '../args.js';
import type { Command } from '../command.js';
import { UsageError } from '../io.js';
import { BACKEND_HELP, parseBackend, startBackend } from '../backend-flag.js';
import { checkReplicas, parseReplicas, runTraining, summary } from './train.js';

/** Retrain's default budget: the reference's DigitCircle retrain runs. */
export const RETRAIN_MAX_SAMPLES = 600_001;

const USAGE = `usage: sparling retrain RUN --density D [--max-samples N] [--out DIR] [--resume]

The Retrained setting (spec 8.7): loads RUN's snapshot at density D, removes the bottleneck
(identity), freezes the motif model g and trains h from a fresh Adam on the run's own training
seed from item 0. Evaluate the result with 'sparling eval DIR' (the latest checkpoint).

  --density D       snapshot density (within 1%)
  --max-samples N   sample budget (default 600001, the DigitCircle retrain runs')
  --out DIR         run folder (default RUN/retrain-density-<D>)
  --resume          continue DIR from its latest checkpoint
  --until N         pause once N samples have been seen (continue later with --resume)
  --workers N       data worker threads (default 1)
  --replicas N      model copies splitting each batch (default 1; see sparling train --help)
  --backend B       ${BACKEND_HELP}`;

export const retrainCommand: Command = {
  name: 'retrain',
  summary: 'retrain h on a frozen motif model without the bottleneck (the Retrained setting)',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        density: { type: 'string' },
        'max-samples': { type: 'string' },
        out: { type: 'string' },
        resume: { type: 'boolean', default: false },
        until: { type: 'string' },
        workers: { type: 'string' },
        replicas: { type: 'string' },
        backend: { type: 'string' },
      },
    });
    const source = onePositional(positionals, 'run folder');
    const density = parseNumberFlag('density', values.density, { min: Number.MIN_VALUE, max: 1 });
    if (density === undefined) throw new UsageError('--density is required');
    const maxSamples = parseNumberFlag('max-samples', values['max-samples'], { integer: true, min: 1 }) ?? RETRAIN_MAX_SAMPLES;
    const workers = parseNumberFlag('workers', values.workers, { integer: true, min: 0 }) ?? 1;
    const replicas = parseReplicas(values.replicas);
    const until = parseNumberFlag('until', values.until, { integer: true, min: 1 });
    const backend = parseBackend(values.backend);
    const config = await readRunConfig(source);
    checkReplicas(replicas, config.training.batchSize);
    const snapshot = findSnapshot(await listSnapshots(source), density);
    const domain = domainOf(config);
    const runDir = values.out ?? join(source, `retrain-density-${formatDensity(snapshot.density)}`);
    await startBackend(io, backend);
    io.stderr(`retraining h of ${source} at density ${formatDensity(snapshot.density)} (g frozen, no bottleneck) -> ${runDir}\n`);
    const result = await runTraining(io, {
      domain,
      model: withOverrides(config.model, { bottleneck: { kind: 'none' } }),
      training: { ...config.training, maxSamples },
      seed: config.seed,
      runDir,
      resume: values.resume,
      workers,
      replicas,
      ...(until !== undefined ? { until } : {}),
      retrain: { source, density: snapshot.density, state: await readSnapshotState(snapshot) },
    });
    io.stdout(summary(result, domain.minimumDensity));
    return 0;
  },
};
