import { parseArgs } from 'node:util';
import { BACKEND_HELP, parseBackend, startBackend } from '../backend-flag.js';
import { parseNumberFlag } from '../args.js';
import type { Command } from '../command.js';
import { DEFAULT_LAYER_DEMO, runLayerDemo } from '../demo/layer-demo.js';
import { UsageError } from '../io.js';
import { formatNumber } from '../progress.js';

const USAGE = `usage: sparling demo layer [--seed N] [--samples N] [--batch-size N] [--backend B] [--json]

Trains a small conv net with the SPARLING bottleneck and the density annealer on a toy task
(count three kinds of 3x3 glyphs on a noisy 20x20 canvas), printing each validation, then
scores the sparse channels against the true glyph positions with @sparling/metrics.

  --seed N         seed of data and weights (default ${DEFAULT_LAYER_DEMO.seed})
  --samples N      training budget in samples (default ${DEFAULT_LAYER_DEMO.samples}); the run stops
                   earlier once density is ${DEFAULT_LAYER_DEMO.stopAtMultiple}x the theoretical minimum
  --batch-size N   samples per step (default ${DEFAULT_LAYER_DEMO.batchSize})
  --backend B      ${BACKEND_HELP}
  --json           print the result as one JSON object instead of a summary`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'sparse-layer demo: trains SPARLING on a toy motif task and scores its motifs',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        seed: { type: 'string' },
        samples: { type: 'string' },
        'batch-size': { type: 'string' },
        backend: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1 || positionals[0] !== 'layer') {
      throw new UsageError(`expected the demo name "layer", received ${positionals.length ? JSON.stringify(positionals.join(' ')) : 'none'}`);
    }
    const backend = parseBackend(values.backend);
    const options = {
      ...DEFAULT_LAYER_DEMO,
      seed: parseNumberFlag('seed', values.seed, { integer: true }) ?? DEFAULT_LAYER_DEMO.seed,
      samples: parseNumberFlag('samples', values.samples, { integer: true, min: 1 }) ?? DEFAULT_LAYER_DEMO.samples,
      batchSize: parseNumberFlag('batch-size', values['batch-size'], { integer: true, min: 1 }) ?? DEFAULT_LAYER_DEMO.batchSize,
    };
    const choice = await startBackend(io, backend);
    // With --json, stdout carries only the result object; the validation table moves to stderr.
    const result = await runLayerDemo(values.json ? { ...io, stdout: io.stderr } : io, options);
    if (values.json) {
      io.stdout(`${JSON.stringify({ backend: choice.backend, ...result })}\n`);
      return 0;
    }
    const pct = (v: number | null) => (v === null ? 'n/a' : `${(100 * v).toFixed(2)}%`);
    io.stdout(
      [
        '',
        `trained ${result.samples} samples in ${result.seconds.toFixed(1)} s`,
        `density          ${formatNumber(result.density)} target, ${formatNumber(result.measuredDensity)} measured, ${(result.density / result.minimumDensity).toFixed(2)}x the minimum ${formatNumber(result.minimumDensity)}`,
        `exact accuracy   ${pct(result.accuracy)} on fresh items`,
        `motif FPE        ${pct(result.fpe)}   activations outside every glyph`,
        `motif FNE        ${pct(result.fne)}   glyphs with no activation`,
        `motif CE         ${pct(result.ce)}   glyphs marked by the wrong channel (best channel assignment)`,
        '',
      ].join('\n'),
    );
    return 0;
  },
};
