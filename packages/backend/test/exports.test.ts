import { expect, it } from 'vitest';
import * as api from '../src/index.js';

it('exports exactly the documented API', () => {
  expect(Object.fromEntries(Object.entries(api).map(([k, v]) => [k, typeof v]))).toEqual({
    BACKEND_ENV_VAR: 'string',
    BackendUnavailableError: 'function',
    WASM_TRAINING_KERNELS: 'object',
    WEBGPU_INSTALL: 'string',
    assertBackendHealthy: 'function',
    describeBackend: 'function',
    findSwiftShaderIcd: 'function',
    initBackend: 'function',
    probeWebGPU: 'function',
    registerWasmTrainingKernels: 'function',
    useSwiftShaderWithoutGpu: 'function',
  });
});
