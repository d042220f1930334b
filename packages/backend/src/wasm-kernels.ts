import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import type {
  BatchMatMulAttrs,
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  MaxPoolGradAttrs,
  NamedAttrMap,
  SliceAttrs,
  SumAttrs,
  Tensor,
  Tensor4D,
  TensorInfo,
  UnsortedSegmentSumAttrs,
} from '@tensorflow/tfjs';

const WASM = 'wasm';

/**
 * Marks our kernel functions. `Symbol.for` makes the mark visible across the ESM and CJS copies
 * of this package, so a second copy in the same process does not wrap our kernels again.
 */
const MARK = Symbol.for('@sparling/backend/wasm-training-kernel');

/** The names of the kernels {@link registerWasmTrainingKernels} adds to or replaces in 'wasm'. */
export const WASM_TRAINING_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'BatchMatMul',
  'UnsortedSegmentSum',
  'Slice',
  'MaxPoolGrad',
  'Sum',
] as const;

type KernelArgs = Parameters<KernelFunc>[0];
type Marked = KernelFunc & { [MARK]?: true };

/**
 * Runs tf ops inside a kernel. The inputs are wrapped as tensors with their own reference, the
 * result gets one extra reference before the tidy scope disposes it, so the engine receives a
 * TensorInfo it owns and nothing leaks.
 */
function composite(
  backend: KernelBackend,
  inputs: TensorInfo[],
  body: (...tensors: Tensor[]) => Tensor,
): TensorInfo {
  const out = tf.tidy(() =>
    body(
      ...inputs.map((info) => {
        backend.incRef(info.dataId);
        return tf.engine().makeTensorFromTensorInfo(info, backend);
      }),
    ),
  );
  backend.incRef(out.dataId);
  const result: TensorInfo = { dataId: out.dataId, shape: out.shape, dtype: out.dtype };
  out.dispose();
  return result;
}

interface AxisWindow {
  /** First row of the tensor to keep. */
  start: number;
  /** Rows kept from `start` on; 0 or less when the window misses the tensor. */
  size: number;
  padBefore: number;
  padAfter: number;
}

/**
 * Rows `[-before, -before + length)` of an axis of `extent` rows, with rows outside it read as
 * zeros: a slice of the tensor followed by zero padding.
 */
function axisWindow(extent: number, before: number, length: number): AxisWindow {
  const start = Math.max(-before, 0);
  const padBefore = Math.max(before, 0);
  const size = Math.min(extent, length - before) - start;
  return { start, size, padBefore, padAfter: length - padBefore - Math.max(size, 0) };
}

function sliceAxes(t: Tensor4D, hAxis: number, h: AxisWindow, wAxis: number, w: AxisWindow): Tensor4D {
  if (h.start === 0 && h.size === t.shape[hAxis] && w.start === 0 && w.size === t.shape[wAxis]) {
    return t;
  }
  const begin = [0, 0, 0, 0];
  const size = [...t.shape];
  begin[hAxis] = h.start;
  size[hAxis] = h.size;
  begin[wAxis] = w.start;
  size[wAxis] = w.size;
  return tf.slice(t, begin, size);
}

function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    attrs as unknown as Conv2DBackpropFilterAttrs;
  const nchw = dataFormat === 'NCHW';
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    nchw ? 'channelsFirst' : 'channelsLast',
  );
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  if (!nchw && kh === 1 && kw === 1 && sh === 1 && sw === 1 && info.outHeight === info.inHeight && info.outWidth === info.inWidth) {
    // A 1×1 conv is a matMul over all positions: dw = xᵀ·dy, 10× faster than the swapped conv
    // below, whose "filter" is the whole of dy.
    return composite(backend as KernelBackend, [x, dy], (xt, dyt) => {
      const [ci, co] = [info.inChannels, info.outChannels];
      return tf.reshape(tf.matMul(tf.reshape(xt, [-1, ci]), tf.reshape(dyt, [-1, co]), true, false), filterShape);
    });
  }
  const [hAxis, wAxis] = nchw ? [2, 3] : [1, 2];
  // Only input rows that some output row reads are kept, so the conv below yields exactly kh×kw.
  const h = axisWindow(info.inHeight, info.padInfo.top, (info.outHeight - 1) * sh + kh);
  const w = axisWindow(info.inWidth, info.padInfo.left, (info.outWidth - 1) * sw + kw);
  return composite(backend as KernelBackend, [x, dy], (xt, dyt) => {
    if (h.size <= 0 || w.size <= 0) {
      return tf.zeros(filterShape);
    }
    // Batch and channels swap roles: x becomes a batch of Ci single images with B channels and
    // dy a [Ho, Wo, B, Co] filter dilated by the stride; one XNNPACK conv does the whole sum.
    const xs = sliceAxes(xt as Tensor4D, hAxis, h, wAxis, w);
    const xT = tf.transpose(xs, nchw ? [1, 2, 3, 0] : [3, 1, 2, 0]);
    const dyT = tf.transpose(dyt as Tensor4D, nchw ? [2, 3, 0, 1] : [1, 2, 0, 3]);
    const g = tf.conv2d(
      xT,
      dyT,
      1,
      [
        [0, 0],
        [h.padBefore, h.padAfter],
        [w.padBefore, w.padAfter],
        [0, 0],
      ],
      'NHWC',
      [sh, sw],
    );
    return tf.transpose(g, [1, 2, 0, 3]);
  });
}

function makeConv2DBackpropInput(original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
      attrs as unknown as Conv2DBackpropInputAttrs;
    if (dataFormat === 'NCHW') {
      return original(args);
    }
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
    const [batch, outH, outW, outC] = dy.shape as [number, number, number, number];
    // dx is a 'valid' correlation of the stride-dilated dy (outH*sh rows, the trailing ones zero)
    // with the flipped filter; its padded input spans rows [-(kh-1-top), inHeight+kh-1).
    const h = axisWindow(outH * sh, kh - 1 - info.padInfo.top, info.inHeight + kh - 1);
    const w = axisWindow(outW * sw, kw - 1 - info.padInfo.left, info.inWidth + kw - 1);
    if (h.size <= 0 || w.size <= 0) {
      return original(args);
    }
    return composite(backend as KernelBackend, [dy, filter], (dyt, wt) => {
      let dyd = dyt as Tensor4D;
      if (sh > 1 || sw > 1) {
        dyd = tf.reshape(
          tf.pad(tf.reshape(dyd, [batch, outH, 1, outW, 1, outC]), [
            [0, 0],
            [0, 0],
            [0, sh - 1],
            [0, 0],
            [0, sw - 1],
            [0, 0],
          ]),
          [batch, outH * sh, outW * sw, outC],
        );
      }
      const flipped = tf.transpose(tf.reverse(wt as Tensor4D, [0, 1]), [0, 1, 3, 2]);
      return tf.conv2d(sliceAxes(dyd, 1, h, 2, w), flipped, 1, [
        [0, 0],
        [h.padBefore, h.padAfter],
        [w.padBefore, w.padAfter],
        [0, 0],
      ]);
    });
  };
}

function swapLastTwo(t: Tensor): Tensor {
  const perm = t.shape.map((_, i) => i);
  const r = perm.length;
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return tf.transpose(t, perm);
}

/** Multiply-adds per matrix from which a batched matMul runs as one XNNPACK matMul per matrix. */
const MIN_SPLIT_MULTIPLY_ADDS = 65_536;

const product = (dims: readonly number[]): number => dims.reduce((p, d) => p * d, 1);

function makeBatchMatMul(original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const outerA = a.shape.slice(0, -2);
    const outerB = b.shape.slice(0, -2);
    const batchA = product(outerA);
    const batchB = product(outerB);
    const sameOuter = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
    // The stock kernel uses XNNPACK only for one matrix times one matrix without transposes; a
    // batch (attention: [B, heads, T, T]·[B, heads, T, d]) goes to a naive loop at ~1.5 GF/s.
    // Splitting the batch costs ~0.1 ms per matrix, which pays off from about 64k multiply-adds.
    const [rows, depth] = (transposeA ? a.shape.slice(-2).reverse() : a.shape.slice(-2)) as [number, number];
    const n = (transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1]) as number;
    const batched =
      (batchA > 1 || batchB > 1) &&
      (sameOuter || batchA === 1 || batchB === 1) &&
      (batchB === 1 || rows * depth * n >= MIN_SPLIT_MULTIPLY_ADDS);
    if (!transposeA && !transposeB && !batched) {
      return original(args);
    }
    const kb = backend as KernelBackend;
    const run = (x: Tensor, y: Tensor): Tensor => {
      const out = original({ inputs: { a: x, b: y }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } as NamedAttrMap }) as TensorInfo;
      return tf.engine().makeTensorFromTensorInfo(out, kb);
    };
    // The stock kernel runs 0.4 GF/s with transposeA and 2.1 with transposeB, 28 without.
    return composite(kb, [a, b], (at, bt) => {
      const x = transposeA ? swapLastTwo(at) : at;
      const y = transposeB ? swapLastTwo(bt) : bt;
      if (!batched) {
        return run(x, y);
      }
      const outer = batchA >= batchB ? outerA : outerB;
      if (batchB === 1) {
        // One shared right matrix: the left matrices stacked are one [batch·rows, depth] matrix.
        return tf.reshape(run(tf.reshape(x, [batchA * rows, depth]), tf.reshape(y, [depth, n])), [...outer, rows, n]);
      }
      // One XNNPACK matMul per batch entry (contiguous slices are cheap with our Slice kernel).
      const x3 = tf.reshape(x, [batchA, rows, depth]);
      const y3 = tf.reshape(y, [batchB, depth, n]);
      const pieces = Array.from({ length: Math.max(batchA, batchB) }, (_, i) =>
        run(
          batchA === 1 ? tf.reshape(x3, [rows, depth]) : tf.reshape(tf.slice(x3, [i, 0, 0], [1, rows, depth]), [rows, depth]),
          tf.reshape(tf.slice(y3, [i, 0, 0], [1, depth, n]), [depth, n]),
        ),
      );
      return tf.reshape(tf.concat(pieces), [...outer, rows, n]);
    });
  };
}

/**
 * The stock wasm Slice copies the whole input out of the wasm heap (`readSync`) before taking
 * its slice, so `tf.unstack`/`tf.split` of T pieces cost T full copies. A contiguous slice is
 * copied straight from the heap here; other slices go to the stock kernel.
 */
function makeSlice(original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as { x: TensorInfo };
    const { begin, size } = attrs as unknown as SliceAttrs;
    if (x.dtype === 'string') {
      return original(args);
    }
    const [begin_, size_] = tf.slice_util.parseSliceParams(x as Tensor, begin, size) as [number[], number[]];
    if (!tf.slice_util.isSliceContinous(x.shape, begin_, size_)) {
      return original(args);
    }
    const wasm = backend as unknown as WasmBackendInternals;
    const offset = tf.slice_util.computeFlatOffset(begin_, tf.util.computeStrides(x.shape));
    const out = wasm.makeOutput(size_, x.dtype);
    wasm.typedArrayFromHeap(out).set(wasm.typedArrayFromHeap(x).subarray(offset, offset + tf.util.sizeFromShape(size_)));
    return out;
  };
}

/** The parts of the wasm backend the JS kernels below use. */
interface WasmBackendInternals {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * Max pooling gradient, NHWC float32: each output's dy goes to the first maximum of its window in
 * row-major order (the cpu backend's rule, which matters for ties), summed where windows
 * overlap. One pass over the windows instead of the stock kernel's ~25 ns per input value.
 */
function makeMaxPoolGrad(original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    if (input.dtype !== 'float32') {
      return original(args);
    }
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const wasm = backend as unknown as WasmBackendInternals;
    const dx = wasm.makeOutput(input.shape, 'float32');
    const xs = wasm.typedArrayFromHeap(input) as Float32Array;
    const dys = wasm.typedArrayFromHeap(dy) as Float32Array;
    const dxs = wasm.typedArrayFromHeap(dx) as Float32Array;
    dxs.fill(0);
    const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight, strideWidth } = info;
    const { effectiveFilterHeight: fh, effectiveFilterWidth: fw, padInfo } = info;
    const rowStride = inWidth * c;
    for (let b = 0; b < batchSize; b++) {
      const xBase = b * inHeight * rowStride;
      for (let oy = 0; oy < outHeight; oy++) {
        const y0 = oy * strideHeight - padInfo.top;
        const yStart = Math.max(y0, 0);
        const yEnd = Math.min(y0 + fh, inHeight);
        for (let ox = 0; ox < outWidth; ox++) {
          const x0 = ox * strideWidth - padInfo.left;
          const xStart = Math.max(x0, 0);
          const xEnd = Math.min(x0 + fw, inWidth);
          const dyBase = ((b * outHeight + oy) * outWidth + ox) * c;
          for (let d = 0; d < c; d++) {
            let best = -Infinity;
            let at = -1;
            for (let y = yStart; y < yEnd; y++) {
              for (let x = xStart; x < xEnd; x++) {
                const i = xBase + y * rowStride + x * c + d;
                const v = xs[i] as number;
                if (v > best) {
                  best = v;
                  at = i;
                }
              }
            }
            if (at >= 0) dxs[at] = (dxs[at] as number) + (dys[dyBase + d] as number);
          }
        }
      }
    }
    return dx;
  };
}

/**
 * Sum over all axes but the last (bias and batch-norm gradients). The stock kernel transposes
 * the input first (~5 ms per 10⁶ values); an XNNPACK average pool over the whole input, times
 * the count, reads it once (~0.3 ms).
 */
function makeSum(original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as { x: TensorInfo };
    const { axis, keepDims } = attrs as unknown as SumAttrs;
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const leading = rank >= 2 && axes.length === rank - 1 && axes.every((a) => a < rank - 1);
    const rows = product(x.shape.slice(0, -1));
    if (x.dtype !== 'float32' || !leading || rows < 2) {
      return original(args);
    }
    const channels = x.shape[rank - 1] as number;
    // Any factorisation works; a squarish one keeps XNNPACK's pooling window rows short.
    let height = Math.floor(Math.sqrt(rows));
    while (rows % height !== 0) height--;
    const width = rows / height;
    return composite(backend as KernelBackend, [x], (xt) => {
      const mean = tf.avgPool(tf.reshape(xt, [1, height, width, channels]) as Tensor4D, [height, width], [height, width], 'valid');
      const shape = keepDims ? [...x.shape.slice(0, -1).map(() => 1), channels] : [channels];
      return tf.reshape(tf.mul(mean, rows), shape);
    });
  };
}

function unsortedSegmentSum({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
  const kb = backend as KernelBackend;
  const ids = kb.readSync(segmentIds.dataId) as Int32Array;
  // wasm ScatterNd writes out of bounds for such ids; cpu drops them, so route them to an extra row.
  const allInRange = ids.every((id) => id >= 0 && id < numSegments);
  return composite(kb, [x, segmentIds], (xt, idt) => {
    const n = idt.size;
    const rest = xt.shape.slice(idt.rank);
    const updates = tf.reshape(xt, [n, ...rest]);
    if (allInRange) {
      return tf.scatterND(tf.reshape(idt, [n, 1]), updates, [numSegments, ...rest]);
    }
    const valid = tf.logicalAnd(tf.greaterEqual(idt, 0), tf.less(idt, numSegments));
    const routed = tf.where(valid, idt, tf.fill(idt.shape, numSegments, 'int32'));
    const sums = tf.scatterND(tf.reshape(routed, [n, 1]), updates, [numSegments + 1, ...rest]);
    return tf.slice(sums, 0, numSegments);
  });
}

function mark(fn: KernelFunc): KernelFunc {
  (fn as Marked)[MARK] = true;
  return fn;
}

function isOurs(config: KernelConfig | undefined): boolean {
  return config !== undefined && (config.kernelFunc as Marked)[MARK] === true;
}

function loadWasmBackend(): void {
  if (tf.getKernel('Conv2D', WASM) !== undefined) {
    return;
  }
  // Importing the package registers the 'wasm' backend and its kernels. It is loaded lazily so
  // that importing @sparling/backend alone does not change tfjs's default backend.
  createRequire(import.meta.url)('@tensorflow/tfjs-backend-wasm');
  if (tf.getKernel('Conv2D', WASM) === undefined) {
    throw new Error(
      "registerWasmTrainingKernels: loading '@tensorflow/tfjs-backend-wasm' registered no 'wasm' " +
        "kernels; expected it to share the tfjs-core of '@tensorflow/tfjs' (one tfjs version per install).",
    );
  }
}

function replace(name: string, make: (original: KernelFunc) => KernelFunc): void {
  const original = tf.getKernel(name, WASM);
  if (isOurs(original)) {
    return;
  }
  if (original === undefined) {
    throw new Error(
      `registerWasmTrainingKernels: the stock 'wasm' kernel '${name}' is missing; ` +
        `expected @tensorflow/tfjs-backend-wasm 4.22.0 to register it.`,
    );
  }
  tf.unregisterKernel(name, WASM);
  // Spreading keeps the stock setupFunc, which binds the wasm function the original calls.
  tf.registerKernel({ ...original, kernelFunc: mark(make(original.kernelFunc)) });
}

function add(name: string, kernelFunc: KernelFunc): void {
  const existing = tf.getKernel(name, WASM);
  if (isOurs(existing)) {
    return;
  }
  if (existing !== undefined) {
    tf.unregisterKernel(name, WASM);
  }
  tf.registerKernel({ kernelName: name, backendName: WASM, kernelFunc: mark(kernelFunc) });
}

/**
 * Makes the tfjs `wasm` backend able to train conv nets and fast at dense layers: adds the
 * missing `Conv2DBackpropFilter` and `UnsortedSegmentSum` kernels and replaces the slow
 * `Conv2DBackpropInput` and transposing `BatchMatMul`. Loads `@tensorflow/tfjs-backend-wasm` if
 * it is not loaded yet. Safe to call any number of times, before or after `tf.setBackend('wasm')`.
 *
 * @returns the names of the kernels it added or replaced.
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { registerWasmTrainingKernels } from '@sparling/backend';
 * registerWasmTrainingKernels();
 * await tf.setBackend('wasm');
 * ```
 */
export function registerWasmTrainingKernels(): string[] {
  loadWasmBackend();
  add('Conv2DBackpropFilter', conv2DBackpropFilter);
  replace('Conv2DBackpropInput', makeConv2DBackpropInput);
  replace('BatchMatMul', makeBatchMatMul);
  add('UnsortedSegmentSum', unsortedSegmentSum);
  replace('Slice', makeSlice);
  replace('MaxPoolGrad', makeMaxPoolGrad);
  replace('Sum', makeSum);
  return [...WASM_TRAINING_KERNELS];
}
