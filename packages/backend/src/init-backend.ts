import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from './wasm-kernels.js';
import { installWebGPU, probeWebGPU, watchDevice, type WebGPUAdapter } from './webgpu.js';

/** The backends {@link initBackend} can pick, fastest first. */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

/** What to ask {@link initBackend} for; `tensorflow` means tfjs-node-gpu, then tfjs-node. */
export type BackendRequest = 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

/** The environment variable that forces a backend when no `backend` option is given. */
export const BACKEND_ENV_VAR = 'SPARLING_BACKEND';

const REQUESTS: readonly BackendRequest[] = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'];
const ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'];
const CANDIDATES: Record<BackendRequest, readonly BackendName[]> = {
  auto: ORDER,
  tensorflow: ['tensorflow-gpu', 'tensorflow'],
  webgpu: ['webgpu'],
  wasm: ['wasm'],
  cpu: ['cpu'],
};
const PACKAGES = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
} as const;

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /**
   * The backend to use. Wins over `SPARLING_BACKEND`; without either, `'auto'` tries
   * tensorflow-gpu, tensorflow, webgpu (on a hardware adapter only), wasm, cpu in that order.
   * `'webgpu'` also accepts a software adapter such as SwiftShader.
   */
  backend?: BackendRequest;
}

/** A backend {@link initBackend} did not choose, and why. */
export interface SkippedBackend {
  backend: BackendName;
  reason: string;
}

/** What {@link initBackend} chose. */
export interface BackendChoice {
  /** The backend in use. */
  backend: BackendName;
  /** Its name in tfjs, as `tf.getBackend()` returns it: `'tensorflow'`, `'webgpu'`, `'wasm'` or `'cpu'`. */
  tfBackendName: string;
  /** The request that was honoured. */
  requested: BackendRequest;
  /** Where the request came from. */
  source: 'option' | 'env' | 'default';
  /** Every other backend, in priority order, with the reason it is not in use. */
  skipped: SkippedBackend[];
  /** The custom kernels registered for this backend (only wasm has any). */
  kernels: string[];
  /** The GPU adapter, when the backend is `webgpu`. */
  adapter?: WebGPUAdapter;
}

type Attempt = { ok: true; kernels: string[]; adapter?: WebGPUAdapter } | { ok: false; reason: string };

/**
 * Outcome of loading each tfjs-node package, kept for the process: Node does not cache a module
 * that threw, and re-running one re-registers its kernels and floods the console with warnings.
 */
const loaded = new Map<string, Attempt>();

const requireHere = createRequire(import.meta.url);

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').trim();
}

function hasNativeAddon(packageDir: string): boolean {
  const lib = join(packageDir, 'lib');
  if (!existsSync(lib)) {
    return false;
  }
  return readdirSync(lib).some(
    (entry) => /^napi-v\d+$/.test(entry) && existsSync(join(lib, entry, 'tfjs_binding.node')),
  );
}

/** Requires a package while hiding tfjs's "kernel ... already registered" warnings. */
function requireQuietly(name: string): void {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!(typeof args[0] === 'string' && / is already registered$/.test(args[0]))) {
      warn(...args);
    }
  };
  try {
    requireHere(name);
  } finally {
    console.warn = warn;
  }
}

function loadTensorflowPackage(name: string): Attempt {
  const cached = loaded.get(name);
  if (cached) {
    return cached;
  }
  let attempt: Attempt;
  let packageJson: string | undefined;
  try {
    packageJson = requireHere.resolve(`${name}/package.json`);
  } catch {
    packageJson = undefined;
  }
  if (packageJson === undefined) {
    attempt = { ok: false, reason: `${name} is not installed` };
  } else if (!hasNativeAddon(dirname(packageJson))) {
    // Checked before require: the package registers ~170 'tensorflow' kernels before it finds
    // its addon missing, and a failed require leaves those behind.
    attempt = {
      ok: false,
      reason: `${name} has no native addon lib/napi-v*/tfjs_binding.node (its install script did not run or failed)`,
    };
  } else {
    try {
      requireQuietly(name);
      attempt = { ok: true, kernels: [] };
    } catch (error) {
      attempt = { ok: false, reason: `require('${name}') failed: ${firstLine(error)}` };
    }
  }
  loaded.set(name, attempt);
  return attempt;
}

async function activate(tfName: string): Promise<Attempt | undefined> {
  if (!(await tf.setBackend(tfName))) {
    return { ok: false, reason: `tf.setBackend('${tfName}') failed (tfjs logged the cause above)` };
  }
  await tf.ready();
  return undefined;
}

async function tryWebGPU(hardwareOnly: boolean): Promise<Attempt> {
  const probe = await probeWebGPU();
  if (!probe.available) return { ok: false, reason: probe.reason };
  const { adapter } = probe;
  if (hardwareOnly && adapter.software) {
    return {
      ok: false,
      reason: `adapter "${adapter.description}" (${adapter.vendor} ${adapter.architecture}) is a software rasteriser, slower than wasm; ask for webgpu to use it anyway`,
    };
  }
  await installWebGPU();
  const failed = await activate('webgpu');
  if (failed) return failed;
  watchDevice();
  return { ok: true, kernels: [], adapter };
}

async function tryBackend(backend: BackendName, requested: BackendRequest): Promise<Attempt> {
  try {
    if (backend === 'webgpu') return await tryWebGPU(requested === 'auto');
    if (backend === 'tensorflow-gpu' || backend === 'tensorflow') {
      const load = loadTensorflowPackage(PACKAGES[backend]);
      return load.ok ? ((await activate('tensorflow')) ?? load) : load;
    }
    if (backend === 'wasm') {
      const kernels = registerWasmTrainingKernels();
      return (await activate('wasm')) ?? { ok: true, kernels };
    }
    return (await activate('cpu')) ?? { ok: true, kernels: [] };
  } catch (error) {
    return { ok: false, reason: firstLine(error) };
  }
}

function readRequest(options: InitBackendOptions): {
  requested: BackendRequest;
  source: BackendChoice['source'];
  label: string;
} {
  const fromEnv = process.env[BACKEND_ENV_VAR];
  let value: unknown = 'auto';
  let source: BackendChoice['source'] = 'default';
  let label = 'the default';
  if (options.backend !== undefined) {
    [value, source, label] = [options.backend, 'option', 'options.backend'];
  } else if (fromEnv !== undefined && fromEnv !== '') {
    [value, source, label] = [fromEnv, 'env', BACKEND_ENV_VAR];
  }
  if (!REQUESTS.includes(value as BackendRequest)) {
    const expected = REQUESTS.map((r) => `'${r}'`).join(', ');
    throw new Error(`initBackend: ${label} is ${JSON.stringify(value)}; expected one of ${expected}.`);
  }
  return { requested: value as BackendRequest, source, label };
}

/**
 * Picks and activates the fastest TensorFlow.js backend available: `@tensorflow/tfjs-node-gpu`,
 * then `@tensorflow/tfjs-node`, then `webgpu` on a hardware GPU adapter (Dawn, through the
 * optional `webgpu` and `@tensorflow/tfjs-backend-webgpu` packages), then the wasm backend with
 * the training kernels of {@link registerWasmTrainingKernels}, then the pure-JS cpu backend. The
 * `backend` option, or else the `SPARLING_BACKEND` env var (`tensorflow|webgpu|wasm|cpu|auto`),
 * forces one. A missing or broken optional backend is reported in `skipped`, never thrown, unless
 * it was forced. Calling it again is cheap and re-activates the chosen backend. On webgpu, read
 * tensors with `await t.data()`: `dataSync()` throws there in Node.
 *
 * @throws when the request is not a known backend, or a forced backend cannot be loaded.
 * @example
 * ```ts
 * import { initBackend, describeBackend } from '@sparling/backend';
 * const choice = await initBackend();
 * console.log(describeBackend(choice)); // "backend wasm (tfjs 'wasm'; custom kernels ...); skipped ..."
 * ```
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendChoice> {
  const { requested, source, label } = readRequest(options);
  const candidates = CANDIDATES[requested];
  const failures = new Map<BackendName, string>();
  for (const backend of candidates) {
    const attempt = await tryBackend(backend, requested);
    if (!attempt.ok) {
      failures.set(backend, attempt.reason);
      continue;
    }
    const skipped = ORDER.filter((b) => b !== backend).map((b) => ({
      backend: b,
      reason:
        failures.get(b) ??
        (candidates.includes(b)
          ? `not tried: ${backend} comes first`
          : `not requested (${label}=${requested})`),
    }));
    return {
      backend,
      tfBackendName: tf.getBackend(),
      requested,
      source,
      skipped,
      kernels: attempt.kernels,
      ...(attempt.adapter ? { adapter: attempt.adapter } : {}),
    };
  }
  const why = [...failures].map(([b, reason]) => `${b}: ${reason}`).join('; ');
  const hint =
    source === 'env' ? `unset ${BACKEND_ENV_VAR} or set it to 'auto'` : `pass backend: 'auto'`;
  throw new BackendUnavailableError(
    `initBackend: ${label} is '${requested}' but no such backend could be loaded (${why}); ${hint} to fall back to the fastest available one.`,
    requested,
    [...failures].map(([backend, reason]) => ({ backend, reason })),
  );
}

/**
 * What {@link initBackend} throws when a forced backend cannot be loaded: `reasons` says why for
 * each candidate, so a CLI can word its own message.
 */
export class BackendUnavailableError extends Error {
  constructor(
    message: string,
    /** The backend that was asked for. */
    readonly requested: BackendRequest,
    /** Each candidate tried, with the reason it could not be loaded. */
    readonly reasons: readonly SkippedBackend[],
  ) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

/**
 * One line saying which backend runs and why the others do not, for a CLI to print.
 *
 * @example
 * ```ts
 * describeBackend(await initBackend({ backend: 'cpu' }));
 * // "backend cpu (tfjs 'cpu'; options.backend=cpu); skipped tensorflow-gpu: not requested ..."
 * ```
 */
export function describeBackend(choice: BackendChoice): string {
  const details = [`tfjs '${choice.tfBackendName}'`];
  if (choice.adapter) {
    const a = choice.adapter;
    details.push(`adapter "${a.description}" (${a.vendor} ${a.architecture}${a.software ? ', software: speeds are not GPU speeds' : ''})`);
  }
  if (choice.kernels.length > 0) {
    details.push(`custom kernels ${choice.kernels.join(', ')}`);
  }
  if (choice.source !== 'default') {
    details.push(`${choice.source === 'env' ? BACKEND_ENV_VAR : 'options.backend'}=${choice.requested}`);
  }
  const skipped = choice.skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
  return `backend ${choice.backend} (${details.join('; ')})${skipped ? `; skipped ${skipped}` : ''}`;
}
