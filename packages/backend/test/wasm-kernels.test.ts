import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from '../src/index.js';
import { compareWithCpu, randomTensor } from './helpers.js';

// Float32 sums of a few hundred terms; a wrong index or pad gives errors of order 1.
const TOLERANCE = 2e-5;

beforeAll(async () => {
  // IS_TEST makes the engine check every kernel for leaked data ids; it also mutes tfjs's banners.
  tf.env().set('IS_TEST', true);
  registerWasmTrainingKernels();
  expect(await tf.setBackend('wasm')).toBe(true);
});

interface ConvCase {
  name: string;
  x: [number, number, number, number];
  w: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
}

const convCases: ConvCase[] = [
  { name: '3x3 stride 1 same', x: [2, 8, 8, 3], w: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { name: '3x3 stride 1 valid', x: [2, 8, 9, 3], w: [3, 3, 3, 5], strides: 1, pad: 'valid' },
  { name: '5x3 stride 2 same', x: [3, 11, 9, 2], w: [5, 3, 2, 4], strides: 2, pad: 'same' },
  { name: '5x3 stride 2 valid', x: [2, 12, 10, 3], w: [5, 3, 3, 2], strides: 2, pad: 'valid' },
  { name: '4x4 stride 3 same', x: [2, 13, 14, 2], w: [4, 4, 2, 3], strides: 3, pad: 'same' },
  { name: '4x4 stride 3 valid', x: [2, 13, 11, 2], w: [4, 4, 2, 3], strides: 3, pad: 'valid' },
  { name: '2x2 stride (2,1) same', x: [2, 9, 8, 4], w: [2, 2, 4, 3], strides: [2, 1], pad: 'same' },
  { name: '2x2 stride (2,1) valid', x: [2, 9, 8, 4], w: [2, 2, 4, 3], strides: [2, 1], pad: 'valid' },
  { name: '3x3 stride 2 pad 1', x: [2, 10, 10, 3], w: [3, 3, 3, 4], strides: 2, pad: 1 },
  {
    name: '3x3 stride 1 explicit pads larger than the kernel',
    x: [1, 6, 7, 2],
    w: [3, 3, 2, 2],
    strides: 1,
    pad: [[0, 0], [4, 1], [0, 3], [0, 0]],
  },
  { name: '1x1 stride 2', x: [2, 7, 7, 3], w: [1, 1, 3, 4], strides: 2, pad: 'valid' },
  { name: '1x1 stride 1 same (a matMul)', x: [2, 7, 6, 3], w: [1, 1, 3, 4], strides: 1, pad: 'same' },
];

describe('Conv2DBackpropInput and Conv2DBackpropFilter on wasm', () => {
  it.each(convCases)('match cpu: $name', async ({ x, w, strides, pad }) => {
    const errors = await compareWithCpu(() => {
      const xt = randomTensor(x, 1) as tf.Tensor4D;
      const wt = randomTensor(w, 2) as tf.Tensor4D;
      const y = tf.conv2d(xt, wt, strides, pad);
      const dy = randomTensor(y.shape, 3);
      const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad);
      return [y, ...tf.grads(f)([xt, wt], dy)];
    });
    expect(errors.every((e) => e < TOLERANCE), `relative errors [y, dx, dw] ${errors}`).toBe(true);
  });

  it.each([
    { stride: 1, pad: 'same' as const, kernel: 5 },
    { stride: 2, pad: 'valid' as const, kernel: 3 },
    { stride: 3, pad: 'same' as const, kernel: 4 },
  ])('match cpu through tf.conv1d: kernel $kernel stride $stride $pad', async ({ stride, pad, kernel }) => {
    const errors = await compareWithCpu(() => {
      const x = randomTensor([3, 20, 4], 4) as tf.Tensor3D;
      const w = randomTensor([kernel, 4, 6], 5) as tf.Tensor3D;
      const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv1d(a as tf.Tensor3D, b as tf.Tensor3D, stride, pad);
      const dy = randomTensor(f(x, w).shape, 6);
      return tf.grads(f)([x, w], dy);
    });
    expect(errors.every((e) => e < TOLERANCE), `relative errors [dx, dw] ${errors}`).toBe(true);
  });

  it('match cpu through tf.conv2dTranspose', async () => {
    const errors = await compareWithCpu(() => {
      const x = randomTensor([2, 5, 6, 4], 7) as tf.Tensor4D;
      const w = randomTensor([3, 3, 2, 4], 8) as tf.Tensor4D;
      const f = (a: tf.Tensor, b: tf.Tensor) =>
        tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [2, 10, 12, 2], 2, 'same');
      const dy = randomTensor([2, 10, 12, 2], 9);
      return [f(x, w), ...tf.grads(f)([x, w], dy)];
    });
    expect(errors.every((e) => e < TOLERANCE), `relative errors [y, dx, dw] ${errors}`).toBe(true);
  });

  it('computes the filter gradient of an NCHW conv', async () => {
    const dims = { x: [2, 3, 9, 8] as [number, number, number, number], w: [3, 2, 3, 4] as [number, number, number, number] };
    const errors = await compareWithCpu(() => {
      const x = randomTensor(dims.x, 10) as tf.Tensor4D;
      const dy = randomTensor([2, 4, 5, 8], 11) as tf.Tensor4D;
      return [
        tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
          strides: [2, 1],
          pad: 'same',
          dataFormat: 'NCHW',
          filterShape: dims.w,
        }) as tf.Tensor,
      ];
    });
    expect(errors[0]).toBeLessThan(TOLERANCE);
  });
});

describe('BatchMatMul on wasm', () => {
  const combos = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const;
  it.each(combos)('matches cpu with transposeA=%s transposeB=%s, rank 2, 3 and broadcast', async (ta, tb) => {
    const errors = await compareWithCpu(() => {
      const a2 = randomTensor(ta ? [7, 5] : [5, 7], 12);
      const b2 = randomTensor(tb ? [6, 7] : [7, 6], 13);
      const a3 = randomTensor(ta ? [3, 7, 5] : [3, 5, 7], 14);
      const b3 = randomTensor(tb ? [3, 6, 7] : [3, 7, 6], 15);
      return [tf.matMul(a2, b2, ta, tb), tf.matMul(a3, b3, ta, tb), tf.matMul(a3, b2, ta, tb)];
    });
    expect(errors.every((e) => e < TOLERANCE), `relative errors ${errors}`).toBe(true);
  });

  it.each(combos)(
    'matches cpu above the batch-splitting size with transposeA=%s transposeB=%s, and broadcast either way',
    async (ta, tb) => {
      // 40·41·40 multiply-adds per matrix: just above the size from which batches run one matMul per matrix.
      const errors = await compareWithCpu(() => {
        const a = randomTensor(ta ? [3, 2, 41, 40] : [3, 2, 40, 41], 31);
        const b = randomTensor(tb ? [3, 2, 40, 41] : [3, 2, 41, 40], 32);
        const a2 = randomTensor(ta ? [41, 40] : [40, 41], 33);
        const b2 = randomTensor(tb ? [40, 41] : [41, 40], 34);
        return [tf.matMul(a, b, ta, tb), tf.matMul(a, b2, ta, tb), tf.matMul(a2, b, ta, tb)];
      });
      expect(errors.every((e) => e < TOLERANCE), `relative errors ${errors}`).toBe(true);
    },
  );

  it('gives matMul gradients equal to cpu', async () => {
    const errors = await compareWithCpu(() => {
      const a = randomTensor([4, 6, 9], 16);
      const b = randomTensor([4, 9, 5], 17);
      return tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y).square().sum())([a, b]);
    });
    expect(errors.every((e) => e < TOLERANCE), `relative errors ${errors}`).toBe(true);
  });
});

describe('UnsortedSegmentSum on wasm', () => {
  it('sums duplicate indices in the gradient of tf.gather', async () => {
    const errors = await compareWithCpu(() => {
      const table = randomTensor([10, 4], 18);
      const ids = tf.tensor1d([3, 1, 3, 3, 9, 0, 1], 'int32');
      const dy = randomTensor([7, 4], 19);
      const [g] = tf.grads((t: tf.Tensor) => tf.gather(t, ids))([table], dy);
      const [g2] = tf.grads((t: tf.Tensor) => tf.gather(t, tf.tensor2d([[2, 2], [3, 2]], [2, 2], 'int32'), 1))(
        [table],
        randomTensor([10, 2, 2], 20),
      );
      return [g as tf.Tensor, g2 as tf.Tensor];
    });
    expect(errors.every((e) => e < TOLERANCE), `relative errors ${errors}`).toBe(true);
  });

  it('matches cpu for tf.unsortedSegmentSum, dropping ids outside [0, numSegments)', async () => {
    const errors = await compareWithCpu(() => {
      const x = randomTensor([8, 3, 2], 21);
      return [
        tf.unsortedSegmentSum(x, tf.tensor1d([0, 4, 4, 2, 0, 1, 4, 3], 'int32'), 5),
        tf.unsortedSegmentSum(x, tf.tensor1d([0, -1, 4, 5, 0, 9, 2, 2], 'int32'), 5),
        tf.unsortedSegmentSum(tf.range(0, 6, 1, 'int32'), tf.tensor1d([1, 1, 0, 2, 2, 2], 'int32'), 3),
      ];
    });
    expect(errors.every((e) => e === 0), `relative errors ${errors}`).toBe(true);
  });
});

describe('Slice on wasm', () => {
  it('matches cpu for contiguous and strided slices, float32 and int32, and through unstack and split', async () => {
    const errors = await compareWithCpu(() => {
      const x = randomTensor([4, 3, 5], 41);
      const ints = tf.range(0, 60, 1, 'int32').reshape([4, 3, 5]);
      return [
        tf.slice(x, [1, 0, 0], [2, 3, 5]),
        tf.slice(x, [2, 1, 0], [1, 2, 5]),
        tf.slice(x, [0, 1, 2], [3, 2, 2]),
        tf.cast(tf.slice(ints, [3, 0, 0], [1, 3, 5]), 'float32'),
        tf.cast(tf.slice(ints, [0, 0, 1], [4, 3, 3]), 'float32'),
        ...tf.unstack(x),
        ...tf.unstack(x, 1),
        ...tf.split(x, [1, 3], 0),
      ];
    });
    expect(errors.every((e) => e === 0), `relative errors ${errors}`).toBe(true);
  });
});

describe('MaxPoolGrad on wasm', () => {
  // Values on a coarse grid, so most windows hold ties: the gradient must go to the first
  // maximum in row-major order, as on cpu.
  const tied = (shape: number[], seed: number) => tf.round(randomTensor(shape, seed).mul(2));
  it.each([
    { name: '4x4 stride 4 valid', x: [2, 8, 12, 3], size: 4, stride: 4, pad: 'valid' as const },
    { name: '3x3 stride 2 same (overlapping, padded)', x: [2, 7, 9, 2], size: 3, stride: 2, pad: 'same' as const },
    { name: '2x2 stride 1 valid', x: [1, 5, 5, 4], size: 2, stride: 1, pad: 'valid' as const },
  ])('matches cpu with ties: $name', async ({ x, size, stride, pad }) => {
    const errors = await compareWithCpu(() => {
      const input = tied(x, 42) as tf.Tensor4D;
      const f = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, size, stride, pad);
      const dy = randomTensor(f(input).shape, 43);
      return [tf.grad(f)(input, dy)];
    });
    expect(errors.every((e) => e < TOLERANCE), `relative errors ${errors}`).toBe(true);
  });
});

describe('Sum on wasm', () => {
  it('matches cpu over leading axes (bias gradients), with and without keepDims, and elsewhere', async () => {
    const errors = await compareWithCpu(() => {
      const x4 = randomTensor([3, 5, 7, 4], 44);
      const x2 = randomTensor([101, 6], 45);
      return [
        tf.sum(x4, [0, 1, 2]),
        tf.sum(x4, [0, 1, 2], true),
        tf.sum(x2, 0),
        tf.sum(x2, 0, true),
        tf.sum(x4, [1, 2]),
        tf.sum(x4, -1),
        tf.sum(x4),
        tf.cast(tf.sum(tf.range(0, 12, 1, 'int32').reshape([4, 3]), 0), 'float32'),
        ...tf.grads((w: tf.Tensor, b: tf.Tensor) => tf.add(tf.mul(x4, w), b))([randomTensor([4], 46), randomTensor([4], 47)]),
      ];
    });
    expect(errors.every((e) => e < TOLERANCE), `relative errors ${errors}`).toBe(true);
  });
});

describe('registerWasmTrainingKernels', () => {
  it('is idempotent and reports the kernels it owns', () => {
    const before = WASM_TRAINING_KERNELS.map((name) => tf.getKernel(name, 'wasm')?.kernelFunc);
    expect(registerWasmTrainingKernels()).toEqual([...WASM_TRAINING_KERNELS]);
    const after = WASM_TRAINING_KERNELS.map((name) => tf.getKernel(name, 'wasm')?.kernelFunc);
    expect(after).toEqual(before);
    expect(before.every((f) => typeof f === 'function')).toBe(true);
  });

  it('leaks no tensors over 20 training steps of a conv + dense net', async () => {
    await tf.setBackend('wasm');
    const conv1 = tf.variable(randomTensor([3, 3, 2, 4], 22).mul(0.3)) as tf.Variable<tf.Rank.R4>;
    const conv2 = tf.variable(randomTensor([3, 3, 4, 4], 23).mul(0.3)) as tf.Variable<tf.Rank.R4>;
    const dense = tf.variable(randomTensor([4 * 4 * 4, 3], 24).mul(0.1));
    const embed = tf.variable(randomTensor([6, 2], 25));
    const optimizer = tf.train.adam(0.01);
    const x = randomTensor([4, 8, 8, 2], 26);
    const ids = tf.tensor1d([1, 5, 5, 0], 'int32');
    const labels = tf.oneHot(tf.tensor1d([0, 2, 1, 2], 'int32'), 3);
    const loss = () =>
      tf.tidy(() => {
        const shift = tf.gather(embed, ids).reshape([4, 1, 1, 2]);
        const h1 = tf.relu(tf.conv2d(x.add(shift) as tf.Tensor4D, conv1, 1, 'same'));
        const h2 = tf.relu(tf.conv2d(h1, conv2, 2, 'same'));
        const logits = tf.matMul(h2.reshape([4, -1]), dense);
        // Not softmaxCrossEntropy: IS_TEST's leak check flags every customGrad op, on cpu too.
        return tf.mean(tf.square(tf.sub(tf.sigmoid(logits), labels))) as tf.Scalar;
      });
    // Filter gradients pass a fresh dy as an XNNPACK filter each step; a stale operator cache
    // would grow the wasm heap, which tf.memory() does not see.
    const heapBytes = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
    const counts: number[] = [];
    const heap: number[] = [];
    const losses: number[] = [];
    for (let step = 1; step <= 20; step++) {
      const value = optimizer.minimize(loss, true);
      losses.push(value?.dataSync()[0] ?? NaN);
      value?.dispose();
      counts[step] = tf.memory().numTensors;
      heap[step] = heapBytes();
    }
    expect(counts[20]).toBe(counts[5]);
    expect(heap[20]).toBe(heap[5]);
    expect(losses[19]).toBeLessThan(losses[0] ?? 0);
    optimizer.dispose();
    tf.dispose([conv1, conv2, dense, embed, x, ids, labels]);
  });
});
