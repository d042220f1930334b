import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BACKEND_ENV_VAR, describeBackend, initBackend, WASM_TRAINING_KERNELS } from '../src/index.js';

// pnpm-workspace.yaml sets allowBuilds false for tfjs-node(-gpu), so in this workspace both are
// linked without their native addon and wasm is always the first backend that loads.
beforeEach(() => {
  vi.stubEnv(BACKEND_ENV_VAR, undefined);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('initBackend', () => {
  it('picks wasm on this machine, reporting why tfjs-node-gpu and tfjs-node were skipped', async () => {
    const choice = await initBackend();
    expect(choice).toMatchObject({ backend: 'wasm', tfBackendName: 'wasm', requested: 'auto', source: 'default' });
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.kernels).toEqual([...WASM_TRAINING_KERNELS]);
    expect(choice.skipped.map((s) => s.backend)).toEqual(['tensorflow-gpu', 'tensorflow', 'webgpu', 'cpu']);
    expect(choice.skipped[0]?.reason).toBe('@tensorflow/tfjs-node-gpu is not installed');
    expect(choice.skipped[1]?.reason).toBe('@tensorflow/tfjs-node is not installed');
    // No GPU here: Dawn finds no adapter, or only SwiftShader once a webgpu test pointed Vulkan at it.
    expect(choice.skipped[2]?.reason).toMatch(/^Dawn found no WebGPU adapter|is a software rasteriser, slower than wasm/);
    expect(choice.skipped[3]?.reason).toBe('not tried: wasm comes first');
  });

  it('leaves no half-loaded tfjs-node kernels behind', async () => {
    await initBackend();
    expect(tf.getKernelsForBackend('tensorflow')).toEqual([]);
  });

  it('is idempotent', async () => {
    const first = await initBackend({ backend: 'wasm' });
    const second = await initBackend({ backend: 'wasm' });
    expect(second).toEqual(first);
    expect(tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([2, 3]), false, true).dataSync())).toEqual(
      new Float32Array([3, 3, 3, 3]),
    );
  });

  it.each(['cpu', 'wasm'] as const)('uses %s when SPARLING_BACKEND asks for it', async (name) => {
    vi.stubEnv(BACKEND_ENV_VAR, name);
    const choice = await initBackend();
    expect(choice).toMatchObject({ backend: name, tfBackendName: name, requested: name, source: 'env' });
    expect(tf.getBackend()).toBe(name);
    expect(choice.kernels).toHaveLength(name === 'wasm' ? WASM_TRAINING_KERNELS.length : 0);
    expect(choice.skipped).toContainEqual({
      backend: 'tensorflow-gpu',
      reason: `not requested (SPARLING_BACKEND=${name})`,
    });
  });

  it('lets the backend option win over SPARLING_BACKEND', async () => {
    vi.stubEnv(BACKEND_ENV_VAR, 'cpu');
    const choice = await initBackend({ backend: 'wasm' });
    expect(choice).toMatchObject({ backend: 'wasm', source: 'option' });
  });

  it('throws a clear error when SPARLING_BACKEND=tensorflow cannot be loaded', async () => {
    vi.stubEnv(BACKEND_ENV_VAR, 'tensorflow');
    const error = await initBackend().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain("SPARLING_BACKEND is 'tensorflow'");
    expect(message).toMatch(/tensorflow-gpu: @tensorflow\/tfjs-node-gpu .*tensorflow: @tensorflow\/tfjs-node /);
  });

  it('rejects unknown values, naming where they came from', async () => {
    vi.stubEnv(BACKEND_ENV_VAR, 'gpu');
    await expect(initBackend()).rejects.toThrow(
      `initBackend: SPARLING_BACKEND is "gpu"; expected one of 'auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'.`,
    );
    await expect(initBackend({ backend: 'webgl' as 'cpu' })).rejects.toThrow(/options\.backend is "webgl"/);
  });
});

describe('describeBackend', () => {
  it('says on one line what runs and why the rest does not', async () => {
    const line = describeBackend(await initBackend());
    expect(line).not.toContain('\n');
    expect(line).toMatch(/^backend wasm \(tfjs 'wasm'; custom kernels Conv2DBackpropFilter, .*\); skipped tensorflow-gpu: .+; tensorflow: .+; webgpu: .+; cpu: not tried/);
  });
});
