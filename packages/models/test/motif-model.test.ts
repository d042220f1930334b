import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';

import { MotifModel, type MotifModelConfig, ParameterStore, receptiveField } from '../src/index.js';
import { useWasm } from './model-helpers.js';

beforeAll(useWasm);

/** Positions (per spatial index) whose output changes when input position `at` changes. */
function changedPositions(config: MotifModelConfig, size: number, at: number[]): Set<string> {
  const store = new ParameterStore(11);
  const g = new MotifModel(store, config, 1, 2);
  const shape: [number, number, number, number] = config.dims === 2 ? [1, size, size, 1] : [1, 1, size, 1];
  const x = tf.randomNormal(shape, 0, 1, 'float32', 3);
  const values = x.arraySync() as number[][][][];
  const [row, column] = config.dims === 2 ? (at as [number, number]) : [0, at[0] as number];
  (values[0] as number[][][])[row]![column]![0]! += 5;
  const a = g.apply(x as tf.Tensor4D, false).arraySync() as number[][][][];
  const b = g.apply(tf.tensor4d(values), false).arraySync() as number[][][][];
  const changed = new Set<string>();
  a[0]!.forEach((r, i) => r.forEach((c, j) => c.forEach((v, k) => {
    if (v !== b[0]![i]![j]![k]) changed.add(config.dims === 2 ? `${i},${j}` : `${j}`);
  })));
  store.dispose();
  return changed;
}

describe('MotifModel', () => {
  it('reports the window 1 + (k − 1)·2·units', () => {
    expect(receptiveField({ dims: 2, width: 64, residualUnits: 4, kernelSize: 3 })).toBe(17);
    expect(receptiveField({ dims: 2, width: 64, residualUnits: 16, kernelSize: 3 })).toBe(65);
    expect(receptiveField({ dims: 1, width: 64, residualUnits: 8, kernelSize: 3 })).toBe(33);
    expect(receptiveField({ dims: 2, width: 8, residualUnits: 1, kernelSize: 5 })).toBe(9);
  });

  it.each([
    [{ dims: 2, width: 8, residualUnits: 2, kernelSize: 3 }],
    [{ dims: 2, width: 8, residualUnits: 1, kernelSize: 5 }],
  ] as [MotifModelConfig][])('2-D: one input pixel changes exactly the outputs within the window (%o)', (config) => {
    const radius = (receptiveField(config) - 1) / 2;
    const size = 2 * radius + 7;
    const centre = radius + 3;
    const changed = changedPositions(config, size, [centre, centre]);
    const expected = new Set<string>();
    for (let i = centre - radius; i <= centre + radius; i += 1) {
      for (let j = centre - radius; j <= centre + radius; j += 1) expected.add(`${i},${j}`);
    }
    expect(changed).toEqual(expected);
  });

  it('1-D: one input step changes exactly the outputs within the window', () => {
    const config: MotifModelConfig = { dims: 1, width: 8, residualUnits: 3, kernelSize: 3 };
    const changed = changedPositions(config, 25, [12]);
    expect(changed).toEqual(new Set(Array.from({ length: 13 }, (_, i) => `${i + 6}`)));
  });

  it('rejects an even kernel size', () => {
    expect(() => new MotifModel(new ParameterStore(), { dims: 2, width: 4, residualUnits: 1, kernelSize: 4 }, 1, 2)).toThrow(
      /kernelSize.*received 4/,
    );
  });
});
