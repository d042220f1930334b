// Training throughput of `train` with 1 and 2 data-parallel replicas: the cpu preset's model on
// DigitCircle 48×48 at its batch size (32), on the wasm backend with @sparling/backend's
// kernels, measured against the built packages (run the build first). Each setting trains a
// fresh run for --steps optimizer steps (no validation, data on a worker thread as in a real
// run) and reports samples/s over the steps after the first, which also pays for starting the
// replica worker. Both replicas need a core of their own: on a busy machine the figures say
// nothing (the result carries the load average).
// Writes <repo>/bench/results/replicas.json (temp file + rename).
//
// Usage: node bench/replicas.mjs [--steps N] [--replicas 1,2]
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { initBackend } from '@sparling/backend';
import { createDomain } from '@sparling/domains';
import { startBench, writeBenchResult } from '../../../bench/write-result.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist', 'index.js');
if (!existsSync(dist)) throw new Error(`bench/replicas.mjs: ${dist} is missing; run \`npx tsup\` in packages/models first.`);
const { presets, train } = await import(dist);

const { values: args } = parseArgs({ options: { steps: { type: 'string', default: '20' }, replicas: { type: 'string', default: '1,2' } } });
const STEPS = Number(args.steps);
const COUNTS = args.replicas.split(',').map(Number);
if (!(Number.isInteger(STEPS) && STEPS >= 2)) throw new Error(`bench/replicas.mjs: --steps: expected an integer >= 2, received ${args.steps}`);

const bench = startBench();
const choice = await initBackend({ backend: 'wasm' });
// The canvas `sparling train digit-circle --preset cpu` uses (packages/cli CPU_DIGIT_CIRCLE).
const domain = createDomain('digit-circle', { size: 48, minRadius: 8, jitter: 1, maxDigits: 4 });
const preset = presets.cpu(domain);
const batchSize = preset.training.batchSize;
const training = { ...preset.training, maxSamples: STEPS * batchSize, validateEvery: Number.MAX_SAFE_INTEGER };
const root = await mkdtemp(join(tmpdir(), 'sparling-bench-replicas-'));

async function measure(replicas) {
  const started = performance.now();
  const stepEnds = [];
  await train({ domain, model: preset.model, training, seed: 1, runDir: join(root, `replicas-${replicas}`), replicas, onProgress: () => stepEnds.push(performance.now()) });
  const stepsMs = stepEnds.map((t, i) => t - (i === 0 ? started : (stepEnds[i - 1] ?? started)));
  const steady = (stepEnds.at(-1) - stepEnds[0]) / 1000;
  return {
    replicas,
    steps: STEPS,
    firstStepMs: +(stepsMs[0] ?? 0).toFixed(1),
    msPerStep: +((1000 * steady) / (STEPS - 1)).toFixed(1),
    samplesPerSecond: +(((STEPS - 1) * batchSize) / steady).toFixed(2),
    stepsMs: stepsMs.map((t) => +t.toFixed(1)),
  };
}

const results = [];
try {
  for (const replicas of COUNTS) {
    const result = await measure(replicas);
    results.push(result);
    console.log(`replicas ${replicas}: ${result.samplesPerSecond} samples/s, ${result.msPerStep} ms/step over steps 2-${STEPS} (first step ${result.firstStepMs} ms)`);
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
const base = results.find((r) => r.replicas === 1);
const report = {
  backend: choice.backend,
  model: 'cpu preset, DigitCircle 48x48',
  batchSize,
  results: results.map((r) => (base ? { ...r, speedup: +(r.samplesPerSecond / base.samplesPerSecond).toFixed(2) } : r)),
};
console.log(`wrote ${writeBenchResult('replicas', report, bench)}`);
