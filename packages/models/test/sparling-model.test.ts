import * as tf from '@tensorflow/tfjs';
import { createDomain } from '@sparling/domains';
import { beforeAll, describe, expect, it, vi } from 'vitest';

import { presets, SparlingModel, withOverrides } from '../src/index.js';
import { maxAbsDiff, randomInputs, smallDigitCircle, tinyConfig, useWasm } from './model-helpers.js';

beforeAll(useWasm);

const labels = [['a', 'b'], ['c'], [], ['d', 'a', 'b']];
const inputs = () => randomInputs([4, 8, 8, 1]);

describe('SparlingModel', () => {
  it('rejects bad configurations naming the field', () => {
    expect(() => new SparlingModel(tinyConfig({ motifChannels: 0 }))).toThrow(/config\.motifChannels.*received 0/);
    expect(() => new SparlingModel(tinyConfig({ vocabulary: ['a', 'b', 'c'] }))).toThrow(/config\.vocabulary/);
    expect(() => new SparlingModel(withOverrides(tinyConfig(), { post: { heads: 3 } }))).toThrow(/config\.post\.heads.*received 3/);
    expect(() => new SparlingModel(withOverrides(tinyConfig(), { post: { pool: 9 } }))).toThrow(/config\.post\.pool/);
    const model = new SparlingModel(tinyConfig());
    expect(() => model.loss(inputs(), [['a', 'x'], [], [], []], false)).toThrow(/labels\[0\].*"x"/);
    model.dispose();
  });

  it('cpu preset: shapes end to end on 48×48 DigitCircle', async () => {
    const { model: config } = presets.cpu(smallDigitCircle());
    const model = new SparlingModel(config, { seed: 1 });
    const x = randomInputs([2, 48, 48, 1]);
    expect(model.motifLogits(x, false).shape).toEqual([2, 48, 48, 10]);
    expect(model.motifMap(x).shape).toEqual([2, 48, 48, 10]);
    expect(model.encode(x, false).shape).toEqual([2, 36, 64]);
    expect(model.logits(x, [[0, 2, 3], [0, 4, 5]], false).shape).toEqual([2, 3, 12]);
    expect(model.loss(x, [['1', '2', '3'], ['4']], true).shape).toEqual([]);
    const decoded = await model.decode(x);
    expect(decoded).toHaveLength(2);
    for (const row of decoded) expect(row.length).toBeLessThanOrEqual(config.maxLength);
    model.dispose();
  });

  it('cpu preset on LaTeX-OCR: 32 channels, a 33×33 window, the paper bottleneck, 120×360 end to end', () => {
    const latex = createDomain('latex-ocr');
    const { model: config, training } = presets.cpu(latex);
    expect(config.motifChannels).toBe(32);
    // Receptive field 1 + 4 × units (two 3-wide convolutions per unit).
    expect(1 + 4 * config.motif.residualUnits).toBe(33);
    expect(config.bottleneck).toMatchObject({ affine: false, accumulate: 10 });
    expect(config.vocabulary).toHaveLength(28);
    expect(training).toMatchObject({ batchSize: 4, validationMaxLength: 32 });
    const model = new SparlingModel(config, { seed: 1 });
    const x = randomInputs([1, 120, 360, 1]);
    expect(model.motifMap(x).shape).toEqual([1, 120, 360, 32]);
    expect(model.encode(x, false).shape).toEqual([1, 15 * 45, 64]);
    const item = latex.sample(1, 2);
    const drawn = tf.tensor(item.input, [1, 120, 360, 1]);
    expect(model.loss(drawn, [[...item.label]], true).shape).toEqual([]);
    drawn.dispose();
    model.dispose();
  });

  it('cpu preset on AudioMNISTSequence: 1-D, a 33-frame window, the time-only encoding, 642 frames end to end', () => {
    // The folder is opened on the first sample only; the preset needs just the shapes.
    const audio = createDomain('audio-mnist-sequence', { speech: '/nonexistent' });
    const { model: config } = presets.cpu(audio);
    expect(config.motif).toMatchObject({ dims: 1, residualUnits: 8 });
    expect(config.post).toMatchObject({ rowLstm: false, positionalEncoding: 'row', coordinates: false });
    expect(config.bottleneck).toMatchObject({ affine: false, accumulate: 10 });
    const model = new SparlingModel(config, { seed: 1 });
    const x = randomInputs([2, 642, 64]);
    expect(model.motifMap(x).shape).toEqual([2, 642, 10]);
    expect(model.encode(x, false).shape).toEqual([2, 80, 64]);
    expect(model.loss(x, [['1', '2'], ['3']], true).shape).toEqual([]);
    model.dispose();
  });

  it('paper preset: shapes end to end on 100×100 DigitCircle (batch 1)', async () => {
    const { model: config } = presets.paper(createDomain('digit-circle'));
    const model = new SparlingModel(config, { seed: 1 });
    const x = randomInputs([1, 100, 100, 1]);
    expect(model.motifMap(x).shape).toEqual([1, 100, 100, 10]);
    expect(model.encode(x, false).shape).toEqual([1, 144, 512]);
    expect(model.logits(x, [[0, 2]], false).shape).toEqual([1, 2, 12]);
    expect((await model.decode(x, 2))[0]?.length).toBeLessThanOrEqual(2);
    model.dispose();
  });

  it('1-D variant: sequences without a row LSTM', () => {
    const config = withOverrides(tinyConfig(), { inputShape: [40, 3], motif: { dims: 1 }, post: { rowLstm: false, pool: 4 } });
    const model = new SparlingModel(config);
    const x = randomInputs([2, 40, 3]);
    expect(model.motifMap(x).shape).toEqual([2, 40, 3]);
    expect(model.encode(x, false).shape).toEqual([2, 10, 16]);
    expect(model.loss(x, [['a'], ['b']], true).shape).toEqual([]);
    model.dispose();
  });

  it('same seed gives the same weights, another seed different ones', async () => {
    const [a, b, c] = [1, 1, 2].map((seed) => new SparlingModel(tinyConfig(), { seed }));
    const sa = await a!.getState();
    expect(await b!.getState()).toEqual(sa);
    expect((await c!.getState()).map((e) => e.name)).toEqual(sa.map((e) => e.name));
    expect((await c!.getState()).find((e) => e.name === 'g/conv_in/kernel')!.values).not.toEqual(sa.find((e) => e.name === 'g/conv_in/kernel')!.values);
    for (const m of [a, b, c]) m!.dispose();
  });

  it('names state stably, independent of the bottleneck kind for g and h', async () => {
    const sparling = new SparlingModel(tinyConfig());
    const none = new SparlingModel(withOverrides(tinyConfig(), { bottleneck: { kind: 'none' } }));
    const names = (await sparling.getState()).map((e) => e.name);
    expect(names).toContain('g/unit0/bn1/running_mean');
    expect(names).toContain('bottleneck/sparsity/thresholds');
    expect(names).toContain('h/decoder/layer0/cross_attention/in_proj/kernel');
    expect((await none.getState()).map((e) => e.name)).toEqual(names.filter((n) => !n.startsWith('bottleneck/')));
    const sparlingState = await sparling.getState();
    expect(() => none.setState(sparlingState)).toThrow(/bottleneck\/bn\/gamma/);
    none.setState(await sparling.getState(), { ignoreUnknown: true });
    expect(await none.getState()).toEqual((await sparling.getState()).filter((e) => !e.name.startsWith('bottleneck/')));
    expect(sparling.trainableVariables({ frozenMotifModel: true })).toHaveLength(
      (await sparling.getState()).filter((e) => e.name.startsWith('h/')).length,
    );
    sparling.dispose();
    none.dispose();
  });

  it('splits the state into trainable weights and running statistics, and sets a part of it', async () => {
    const model = new SparlingModel(tinyConfig(), { seed: 1 });
    const all = await model.getState();
    const running = await model.getState({ trainable: false });
    expect(running.map((e) => e.name)).toEqual(all.map((e) => e.name).filter((n) => /running_(mean|var)$|thresholds$/.test(n)));
    expect([...(await model.getState({ trainable: true })), ...running].map((e) => e.name).sort()).toEqual(all.map((e) => e.name).sort());
    expect(() => model.setState(running)).toThrow(/missing names/);
    model.setState(running.map((e) => ({ ...e, values: e.values.map(() => 0.5) })), { partial: true });
    const after = await model.getState();
    for (const [i, e] of after.entries()) {
      if (running.some((r) => r.name === e.name)) expect(e.values.every((v) => v === 0.5), e.name).toBe(true);
      else expect(e.values, e.name).toEqual(all[i]?.values);
    }
    model.dispose();
  });

  it('getState / setState round trip restores outputs exactly (including BN statistics and thresholds)', async () => {
    const a = new SparlingModel(tinyConfig(), { seed: 1 });
    const optimizer = tf.train.adam(1e-2);
    const x = inputs();
    for (let i = 0; i < 3; i += 1) optimizer.minimize(() => a.loss(x, labels, true), false, a.trainableVariables());
    const b = new SparlingModel(tinyConfig(), { seed: 2 });
    b.setState(await a.getState());
    expect(await b.getState()).toEqual(await a.getState());
    const tokens = [[0, 2, 3], [0, 1, 1], [0, 4, 1], [0, 5, 2]];
    expect(b.logits(x, tokens, false).arraySync()).toEqual(a.logits(x, tokens, false).arraySync());
    expect(b.motifMap(x).arraySync()).toEqual(a.motifMap(x).arraySync());
    expect(await b.decode(x)).toEqual(await a.decode(x));
    a.dispose();
    b.dispose();
  });

  it('the loss is the mean cross-entropy over non-padding targets, including the first </s>', () => {
    const model = new SparlingModel(tinyConfig({ bottleneck: { ...tinyConfig().bottleneck, kind: 'none' } }));
    const x = inputs();
    // [<s>] + y + [</s>], padded with </s> to the longest (3 labels + 2 = length 5).
    const ids = [[0, 2, 3, 1, 1], [0, 4, 1, 1, 1], [0, 1, 1, 1, 1], [0, 5, 2, 3, 1]];
    const logits = model.logits(x, ids.map((row) => row.slice(0, -1)), false);
    const logp = tf.logSoftmax(logits).arraySync() as number[][][];
    let total = 0;
    let count = 0;
    ids.forEach((row, b) => {
      const end = row.indexOf(1);
      for (let t = 0; t < end; t += 1) {
        total -= logp[b]![t]![row[t + 1]!]!;
        count += 1;
      }
    });
    expect(count).toBe(3 + 2 + 1 + 4);
    expect(model.loss(x, labels, false).dataSync()[0]).toBeCloseTo(total / count, 5);
    model.dispose();
  });

  it('a future token cannot change an earlier decoder output (end to end)', () => {
    const model = new SparlingModel(tinyConfig());
    const x = inputs();
    const a = model.logits(x, [[0, 2, 3, 4], [0, 2, 3, 4], [0, 5, 5, 5], [0, 1, 1, 1]], false).arraySync();
    const b = model.logits(x, [[0, 2, 5, 5], [0, 2, 3, 2], [0, 5, 2, 2], [0, 1, 3, 3]], false).arraySync();
    const firstChange = [2, 3, 2, 2];
    expect(b.map((row, i) => row.slice(0, firstChange[i]))).toEqual(a.map((row, i) => row.slice(0, firstChange[i])));
    expect(maxAbsDiff(b[0]![2]!, a[0]![2]!)).toBeGreaterThan(1e-5);
    model.dispose();
  });

  it('greedy decoding equals a brute-force argmax loop over the whole prefix', async () => {
    const model = new SparlingModel(tinyConfig(), { seed: 5 });
    const x = randomInputs([6, 8, 8, 1], 9);
    const expected: string[][] = [];
    for (let b = 0; b < 6; b += 1) {
      const xi = tf.slice(x, b, 1);
      const prefix = [0];
      for (let step = 0; step < model.config.maxLength; step += 1) {
        const scores = model.logits(xi, [prefix], false).arraySync()[0]![step]!;
        const next = scores.indexOf(Math.max(...scores));
        prefix.push(next);
        if (next === 1) break;
      }
      const end = prefix.indexOf(1);
      expected.push(prefix.slice(1, end === -1 ? undefined : end).map((id) => model.config.vocabulary[id]!));
    }
    expect(await model.decode(x)).toEqual(expected);
    model.dispose();
  });

  it('decodes from motif logits exactly as from inputs, without leaking tensors', async () => {
    const model = new SparlingModel(tinyConfig(), { seed: 5 });
    const x = randomInputs([6, 8, 8, 1], 9);
    const z = model.motifLogits(x, false);
    const before = tf.memory().numTensors;
    expect(await model.decodeFromMotifLogits(z)).toEqual(await model.decode(x));
    expect(tf.memory().numTensors).toBe(before);
    await expect(model.decodeFromMotifLogits(z, 0)).rejects.toThrow('maxLength');
    tf.dispose([x, z]);
    model.dispose();
  });

  it('decoding stops at </s> on a hand-built model', async () => {
    const model = new SparlingModel(tinyConfig());
    // Output layer: zero kernel, bias favouring </s>: every sequence ends immediately.
    const state = (await model.getState()).map((e) => {
      if (e.name === 'h/output/kernel') return { ...e, values: new Float32Array(e.values.length) };
      if (e.name === 'h/output/bias') return { ...e, values: Float32Array.from([0, 5, 1, 0, 0, 0]) };
      return e;
    });
    model.setState(state);
    expect(await model.decode(inputs())).toEqual([[], [], [], []]);
    // Favour 'a' instead: sequences run to maxLength without </s>.
    model.setState(state.map((e) => (e.name === 'h/output/bias' ? { ...e, values: Float32Array.from([0, 0, 5, 0, 0, 0]) } : e)));
    expect(await model.decode(inputs(), 3)).toEqual(Array(4).fill(['a', 'a', 'a']));
    model.dispose();
  });

  it('gradient reaches z only where the sparse output survives', () => {
    const model = new SparlingModel(tinyConfig(), { seed: 3 });
    const x = inputs();
    for (let i = 0; i < 3; i += 1) tf.dispose(model.loss(x, labels, true)); // thresholds move off 0
    const z = model.motifLogits(x, false);
    const survivors = model.bottleneck.apply(z, { training: false }).dataSync();
    const grad = tf.grad((zz: tf.Tensor) => model.lossFromMotifLogits(zz, labels, false))(z).dataSync();
    let alive = 0;
    survivors.forEach((v, i) => {
      if (v === 0) expect(Math.abs(grad[i] as number)).toBe(0);
      else if (grad[i] !== 0) alive += 1;
    });
    expect(alive).toBeGreaterThan(0);
    expect(survivors.filter((v) => v === 0).length).toBeGreaterThan(0);
    model.dispose();
  });

  it('keeps tf.memory().numTensors flat across training steps', async () => {
    const model = new SparlingModel(tinyConfig({ post: { ...tinyConfig().post, dropout: 0.1 } }));
    const optimizer = tf.train.adam(1e-3);
    const x = inputs();
    const counts: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      optimizer.minimize(() => model.loss(x, labels, true), false, model.trainableVariables());
      counts.push(tf.memory().numTensors);
    }
    expect(new Set(counts.slice(1)).size).toBe(1);
    const before = tf.memory().numTensors;
    await model.decode(x);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('seeds dropout by (seed, step): the same step gives the same loss, another step another one', () => {
    const config = tinyConfig({ post: { ...tinyConfig().post, dropout: 0.3 } });
    const a = new SparlingModel(config, { seed: 2 });
    const b = new SparlingModel(config, { seed: 2 });
    const c = new SparlingModel(config, { seed: 2 });
    const x = inputs();
    const lossAt = (model: SparlingModel, step: number) => {
      model.setTrainingStep(step);
      const loss = model.loss(x, labels, true);
      const value = loss.dataSync()[0] as number;
      loss.dispose();
      return value;
    };
    // Fresh models with equal weights: a training pass also moves BN statistics and thresholds.
    const first = lossAt(a, 7);
    expect(lossAt(b, 7)).toBe(first);
    expect(lossAt(c, 8)).not.toBe(first);
    // Each training-mode pass advances the step; inference passes do not use dropout.
    a.setTrainingStep(3);
    a.loss(x, labels, true).dispose();
    expect(a.trainingStep).toBe(4);
    a.loss(x, labels, false).dispose();
    expect(a.trainingStep).toBe(4);
    // The masks come from explicit seeds: Math.random is neither replaced nor consulted.
    const random = Math.random;
    const spy = vi.spyOn(Math, 'random');
    a.loss(x, labels, true).dispose();
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    expect(Math.random).toBe(random);
    expect(() => a.setTrainingStep(-1)).toThrow(/setTrainingStep.*received -1/);
    a.dispose();
    b.dispose();
    c.dispose();
  });

  it('learns a trivial task: the loss falls within a few hundred steps', () => {
    // Label ['a', 'b'] if the top half is bright, ['c'] otherwise.
    const model = new SparlingModel(tinyConfig({ bottleneck: { ...tinyConfig().bottleneck, density: 0.5 } }), { seed: 1 });
    const optimizer = tf.train.adam(3e-3);
    const batch = 16;
    const losses: number[] = [];
    for (let step = 0; step < 200; step += 1) {
      const bright = Array.from({ length: batch }, (_, i) => (i + step) % 2 === 0);
      const x = tf.tidy(() =>
        tf.stack(bright.map((on) => tf.concat([tf.fill([4, 8, 1], on ? 1 : 0), tf.zeros([4, 8, 1])], 0))),
      );
      const y = bright.map((on) => (on ? ['a', 'b'] : ['c']));
      const loss = optimizer.minimize(() => model.loss(x, y, true), true, model.trainableVariables()) as tf.Scalar;
      losses.push(loss.dataSync()[0] as number);
      loss.dispose();
      x.dispose();
    }
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(losses.slice(-20))).toBeLessThan(0.2 * mean(losses.slice(0, 5)));
    model.dispose();
  });
});
