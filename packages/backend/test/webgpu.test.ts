// The webgpu backend (a GPU, or SwiftShader without one): selection, the adapter's description,
// the errors when it cannot start, and the kernels our models train with against the cpu backend.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  assertBackendHealthy,
  BACKEND_ENV_VAR,
  BackendUnavailableError,
  describeBackend,
  initBackend,
  probeWebGPU,
  useSwiftShaderWithoutGpu,
  WEBGPU_INSTALL,
} from '../src/index.js';
import { webgpuForTests } from '../../../test-support/webgpu.js';
import { randomTensor, relativeError } from './helpers.js';

const gpu = await webgpuForTests(useSwiftShaderWithoutGpu);

/** Runs `compute` on `backend` and reads every output asynchronously (webgpu has no dataSync). */
async function outputsOn(backend: 'cpu' | 'webgpu', compute: () => tf.Tensor[]): Promise<Float32Array[]> {
  await initBackend({ backend });
  const outs = tf.tidy(compute);
  const data = await Promise.all(outs.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose(outs);
  return data;
}

async function compareWithCpu(compute: () => tf.Tensor[]): Promise<number[]> {
  const expected = await outputsOn('cpu', compute);
  const actual = await outputsOn('webgpu', compute);
  return actual.map((a, i) => relativeError(a, expected[i] as Float32Array));
}

// Float32 sums of a few hundred terms in another order than the cpu backend's.
const TOLERANCE = 2e-5;

beforeEach(() => {
  vi.stubEnv(BACKEND_ENV_VAR, undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe.skipIf(gpu.skip !== null)(`the webgpu backend (${gpu.adapter?.description ?? 'skipped'})`, () => {
  afterAll(async () => {
    await initBackend({ backend: 'cpu' });
  });

  it('runs when asked for, naming its adapter; auto passes over a software adapter', async () => {
    const adapter = gpu.adapter as NonNullable<typeof gpu.adapter>;
    const choice = await initBackend({ backend: 'webgpu' });
    expect(choice).toMatchObject({ backend: 'webgpu', tfBackendName: 'webgpu', requested: 'webgpu', source: 'option', kernels: [], adapter });
    expect(tf.getBackend()).toBe('webgpu');
    expect(describeBackend(choice)).toMatch(new RegExp(`^backend webgpu \\(tfjs 'webgpu'; adapter "${adapter.description}" \\(${adapter.vendor} ${adapter.architecture}`));
    const auto = await initBackend();
    if (adapter.software) {
      expect(auto.backend).toBe('wasm');
      expect(auto.skipped.find((s) => s.backend === 'webgpu')?.reason).toBe(
        `adapter "${adapter.description}" (${adapter.vendor} ${adapter.architecture}) is a software rasteriser, slower than wasm; ask for webgpu to use it anyway`,
      );
    } else {
      expect(auto.backend).toBe('webgpu');
    }
  });

  it('SwiftShader counts as software; SPARLING_BACKEND=webgpu selects it', async () => {
    const probe = await probeWebGPU();
    expect(probe.available).toBe(true);
    if (probe.available && /swiftshader/i.test(probe.adapter.description)) expect(probe.adapter.software).toBe(true);
    vi.stubEnv(BACKEND_ENV_VAR, 'webgpu');
    expect(await initBackend()).toMatchObject({ backend: 'webgpu', source: 'env' });
  });

  const convCases: [string, number[], number[], number, 'same' | 'valid'][] = [
    ['3x3 same (ĝ residual units)', [2, 9, 9, 4], [3, 3, 4, 5], 1, 'same'],
    ['1x1 (ĝ in and out)', [2, 6, 7, 3], [1, 1, 3, 10], 1, 'valid'],
    ['1x3 same (ĝ on sequences)', [2, 1, 17, 4], [1, 3, 4, 4], 1, 'same'],
    ['5x3 stride 2 valid', [2, 12, 10, 3], [5, 3, 3, 2], 2, 'valid'],
  ];
  it.each(convCases)('conv2d forward, input and filter gradients match cpu: %s', async (_name, xs, ws, strides, pad) => {
    const errors = await compareWithCpu(() => {
      const x = randomTensor(xs, 1) as tf.Tensor4D;
      const w = randomTensor(ws, 2) as tf.Tensor4D;
      const f = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2d(a, b, strides, pad);
      const y = f(x, w);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => f(a as tf.Tensor4D, b as tf.Tensor4D))([x, w], randomTensor(y.shape, 3));
      return [y, dx as tf.Tensor, dw as tf.Tensor];
    });
    errors.forEach((e) => expect(e).toBeLessThanOrEqual(TOLERANCE));
  });

  it('matMul gradients (every transpose, batched as in attention), the gather gradient, max pooling, TopK', async () => {
    const errors = await compareWithCpu(() => {
      const a = randomTensor([2, 3, 5, 7], 4);
      const b = randomTensor([2, 3, 7, 6], 5);
      const [da, db] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.matMul(p, q))([a, b], randomTensor([2, 3, 5, 6], 6));
      const flags = [false, true].flatMap((ta) => [false, true].map((tb) => tf.matMul(randomTensor(ta ? [4, 3] : [3, 4], 7), randomTensor(tb ? [5, 4] : [4, 5], 8), ta, tb)));
      const table = randomTensor([9, 4], 9);
      const [dTable] = tf.grads((t: tf.Tensor) => tf.gather(t, tf.tensor1d([1, 3, 3, 8, 1], 'int32')))([table], randomTensor([5, 4], 10));
      const image = randomTensor([2, 8, 8, 3], 11) as tf.Tensor4D;
      const [dImage] = tf.grads((t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid'))([image], randomTensor([2, 4, 4, 3], 12));
      const top = tf.topk(randomTensor([3, 50], 13), 7);
      return [da as tf.Tensor, db as tf.Tensor, ...flags, dTable as tf.Tensor, dImage as tf.Tensor, top.values, tf.cast(top.indices, 'float32')];
    });
    errors.forEach((e, i) => expect(e, `output ${i}`).toBeLessThanOrEqual(TOLERANCE));
  });

  it('keeps tf.memory() flat over 10 conv training steps with Adam', async () => {
    await initBackend({ backend: 'webgpu' });
    const x = randomTensor([4, 12, 12, 3], 1) as tf.Tensor4D;
    const w = tf.variable(randomTensor([3, 3, 3, 8], 2));
    const optimizer = tf.train.adam(1e-2);
    const step = async () => {
      const loss = optimizer.minimize(() => tf.mean(tf.square(tf.conv2d(x, w as tf.Tensor4D, 1, 'same'))), true) as tf.Scalar;
      await loss.data();
      loss.dispose();
    };
    await step();
    const before = tf.memory();
    for (let i = 0; i < 10; i++) await step();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    tf.dispose([x, w]);
    optimizer.dispose();
  });

  it('assertBackendHealthy stops once the device is lost (the last test: the device stays lost)', async () => {
    await initBackend({ backend: 'webgpu' });
    expect(() => assertBackendHealthy()).not.toThrow();
    (tf.backend() as unknown as { device: { destroy(): void } }).device.destroy();
    await vi.waitFor(() => expect(() => assertBackendHealthy()).toThrow(/^the WebGPU device was lost \(destroyed: .*\); the run stopped, and its last checkpoint is intact: resume it$/));
    await initBackend({ backend: 'cpu' });
    expect(() => assertBackendHealthy()).not.toThrow();
  });
});

describe('the webgpu backend without its packages', () => {
  let dir: string;
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails with one line naming the packages and the command that installs them', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sparling-no-webgpu-'));
    // Makes `webgpu` unresolvable, as in a project that did not install it.
    const hide = join(dir, 'hide-webgpu.cjs');
    await writeFile(hide, `const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'webgpu' || request.startsWith('webgpu/')) throw Object.assign(new Error("Cannot find module 'webgpu'"), { code: 'MODULE_NOT_FOUND' });
  return resolve.call(this, request, ...rest);
};
`);
    const script = `import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, '..', 'dist', 'index.js')).href)}).then(async (b) => {
  const probe = await b.probeWebGPU();
  const error = await b.initBackend({ backend: 'webgpu' }).catch((e) => e);
  console.log(JSON.stringify({ probe, name: error.name, message: error.message, reasons: error.reasons }));
});`;
    const result = spawnSync(process.execPath, ['--require', hide, '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const { probe, name, message, reasons } = JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as { probe: unknown; name: string; message: string; reasons: unknown };
    const reason = `webgpu is not installed (${WEBGPU_INSTALL})`;
    expect(probe).toEqual({ available: false, reason });
    expect(name).toBe(new BackendUnavailableError('', 'webgpu', []).name);
    expect(reasons).toEqual([{ backend: 'webgpu', reason }]);
    expect(message).not.toContain('\n');
    expect(message).toContain(`webgpu: ${reason}`);
  });
});
