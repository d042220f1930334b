import { expect, it } from 'vitest';
import * as api from '../src/index.js';

it('exports exactly the documented API', () => {
  expect(Object.fromEntries(Object.entries(api).map(([k, v]) => [k, typeof v]))).toEqual({
    BACKEND_ENV_VAR: 'string',
    WASM_TRAINING_KERNELS: 'object',
    describeBackend: 'function',
    initBackend: 'function',
    registerWasmTrainingKernels: 'function',
  });
});
