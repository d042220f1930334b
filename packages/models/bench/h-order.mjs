// Trains ĥ alone on the TRUE motif maps of the cpu-preset DigitCircle (48×48, 3-4 digits) and
// prints greedy exact-match accuracy (and how often the digit set is right) on 256 items of
// seed -1 as it trains: does ĥ learn the counter-clockwise order, and how fast? (issue 6).
//
// Usage, after a build: node bench/h-order.mjs [--seconds N] [--pool P] [--2d] [--coordinates=true|polar|centroid]
//                                              [--lr X] [--every N] [--out FILE.jsonl]
// Measured (one seed each, 2026-11-27): ĥ with the row encoding at pool 8 reaches 0.5 at 80k
// samples and 0.9 at 114k; with --2d --coordinates=true at 60k and 92k; with --2d
// --coordinates=centroid (the cpu preset's) at 36k and 48k (see the models README).
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@sparling/backend';
import { createDomain } from '@sparling/domains';
import { createSparlingModel } from '../dist/index.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '600' },
    pool: { type: 'string' },
    '2d': { type: 'boolean', default: false },
    coordinates: { type: 'string' },
    lr: { type: 'string', default: '1e-3' },
    every: { type: 'string', default: '2000' },
    out: { type: 'string' },
  },
});

await initBackend({ backend: 'wasm' });
const domain = createDomain('digit-circle', { size: 48, minRadius: 8, jitter: 1, maxDigits: 4 });
const post = {
  ...(args.pool ? { pool: Number(args.pool) } : {}),
  ...(args['2d'] ? { positionalEncoding: '2d' } : {}),
  ...(args.coordinates !== undefined ? { coordinates: args.coordinates === '' || args.coordinates === 'true' ? true : args.coordinates } : {}),
};
const model = createSparlingModel(domain, 'cpu', { bottleneck: { kind: 'none' }, post }, { seed: 1 });
const [height, width] = domain.inputShape;
const channels = domain.motifSymbols.length;

/** One-hot true motif maps [B, H, W, C]: a 1 at each digit's position in its digit's channel. */
function trueMaps(samples) {
  const values = new Float32Array(samples.length * height * width * channels);
  samples.forEach((s, b) => {
    for (const m of s.motifs) values[((b * height + m.position[0]) * width + m.position[1]) * channels + domain.motifSymbols.indexOf(m.symbol)] = 1;
  });
  return tf.tensor4d(values, [samples.length, height, width, channels]);
}

const validation = Array.from({ length: 256 }, (_, i) => domain.sample(-1, i));
function validate() {
  let exact = 0;
  let sameSet = 0;
  for (let start = 0; start < validation.length; start += 64) {
    const chunk = validation.slice(start, start + 64);
    const maps = trueMaps(chunk);
    const predicted = model.decodeFromMotifLogits(maps);
    maps.dispose();
    chunk.forEach((item, b) => {
      const p = predicted[b] ?? [];
      if (p.join(' ') === item.label.join(' ')) exact += 1;
      if ([...p].sort().join(' ') === [...item.label].sort().join(' ')) sameSet += 1;
    });
  }
  return { accuracy: exact / validation.length, setAccuracy: sameSet / validation.length };
}

const optimizer = tf.train.adam(Number(args.lr));
const variables = model.trainableVariables();
const batchSize = 32;
const every = Number(args.every);
const started = Date.now();
let trainingMs = 0;
let seen = 0;
let loss = NaN;
const report = (extra = {}) => {
  const record = { post, lr: Number(args.lr), samples: seen, seconds: Math.round((Date.now() - started) / 1000), samplesPerSecond: +(seen / Math.max(1e-3, trainingMs / 1000)).toFixed(1), loss: +loss.toFixed(4), ...validate(), ...extra };
  console.log(JSON.stringify(record));
  if (args.out) appendFileSync(args.out, `${JSON.stringify(record)}\n`);
};
report();
while ((Date.now() - started) / 1000 < Number(args.seconds)) {
  const t0 = Date.now();
  const samples = Array.from({ length: batchSize }, (_, i) => domain.sample(1, seen + i));
  const maps = trueMaps(samples);
  model.setTrainingStep(seen);
  const cost = optimizer.minimize(() => model.lossFromMotifLogits(maps, samples.map((s) => s.label), true), true, variables);
  loss = cost?.dataSync()[0] ?? NaN;
  tf.dispose([cost, maps]);
  seen += batchSize;
  trainingMs += Date.now() - t0;
  if (seen % every < batchSize) report();
}
report({ final: true, tensors: tf.memory().numTensors });
model.dispose();
optimizer.dispose();
