/**
 * Picks the fastest TensorFlow.js backend present and makes the wasm backend able to train
 * conv nets fast.
 *
 * @packageDocumentation
 */
export {
  BACKEND_ENV_VAR,
  BackendUnavailableError,
  describeBackend,
  initBackend,
  type BackendChoice,
  type BackendName,
  type BackendRequest,
  type InitBackendOptions,
  type SkippedBackend,
} from './init-backend.js';
export { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './wasm-kernels.js';
export {
  assertBackendHealthy,
  findSwiftShaderIcd,
  probeWebGPU,
  useSwiftShaderWithoutGpu,
  WEBGPU_INSTALL,
  type WebGPUAdapter,
  type WebGPUProbe,
} from './webgpu.js';
