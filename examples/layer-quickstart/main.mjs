// Adds a SPARLING bottleneck to a small conv net, trains it for a few steps on random images
// while the annealer may lower the density, then scores the sparse map with @sparling/metrics.
import * as tf from '@tensorflow/tfjs';
import { describeBackend, initBackend } from '@sparling/backend';
import { DensityAnnealer, sparseBottleneck } from '@sparling/layer';
import { evaluateMotifs } from '@sparling/metrics';
import { pathToFileURL } from 'node:url';

export async function run({ steps = 20, log = console.log } = {}) {
  log(describeBackend(await initBackend()));
  const input = tf.input({ shape: [16, 16, 1] });
  const features = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input);
  const logits = tf.layers.conv2d({ filters: 4, kernelSize: 1 }).apply(features);
  const bottleneck = sparseBottleneck({ name: 'motifs', density: 0.5 });
  const motifs = bottleneck.apply(logits);
  const output = tf.layers.dense({ units: 1 }).apply(tf.layers.globalAveragePooling2d({}).apply(motifs));
  const model = tf.model({ inputs: input, outputs: [output, motifs] });

  const optimizer = tf.train.adam(1e-3);
  const annealer = new DensityAnnealer({ targetDecreasePerSample: 1e-3 });
  for (let step = 1; step <= steps; step++) {
    const x = tf.randomUniform([8, 16, 16, 1], 0, 1, 'float32', step);
    const y = tf.tidy(() => tf.mean(x, [1, 2, 3]).expandDims(1));
    optimizer.minimize(() => tf.losses.meanSquaredError(y, model.apply(x, { training: true })[0]));
    tf.dispose([x, y]);
    // Pretend validation accuracy improves; a real run measures it on held-out data.
    if (annealer.update(step * 8, step / steps).reduced) bottleneck.sparsity = annealer.sparsity;
  }

  const x = tf.randomUniform([1, 16, 16, 1], 0, 1, 'float32', 99);
  const [prediction, map] = model.predict(x);
  const values = new Float32Array(map.dataSync());
  tf.dispose([x, prediction, map]);
  const metrics = evaluateMotifs([
    {
      map: { kind: 'dense', shape: [16, 16], channels: 4, values },
      motifs: [{ symbol: 'corner', footprint: { start: [0, 0], end: [4, 4] } }],
    },
  ]);
  log(`density ${bottleneck.density}, measured ${metrics.density}, FNE ${metrics.fne}, FPE ${metrics.fpe}`);
  const result = { density: bottleneck.density, thresholds: bottleneck.sparsityLayer.getThresholds(), metrics };
  model.dispose();
  optimizer.dispose();
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run();
