import * as tf from '@tensorflow/tfjs';
import { DensityAnnealer, sparseBottleneck, type SparseBottleneck } from '@sparling/layer';
import { evaluateMotifs, type SparseMotifMap, type TrueMotif } from '@sparling/metrics';
import type { CliIo } from '../io.js';
import { ProgressBar, formatNumber } from '../progress.js';
import { RandomState } from '@sparling/random';
import { DEFAULT_TOY, TOY_GLYPHS, meanMotifs, toySample, type ToySample } from './toy-motifs.js';

export interface LayerDemoOptions {
  readonly seed: number;
  /** Training budget in samples; the run also stops once density reaches `stopAtMultiple` x the minimum. */
  readonly samples: number;
  readonly batchSize: number;
  /** Validate (and let the annealer act) every this many samples. */
  readonly validateEvery: number;
  readonly validationItems: number;
  readonly learningRate: number;
  readonly stopAtMultiple: number;
}

export const DEFAULT_LAYER_DEMO: LayerDemoOptions = {
  seed: 1,
  samples: 150_000,
  batchSize: 32,
  validateEvery: 2_000,
  validationItems: 400,
  learningRate: 1e-3,
  stopAtMultiple: 1.5,
};

export interface LayerDemoValidation {
  readonly samples: number;
  readonly accuracy: number;
  readonly target: number;
  readonly density: number;
  readonly reduced: boolean;
}

export interface LayerDemoResult {
  readonly samples: number;
  readonly seconds: number;
  readonly density: number;
  readonly measuredDensity: number;
  readonly minimumDensity: number;
  readonly accuracy: number;
  readonly fpe: number | null;
  readonly fne: number | null;
  readonly ce: number | null;
  readonly validations: readonly LayerDemoValidation[];
}

const KINDS = TOY_GLYPHS.length;
const COUNT_CLASSES = DEFAULT_TOY.maxPerKind + 1;
const SYMBOLS = ['plus', 'cross', 'ring'] as const;

interface DemoModel {
  readonly model: tf.LayersModel;
  /** The same network cut after the sparse layer, to read the motif map. */
  readonly motifs: tf.LayersModel;
  readonly bottleneck: SparseBottleneck;
}

/**
 * g: two 3x3 convs (a 5x5 window, enough for a 3x3 glyph) to one logit channel per glyph kind,
 * then the SPARLING bottleneck. h: a 3x3 conv over the sparse map, summed over the canvas (so h
 * can only count what g marks), feeding one softmax per kind over its count.
 */
function buildModel(seed: number): DemoModel {
  const size = DEFAULT_TOY.size;
  // Seeded initialisers make the whole run reproducible from --seed.
  const init = (i: number) => tf.initializers.glorotUniform({ seed: seed * 101 + i });
  const input = tf.input({ shape: [size, size, 1] });
  let x = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2) }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers.conv2d({ filters: KINDS, kernelSize: 1, kernelInitializer: init(3) }).apply(x) as tf.SymbolicTensor;
  const bottleneck = sparseBottleneck({ name: 'motifs', density: 0.5 });
  const sparse = bottleneck.apply(logits);
  const local = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(6) }).apply(sparse) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(local) as tf.SymbolicTensor;
  // Averages of a map with a few marks are ~1/400; scaling to per-glyph units keeps Adam's steps sensible.
  const sums = tf.layers.rescaling({ scale: size * size / 4 }).apply(pooled) as tf.SymbolicTensor;
  const hidden = tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: init(4) }).apply(sums) as tf.SymbolicTensor;
  const heads = tf.layers.dense({ units: KINDS * COUNT_CLASSES, kernelInitializer: init(5) }).apply(hidden) as tf.SymbolicTensor;
  const out = tf.layers.reshape({ targetShape: [KINDS, COUNT_CLASSES] }).apply(heads) as tf.SymbolicTensor;
  return {
    model: tf.model({ inputs: input, outputs: out }),
    motifs: tf.model({ inputs: input, outputs: sparse }),
    bottleneck,
  };
}

function toTensors(samples: readonly ToySample[]): { x: tf.Tensor4D; y: tf.Tensor3D } {
  const size = DEFAULT_TOY.size;
  const images = new Float32Array(samples.length * size * size);
  const targets = new Float32Array(samples.length * KINDS * COUNT_CLASSES);
  samples.forEach((s, i) => {
    images.set(s.image, i * size * size);
    s.counts.forEach((count, kind) => {
      targets[(i * KINDS + kind) * COUNT_CLASSES + count] = 1;
    });
  });
  return { x: tf.tensor4d(images, [samples.length, size, size, 1]), y: tf.tensor3d(targets, [samples.length, KINDS, COUNT_CLASSES]) };
}

/** Exact-match accuracy (every count right) in inference mode. */
async function accuracy(model: tf.LayersModel, items: readonly ToySample[]): Promise<number> {
  const { x, y } = toTensors(items);
  const correct = tf.tidy(() => {
    const predicted = (model.predict(x) as tf.Tensor).argMax(-1);
    return predicted.equal(y.argMax(-1)).all(-1).sum();
  });
  const value = (await correct.data())[0] ?? 0;
  tf.dispose([x, y, correct]);
  return value / items.length;
}

/** Reads the sparse map in inference mode and scores it against the glyph footprints. */
async function motifMetrics(motifsModel: tf.LayersModel, items: readonly ToySample[]): Promise<ReturnType<typeof evaluateMotifs>> {
  const { x, y } = toTensors(items);
  const maps = motifsModel.predict(x) as tf.Tensor;
  const values = await maps.data();
  tf.dispose([x, y, maps]);
  const size = DEFAULT_TOY.size;
  const perItem = size * size * KINDS;
  return evaluateMotifs(
    items.map((item, i) => {
      const activations: SparseMotifMap['activations'][number][] = [];
      for (let j = 0; j < perItem; j++) {
        const v = values[i * perItem + j] ?? 0;
        if (v > 0) {
          const cell = Math.floor(j / KINDS);
          activations.push({ channel: j % KINDS, position: [Math.floor(cell / size), cell % size], value: v });
        }
      }
      const map: SparseMotifMap = { kind: 'sparse', shape: [size, size], channels: KINDS, activations };
      const motifs: TrueMotif[] = item.motifs.map((m) => ({
        symbol: SYMBOLS[m.kind] ?? String(m.kind),
        footprint: { start: [...m.footprint.start], end: [...m.footprint.end] },
      }));
      return { map, motifs };
    }),
  );
}

/**
 * Trains the toy motif model with the SPARLING bottleneck and the density annealer, printing
 * each validation, then reports how well the sparse channels mark the true glyphs.
 */
export async function runLayerDemo(io: CliIo, options: LayerDemoOptions = DEFAULT_LAYER_DEMO): Promise<LayerDemoResult> {
  tf.util.assert(options.samples > 0, () => `samples: expected a positive number, received ${options.samples}`);
  const size = DEFAULT_TOY.size;
  const minimumDensity = meanMotifs(options.seed + 1_000_003, 2_000) / (size * size * KINDS);
  const trainRandom = new RandomState(options.seed);
  const validationRandom = new RandomState(options.seed + 7_919);
  const validation = Array.from({ length: options.validationItems }, () => toySample(validationRandom));

  const { model, motifs, bottleneck } = buildModel(options.seed);
  const optimizer = tf.train.adam(options.learningRate);
  const annealer = new DensityAnnealer({ initialTarget: 1, targetDecreasePerSample: 2.5e-6, densityMultiplier: 0.75, density: 0.5 });
  const validations: LayerDemoValidation[] = [];
  const start = Date.now();

  io.stderr(`toy task: ${size}x${size} canvas, ${KINDS} glyph kinds, 0-${DEFAULT_TOY.maxPerKind} of each; minimum density ${formatNumber(minimumDensity)}\n`);
  io.stdout(`${'samples'.padStart(8)}  ${'accuracy'.padStart(8)}  ${'target'.padStart(7)}  ${'density'.padStart(9)}\n`);
  const bar = new ProgressBar(io, { total: options.samples, label: 'train', unit: 'samples' });
  let seen = 0;
  let lastLoss = NaN;
  let lastAccuracy = NaN;
  let lastValidated = 0;
  while (seen < options.samples) {
    const batch = Array.from({ length: options.batchSize }, () => toySample(trainRandom));
    const { x, y } = toTensors(batch);
    const loss = optimizer.minimize(() => {
      const logits = model.apply(x, { training: true }) as tf.Tensor;
      return tf.losses.softmaxCrossEntropy(y, logits);
    }, true);
    lastLoss = loss ? ((await loss.data())[0] ?? NaN) : NaN;
    tf.dispose([x, y]);
    loss?.dispose();
    seen += options.batchSize;
    if (seen - lastValidated >= options.validateEvery) {
      lastValidated = seen;
      lastAccuracy = await accuracy(model, validation);
      const update = annealer.update(seen, lastAccuracy);
      if (update.reduced) bottleneck.sparsity = annealer.sparsity;
      validations.push({ samples: seen, accuracy: lastAccuracy, target: update.target, density: bottleneck.density, reduced: update.reduced });
      io.stdout(`${String(seen).padStart(8)}  ${lastAccuracy.toFixed(4).padStart(8)}  ${update.target.toFixed(4).padStart(7)}  ${formatNumber(bottleneck.density).padStart(9)}${update.reduced ? '  reduced' : ''}\n`);
      if (bottleneck.density <= options.stopAtMultiple * minimumDensity) break;
    }
    bar.update(seen, { loss: lastLoss, density: bottleneck.density, acc: lastAccuracy });
  }
  bar.finish({ loss: lastLoss, density: bottleneck.density, acc: lastAccuracy });

  const testRandom = new RandomState(options.seed + 104_729);
  const test = Array.from({ length: options.validationItems }, () => toySample(testRandom));
  const finalAccuracy = await accuracy(model, test);
  const metrics = await motifMetrics(motifs, test);
  const positions = test.length * size * size * KINDS;
  const result: LayerDemoResult = {
    samples: seen,
    seconds: (Date.now() - start) / 1000,
    density: bottleneck.density,
    measuredDensity: metrics.counts.activations / positions,
    minimumDensity,
    accuracy: finalAccuracy,
    fpe: metrics.fpe,
    fne: metrics.fne,
    ce: metrics.ce,
    validations,
  };
  model.dispose();
  optimizer.dispose();
  return result;
}
