// Kernel speeds of the cpu backend, the stock wasm backend and wasm with @sparling/backend's
// training kernels, measured in one run against the built package (run `pnpm build` first).
// Writes <repo>/bench/results/kernels.json and prints a table.
import { existsSync } from 'node:fs';
import { startBench, writeBenchResult } from '../../../bench/write-result.mjs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist', 'index.js');
if (!existsSync(dist)) {
  throw new Error(`bench/kernels.mjs: ${dist} is missing; run \`pnpm build\` in packages/backend first.`);
}
const { registerWasmTrainingKernels } = await import(dist);
// Everything runs on one thread, so another busy process on a 2-core machine skews the figures;
// the 1-minute load average before and after tells a reader whether to trust them.
const bench = startBench();

// The cpu backend is 50-500x slower, so it gets a small conv case; its filter gradient alone
// runs at ~0.013 GFLOP/s and would take minutes on the large cases.
const CONV_CASES = {
  small: { batch: 2, height: 32, width: 32, inChannels: 16, outChannels: 16, kernel: 3, stride: 1, pad: 'same' },
  medium: { batch: 8, height: 64, width: 64, inChannels: 32, outChannels: 32, kernel: 3, stride: 1, pad: 'same' },
  large: { batch: 8, height: 100, width: 100, inChannels: 32, outChannels: 32, kernel: 3, stride: 1, pad: 'same' },
};
const MATMUL_CASE = { m: 512, k: 512, n: 512 };
const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

/** Median ms per call after one warm-up call; repeats until 1 s has passed or 15 calls. */
function measure(fn) {
  tf.dispose(fn());
  const times = [];
  const start = performance.now();
  while (times.length < 15 && (times.length < 2 || performance.now() - start < 1000)) {
    const t0 = performance.now();
    tf.dispose(fn());
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], iterations: times.length };
}

function convTensors(c) {
  const x = tf.randomNormal([c.batch, c.height, c.width, c.inChannels], 0, 1, 'float32', 1);
  const w = tf.randomNormal([c.kernel, c.kernel, c.inChannels, c.outChannels], 0, 0.1, 'float32', 2);
  const y = tf.conv2d(x, w, c.stride, c.pad);
  const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 3);
  const [, outH, outW] = y.shape;
  y.dispose();
  const gflop = (2 * c.batch * outH * outW * c.kernel * c.kernel * c.inChannels * c.outChannels) / 1e9;
  return { x, w, dy, gflop };
}

const results = [];
function record(op, caseName, backend, gflop, { ms, iterations }) {
  const row = { op, case: caseName, backend, ms: +ms.toFixed(2), gflops: +(gflop / (ms / 1000)).toFixed(3), iterations };
  results.push(row);
  console.log(
    `${op.padEnd(26)} ${caseName.padEnd(12)} ${backend.padEnd(10)} ${row.ms.toFixed(2).padStart(10)} ms ${row.gflops.toFixed(2).padStart(8)} GFLOP/s`,
  );
}

function benchConv(backend, caseName, kernels) {
  const c = CONV_CASES[caseName];
  const { x, w, dy, gflop } = convTensors(c);
  const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC' };
  if (kernels.includes('forward')) {
    record('conv2d forward', caseName, backend, gflop, measure(() => tf.conv2d(x, w, c.stride, c.pad)));
  }
  if (kernels.includes('dInput')) {
    record('conv2d dInput', caseName, backend, gflop, measure(() =>
      tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: x.shape })));
  }
  if (kernels.includes('dFilter')) {
    record('conv2d dFilter', caseName, backend, gflop, measure(() =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: w.shape })));
  }
  if (kernels.includes('step')) {
    const grads = tf.grads((a, b) => tf.conv2d(a, b, c.stride, c.pad));
    record('conv2d training step', caseName, backend, 3 * gflop, measure(() => grads([x, w], dy)));
  }
  tf.dispose([x, w, dy]);
}

function benchMatMul(backend) {
  const { m, k, n } = MATMUL_CASE;
  const gflop = (2 * m * k * n) / 1e9;
  for (const [ta, tb] of TRANSPOSES) {
    const a = tf.randomNormal(ta ? [k, m] : [m, k], 0, 1, 'float32', 4);
    const b = tf.randomNormal(tb ? [n, k] : [k, n], 0, 1, 'float32', 5);
    const op = `matMul(${ta ? 'aT' : 'a'}, ${tb ? 'bT' : 'b'})`;
    record(op, `${m}x${k}x${n}`, backend, gflop, measure(() => tf.matMul(a, b, ta, tb)));
    tf.dispose([a, b]);
  }
}

console.log(`${'op'.padEnd(26)} ${'case'.padEnd(12)} ${'backend'.padEnd(10)} ${'ms/iter'.padStart(13)} ${'GFLOP/s'.padStart(16)}`);
// Mutes the cpu backend's "install tfjs-node" banner, which would break up the table.
tf.env().set('PROD', true);

await tf.setBackend('cpu');
benchConv('cpu', 'small', ['forward', 'dInput', 'dFilter', 'step']);
benchMatMul('cpu');

// Importing tfjs-backend-wasm above registered the stock wasm kernels; ours replace them below.
await tf.setBackend('wasm');
benchConv('wasm-stock', 'small', ['forward', 'dInput']);
benchConv('wasm-stock', 'large', ['dInput']);
benchMatMul('wasm-stock');

registerWasmTrainingKernels();
benchConv('wasm', 'small', ['forward', 'dInput', 'dFilter', 'step']);
benchConv('wasm', 'medium', ['step']);
benchConv('wasm', 'large', ['forward', 'dInput', 'dFilter', 'step']);
benchMatMul('wasm');

const report = {
  command: 'cd packages/backend && npx tsup && node bench/kernels.mjs  (or `pnpm bench` at the root)',
  machine: {
    tfjs: tf.version.tfjs,
    wasmSimd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    wasmThreads: getThreadsCount(),
  },
  method:
    'median ms per call after 1 warm-up call, repeated until 1 s or 15 calls; GFLOP/s counts 2*B*Ho*Wo*kh*kw*Ci*Co per conv pass ' +
    '(3 passes for a training step: forward + dInput + dFilter via tf.grads) and 2*M*K*N per matMul. ' +
    'backend "wasm" is tfjs-backend-wasm with registerWasmTrainingKernels(), "wasm-stock" without it (it has no Conv2DBackpropFilter).',
  cases: { conv: CONV_CASES, matMul: MATMUL_CASE },
  results,
};
console.log(`wrote ${writeBenchResult('kernels', report, bench)}`);
