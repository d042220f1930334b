// Metrics throughput on DigitCircle-sized items (100×100 maps, 10 channels, ~5 motifs with
// 12×8 footprints): evaluates 10,000 items from sparse and from dense input with the built
// package and writes <repo root>/bench/results/metrics.json. Run `pnpm build` first.
import { startBench, writeBenchResult } from '../../../bench/write-result.mjs';
import { MotifEvaluator } from '../dist/index.js';

const bench = startBench();

const ITEMS = 10_000;
const H = 100;
const W = 100;
const C = 10;
const RUNS = 5;

/** mulberry32: small, fast, seeded. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One synthetic item: digits on a circle, mostly found by "their" channel, a few strays. */
function makeItem(rnd) {
  const int = (n) => Math.floor(rnd() * n);
  const count = 3 + int(4);
  const motifs = [];
  const activations = [];
  const taken = new Set();
  const add = (channel, r, c, value) => {
    const key = (r * W + c) * C + channel;
    if (r < 0 || r >= H || c < 0 || c >= W || taken.has(key)) return;
    taken.add(key);
    activations.push({ channel, position: [r, c], value });
  };
  const radius = 20 + int(20);
  for (let k = 0; k < count; k++) {
    const angle = (2 * Math.PI * (k + rnd() * 0.5)) / count;
    const r = Math.round(50 + radius * Math.sin(angle));
    const c = Math.round(50 + radius * Math.cos(angle));
    const digit = int(10);
    motifs.push({ symbol: String(digit), footprint: { start: [r - 6, c - 4], end: [r + 6, c + 4] } });
    if (rnd() < 0.95) add(rnd() < 0.97 ? digit : int(C), r + int(5) - 2, c + int(3) - 1, Math.fround(0.5 + rnd()));
    if (rnd() < 0.2) add(int(C), r + int(9) - 4, c + int(5) - 2, Math.fround(0.1 + rnd() * 0.3));
  }
  for (let k = int(3); k > 0; k--) add(int(C), int(H), int(W), Math.fround(0.1 + rnd()));
  return { map: { kind: 'sparse', shape: [H, W], channels: C, activations }, motifs };
}

const rnd = random(20241127);
const items = Array.from({ length: ITEMS }, () => makeItem(rnd));
const meanActivations = items.reduce((n, it) => n + it.map.activations.length, 0) / ITEMS;
const meanMotifs = items.reduce((n, it) => n + it.motifs.length, 0) / ITEMS;

function runSparse() {
  const evaluator = new MotifEvaluator();
  for (const { map, motifs } of items) evaluator.add(map, motifs);
  return evaluator.result();
}

// Dense input reuses one buffer: write an item's activations, evaluate, clear them again, so
// 10,000 × 100,000 floats never exist at once but every evaluation scans a full map.
const buffer = new Float32Array(H * W * C);
function runDense() {
  const evaluator = new MotifEvaluator();
  const map = { kind: 'dense', shape: [H, W], channels: C, values: buffer };
  for (const { map: sparse, motifs } of items) {
    for (const a of sparse.activations) buffer[(a.position[0] * W + a.position[1]) * C + a.channel] = a.value;
    evaluator.add(map, motifs);
    for (const a of sparse.activations) buffer[(a.position[0] * W + a.position[1]) * C + a.channel] = 0;
  }
  return evaluator.result();
}

function measure(run) {
  run(); // warm-up
  const seconds = [];
  let result;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    result = run();
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  seconds.sort((a, b) => a - b);
  const median = seconds[Math.floor(RUNS / 2)];
  return { result, totalSeconds: median, bestSeconds: seconds[0], itemsPerSecond: ITEMS / median };
}

const sparse = measure(runSparse);
const dense = measure(runDense);
if (JSON.stringify(sparse.result) !== JSON.stringify(dense.result)) throw new Error('sparse and dense input disagree');

const round = (x, d) => Number(x.toFixed(d));
const metrics = sparse.result;
const report = {
  benchmark: 'metrics',
  description: `MotifEvaluator over ${ITEMS} DigitCircle-sized items (${H}x${W}, ${C} channels), median of ${RUNS} runs after a warm-up`,
  items: ITEMS,
  meanMotifsPerItem: round(meanMotifs, 3),
  meanActivationsPerItem: round(meanActivations, 3),
  sparse: { totalSeconds: round(sparse.totalSeconds, 4), bestSeconds: round(sparse.bestSeconds, 4), itemsPerSecond: Math.round(sparse.itemsPerSecond) },
  dense: { totalSeconds: round(dense.totalSeconds, 4), bestSeconds: round(dense.bestSeconds, 4), itemsPerSecond: Math.round(dense.itemsPerSecond) },
  targetSeconds: 2,
  metricsOfSyntheticData: { fne: metrics.fne, fpe: metrics.fpe, ce: metrics.ce, ceMajority: metrics.ceMajority },
};
writeBenchResult('metrics', report, bench);

const row = (name, r) => `${name.padEnd(8)}${r.totalSeconds.toFixed(3).padStart(10)}${String(r.itemsPerSecond).padStart(14)}`;
console.log(`metrics: ${ITEMS} items, ${H}x${W}x${C}, ${report.meanMotifsPerItem} motifs and ${report.meanActivationsPerItem} activations per item`);
console.log(`${'input'.padEnd(8)}${'seconds'.padStart(10)}${'items/s'.padStart(14)}`);
console.log(row('sparse', report.sparse));
console.log(row('dense', report.dense));
console.log(`target: whole evaluation under ${report.targetSeconds} s; wrote bench/results/metrics.json`);
