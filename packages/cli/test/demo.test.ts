import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@sparling/backend';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LAYER_DEMO, runLayerDemo } from '../src/demo/layer-demo.js';
import { RandomState } from '@sparling/random';
import { DEFAULT_TOY, TOY_GLYPHS, meanMotifs, toySample } from '../src/demo/toy-motifs.js';
import { main } from '../src/index.js';
import { capture } from './capture.js';

const tiny = { ...DEFAULT_LAYER_DEMO, samples: 320, batchSize: 16, validateEvery: 160, validationItems: 32 };

describe('toy motif task', () => {
  it('is reproducible from the seed', () => {
    const a = toySample(new RandomState(5));
    const b = toySample(new RandomState(5));
    expect(Buffer.from(a.image.buffer).equals(Buffer.from(b.image.buffer))).toBe(true);
    expect(a.counts).toEqual(b.counts);
  });
  it('stamps exactly the counted glyphs with in-canvas, non-overlapping footprints', () => {
    const random = new RandomState(11);
    for (let i = 0; i < 200; i++) {
      const s = toySample(random);
      expect(s.motifs.length).toBe(s.counts.reduce((x, y) => x + y, 0));
      for (const m of s.motifs) {
        expect(m.footprint.start.every((v) => v >= 0)).toBe(true);
        expect(m.footprint.end.every((v) => v <= DEFAULT_TOY.size)).toBe(true);
        const stamped = [-1, 0, 1].map((dr) =>
          [-1, 0, 1].map((dc) => (s.image[(m.position[0] + dr) * DEFAULT_TOY.size + m.position[1] + dc] === 1 ? '#' : '.')).join(''),
        );
        expect(stamped).toEqual(TOY_GLYPHS[m.kind]);
      }
      for (const [j, m] of s.motifs.entries()) {
        for (const n of s.motifs.slice(j + 1)) {
          const apart = Math.max(Math.abs(m.position[0] - n.position[0]), Math.abs(m.position[1] - n.position[1]));
          expect(apart).toBeGreaterThanOrEqual(5);
        }
      }
    }
  });
  it('has about three glyphs per canvas', () => {
    expect(meanMotifs(1, 2000)).toBeGreaterThan(2.8);
    expect(meanMotifs(1, 2000)).toBeLessThan(3.2);
  });
});

describe('layer demo', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('trains, validates, scores motifs, and leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const io = capture();
    const result = await runLayerDemo(io, tiny);
    expect(tf.memory().numTensors).toBe(before);
    expect(result.samples).toBe(320);
    expect(result.validations.map((v) => v.samples)).toEqual([160, 320]);
    expect(result.accuracy).toBeGreaterThanOrEqual(0);
    expect(result.accuracy).toBeLessThanOrEqual(1);
    expect(result.measuredDensity).toBeGreaterThan(0);
    expect(result.minimumDensity).toBeCloseTo(3 / (20 * 20 * 3), 3);
    expect(io.out).toContain('samples  accuracy   target    density');
  });

  it('gives the same run for the same seed', async () => {
    const a = await runLayerDemo(capture(), tiny);
    const b = await runLayerDemo(capture(), tiny);
    expect(b.validations).toEqual(a.validations);
    expect(b.measuredDensity).toBe(a.measuredDensity);
  });

  it('runs from the command line and rejects bad flags', async () => {
    const io = capture();
    expect(await main(['demo', 'layer', '--samples', '64', '--batch-size', '32', '--backend', 'wasm', '--json'], io)).toBe(0);
    const parsed = JSON.parse(io.out) as { backend: string; samples: number };
    expect(parsed.backend).toBe('wasm');
    expect(parsed.samples).toBe(64);
    const bad = capture();
    expect(await main(['demo', 'layer', '--samples', 'many'], bad)).toBe(2);
    expect(bad.err).toContain('--samples: expected an integer, received "many"');
    const unknown = capture();
    expect(await main(['demo', 'nothing'], unknown)).toBe(2);
    expect(unknown.err).toContain('expected the demo name "layer", received "nothing"');
  });
});
