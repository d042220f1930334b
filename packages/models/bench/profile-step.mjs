// One SPARLING training step (forward + backward + Adam) of the cpu preset on DigitCircle 48×48,
// batch 32, on the wasm backend with @sparling/backend's kernels, measured against the built
// packages (run the build first). Prints ms/step, samples/s, a breakdown by model part and the
// hottest kernels, then times two steps of the paper preset at batch 2 for the record.
// Writes <repo>/bench/results/models.json (temp file + rename).
//
// Usage: node bench/profile-step.mjs [--steps N] [--no-paper] [--no-kernels] [--overrides JSON]
// --overrides changes the cpu preset's model (withOverrides), e.g. '{"motif":{"width":16}}'.
import { existsSync } from 'node:fs';
import { startBench, writeBenchResult } from '../../../bench/write-result.mjs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@sparling/backend';
import { batches, createDomain } from '@sparling/domains';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist', 'index.js');
if (!existsSync(dist)) throw new Error(`bench/profile-step.mjs: ${dist} is missing; run \`npx tsup\` in packages/models first.`);
const { createSparlingModel, presets } = await import(dist);

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const STEPS = option('--steps', 5);
const overridesAt = args.indexOf('--overrides');
const OVERRIDES = overridesAt === -1 ? {} : JSON.parse(args[overridesAt + 1] ?? '{}');
// The canvas `sparling train digit-circle --preset cpu` uses (packages/cli CPU_DIGIT_CIRCLE).
const CPU_CANVAS = { size: 48, minRadius: 8, jitter: 1, maxDigits: 4 };

// Training runs on one thread; another busy process on a 2-core machine skews the figures, so the
// report carries the 1-minute load average before and after.
const bench = startBench();
const choice = await initBackend({ backend: 'wasm' });

async function firstBatch(domain, batchSize) {
  for await (const batch of batches(domain, { seed: 1, batchSize, workers: 0 })) return batch;
  throw new Error('no batch');
}

/** Runs `fn`, forces its result with dataSync (wasm is synchronous, but be explicit), returns ms. */
function timed(fn) {
  const t0 = performance.now();
  const out = fn();
  for (const t of [out].flat()) if (t instanceof tf.Tensor) t.dataSync();
  return { ms: performance.now() - t0, out };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The step split into parts. Forward parts are timed on their own in training mode (so batch norm
 * and sparsity statistics update, as in a real step); "backward" is variableGrads minus the
 * full forward it contains, "adam" is applyGradients.
 */
function breakdown(model, x, labels, optimizer) {
  const variables = model.trainableVariables();
  const parts = {};
  tf.tidy(() => {
    const g = timed(() => model.motifLogits(x, true));
    parts.gForward = g.ms;
    const b = timed(() => model.bottleneck.apply(g.out, { training: true }));
    parts.bottleneck = b.ms;
    const h = timed(() => model.lossFromMotifLogits(g.out, labels, true));
    parts.hForwardAndLoss = h.ms - b.ms;
  });
  const grads = timed(() => tf.variableGrads(() => model.loss(x, labels, true), variables));
  const forward = parts.gForward + parts.bottleneck + parts.hForwardAndLoss;
  parts.backward = grads.ms - forward;
  const adam = timed(() => {
    // In variable order: Adam keys its moments by position, as minimize() created them.
    optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads.out.grads[v.name] })));
    return variables[0];
  });
  parts.adam = adam.ms;
  tf.dispose([grads.out.value, ...Object.values(grads.out.grads)]);
  return Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, +v.toFixed(1)]));
}

/** ms per kernel name over one full step, from tf.profile (wasm kernels are synchronous). */
async function kernelProfile(model, x, labels, optimizer) {
  const variables = model.trainableVariables();
  const info = await tf.profile(() => {
    optimizer.minimize(() => model.loss(x, labels, true), false, variables);
  });
  const byName = new Map();
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : (k.kernelTimeMs?.error ? 0 : Number(k.kernelTimeMs));
    const entry = byName.get(k.name) ?? { name: k.name, calls: 0, ms: 0 };
    entry.calls += 1;
    entry.ms += ms;
    byName.set(k.name, entry);
  }
  return [...byName.values()]
    .sort((a, b) => b.ms - a.ms)
    .map((e) => ({ ...e, ms: +e.ms.toFixed(1) }));
}

async function measurePreset(presetName, batchSize, steps, withDetails) {
  const domain = createDomain('digit-circle', presetName === 'cpu' ? CPU_CANVAS : {});
  const model = createSparlingModel(domain, presetName, presetName === 'cpu' ? OVERRIDES : {}, { seed: 1 });
  const optimizer = tf.train.adam(presets[presetName](domain).training.learningRate, 0.9, 0.999, 1e-8);
  const batch = await firstBatch(domain, batchSize);
  const x = tf.tensor(batch.inputs, [...batch.shape]);
  const variables = model.trainableVariables();
  const step = () => {
    const t0 = performance.now();
    optimizer.minimize(() => model.loss(x, batch.labels, true), false, variables);
    variables[0].dataSync();
    return performance.now() - t0;
  };
  const warmup = step();
  const times = Array.from({ length: steps }, step);
  const ms = median(times);
  const result = {
    preset: presetName,
    ...(presetName === 'cpu' && overridesAt !== -1 ? { overrides: OVERRIDES } : {}),
    inputShape: [...batch.shape],
    batchSize,
    warmupMs: +warmup.toFixed(1),
    stepsMs: times.map((t) => +t.toFixed(1)),
    msPerStep: +ms.toFixed(1),
    samplesPerSecond: +((1000 * batchSize) / ms).toFixed(2),
  };
  if (withDetails) {
    result.breakdownMs = breakdown(model, x, batch.labels, optimizer);
    if (!flag('--no-kernels')) result.kernels = (await kernelProfile(model, x, batch.labels, optimizer)).slice(0, 25);
  }
  x.dispose();
  model.dispose();
  optimizer.dispose();
  return result;
}

const cpu = await measurePreset('cpu', 32, STEPS, true);
console.log(`cpu preset, batch 32: ${cpu.msPerStep} ms/step, ${cpu.samplesPerSecond} samples/s (steps ${cpu.stepsMs.join(', ')})`);
console.log('breakdown (ms):', cpu.breakdownMs);
if (cpu.kernels) {
  console.log('hottest kernels over one step (ms, calls; custom kernels include the ops they run):');
  for (const k of cpu.kernels) console.log(`  ${k.name.padEnd(28)} ${String(k.ms).padStart(8)} ${String(k.calls).padStart(6)}`);
}
// The paper preset (100×100, ĥ width 512, 6 + 6 layers) takes seconds per step: two steps at batch 2.
const paper = flag('--no-paper') ? null : await measurePreset('paper', 2, 1, false);
if (paper) console.log(`paper preset, batch 2: ${paper.msPerStep} ms/step (warm-up ${paper.warmupMs} ms)`);

const report = {
  backend: choice.backend,
  kernels: choice.kernels,
  cpu,
  ...(paper ? { paper } : {}),
};
// bench/results/models.json records the presets as shipped; a variant is only printed.
if (overridesAt === -1) console.log(`wrote ${writeBenchResult('models', report, bench)}`);
else console.log('--overrides: not written to bench/results/models.json');
