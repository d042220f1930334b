import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** The GPU adapter Dawn found, as `GPUAdapterInfo` and `GPUAdapter.limits` describe it. */
export interface WebGPUAdapter {
  /** e.g. `'nvidia'`, `'amd'`, `'apple'`, `'google'` (SwiftShader). */
  vendor: string;
  /** e.g. `'ampere'`, `'rdna-3'`, `'swiftshader'`. */
  architecture: string;
  /** The driver's description, e.g. `'SwiftShader driver 5.0.0'`. */
  description: string;
  device: string;
  /**
   * True for a software rasteriser (SwiftShader, lavapipe/llvmpipe) or an adapter Dawn flags as
   * a fallback: it runs the webgpu path correctly, but more slowly than the wasm backend.
   */
  software: boolean;
  /** Largest single buffer, in bytes: bounds the largest tensor. */
  maxBufferSize: number;
}

/** What {@link probeWebGPU} found: an adapter, or why there is none. */
export type WebGPUProbe = { available: true; adapter: WebGPUAdapter } | { available: false; reason: string };

/** The command that installs the webgpu backend's packages. */
export const WEBGPU_INSTALL = 'npm install webgpu @tensorflow/tfjs-backend-webgpu@4.22.0';

/**
 * Where Linux distributions put SwiftShader's Vulkan ICD (Debian's and Ubuntu's `chromium`
 * packages ship it): a CPU implementation of Vulkan on which Dawn finds an adapter.
 */
const SWIFTSHADER_ICDS = ['/usr/lib/chromium/vk_swiftshader_icd.json', '/usr/lib/chromium-browser/vk_swiftshader_icd.json'];

/** The folder of the `webgpu` package's dist that holds this platform's dawn.node. */
const DAWN_PLATFORM = process.platform === 'darwin' ? 'darwin-universal' : `${process.platform}-${process.arch}`;

const requireHere = createRequire(import.meta.url);

/**
 * Dawn's Node addon: in the installed `webgpu` package, or beside the running script in the
 * same `dist/<platform>/dawn.node` layout (the self-contained bench bundle of `pnpm bench:bundle`).
 */
function locateDawn(): string | null {
  const candidates: string[] = [];
  try {
    candidates.push(join(dirname(requireHere.resolve('webgpu/package.json')), 'dist', DAWN_PLATFORM, 'dawn.node'));
  } catch {
    // Not installed; a bundle may still carry the addon.
  }
  const script = process.argv[1];
  if (script !== undefined) candidates.push(join(dirname(script), 'dist', DAWN_PLATFORM, 'dawn.node'));
  return candidates.find((path) => existsSync(path)) ?? null;
}

// Runs in a child process: on a machine without a driver, Dawn prints its Vulkan errors to
// stdout from native code, which would corrupt a CLI's JSON output if the probe ran in process.
const PROBE_SCRIPT = `
const { create } = require(process.argv[1]);
create([]).requestAdapter({ powerPreference: 'high-performance' }).then((adapter) => {
  const info = adapter ? adapter.info : null;
  const out = info ? { vendor: info.vendor, architecture: info.architecture, description: info.description, device: info.device,
    fallback: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter), maxBufferSize: adapter.limits.maxBufferSize } : null;
  process.stdout.write('\\nSPARLING_PROBE ' + JSON.stringify(out) + '\\n');
  process.exit(0);
});
`;

const probes = new Map<string, WebGPUProbe>();

function isSoftware(info: { vendor: string; architecture: string; description: string; fallback: boolean }): boolean {
  const text = `${info.vendor} ${info.architecture} ${info.description}`.toLowerCase();
  return info.fallback || /swiftshader|llvmpipe|lavapipe|warp|software/.test(text);
}

/**
 * Asks Dawn (the `webgpu` package) for a GPU adapter, in a child process, and describes it.
 * The answer is cached per value of `VK_ICD_FILENAMES`. Never throws: a missing package, a
 * machine without a Vulkan/Metal/D3D12 driver or a crashing driver give `available: false` and
 * the reason.
 *
 * @example
 * const probe = await probeWebGPU();
 * if (probe.available) console.log(probe.adapter.description, probe.adapter.software);
 */
export async function probeWebGPU(): Promise<WebGPUProbe> {
  const key = process.env['VK_ICD_FILENAMES'] ?? '';
  const cached = probes.get(key);
  if (cached) return cached;
  const probe = runProbe();
  probes.set(key, probe);
  return probe;
}

function runProbe(): WebGPUProbe {
  const dawn = locateDawn();
  if (dawn === null) return { available: false, reason: `webgpu is not installed (${WEBGPU_INSTALL})` };
  const result = spawnSync(process.execPath, ['-e', PROBE_SCRIPT, dawn], { encoding: 'utf8', timeout: 60_000 });
  const line = (result.stdout ?? '').split('\n').find((l) => l.startsWith('SPARLING_PROBE '));
  if (line === undefined) {
    const cause = result.error?.message ?? (result.signal ? `killed by ${result.signal}` : `exit code ${result.status}`);
    return { available: false, reason: `the WebGPU adapter probe failed (${cause})` };
  }
  const info = JSON.parse(line.slice('SPARLING_PROBE '.length)) as
    | { vendor: string; architecture: string; description: string; device: string; fallback: boolean; maxBufferSize: number }
    | null;
  if (info === null) {
    return { available: false, reason: 'Dawn found no WebGPU adapter (no Vulkan, Metal or D3D12 GPU driver)' };
  }
  return {
    available: true,
    adapter: {
      vendor: info.vendor,
      architecture: info.architecture,
      description: info.description,
      device: info.device,
      software: isSoftware(info),
      maxBufferSize: info.maxBufferSize,
    },
  };
}

/** The path of SwiftShader's Vulkan ICD on this machine, or null. */
export function findSwiftShaderIcd(): string | null {
  return SWIFTSHADER_ICDS.find((path) => existsSync(path)) ?? null;
}

/**
 * For checking the webgpu path on a machine without a GPU (tests, CI): when Dawn finds no
 * adapter and `VK_ICD_FILENAMES` is unset, points it at SwiftShader's ICD (see
 * {@link findSwiftShaderIcd}) and probes again. Returns the final probe. Speeds measured on
 * SwiftShader say nothing about a GPU.
 *
 * @example
 * const probe = await useSwiftShaderWithoutGpu();
 * if (probe.available) await initBackend({ backend: 'webgpu' });
 */
export async function useSwiftShaderWithoutGpu(): Promise<WebGPUProbe> {
  const first = await probeWebGPU();
  if (first.available || process.env['VK_ICD_FILENAMES']) return first;
  const icd = findSwiftShaderIcd();
  if (icd === null) {
    return {
      available: false,
      reason: `${first.reason}; no SwiftShader ICD at ${SWIFTSHADER_ICDS.join(' or ')} either (Debian: apt-get install chromium libvulkan1)`,
    };
  }
  process.env['VK_ICD_FILENAMES'] = icd;
  const second = await probeWebGPU();
  return second.available ? second : { available: false, reason: `${first.reason}; with SwiftShader (${icd}): ${second.reason}` };
}

let installed = false;
/** What went wrong on the active webgpu device, worded for the user, or null. */
let fault: string | null = null;

/**
 * Makes Dawn's `navigator.gpu` available and registers tfjs's webgpu backend, once per process.
 * The caller has checked that an adapter exists, then activates the backend.
 */
export async function installWebGPU(): Promise<void> {
  if (installed) return;
  const { create, globals } = (await import('webgpu')) as unknown as {
    create: (flags: string[]) => unknown;
    globals: Record<string, unknown>;
  };
  Object.assign(globalThis, globals);
  const gpu = create([]);
  const host = globalThis as { navigator?: Record<string, unknown> };
  if (host.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else {
    Object.defineProperty(host.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  }
  // Registers the 'webgpu' backend; it checks navigator.gpu when imported, so this comes last.
  try {
    await import('@tensorflow/tfjs-backend-webgpu');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error(`@tensorflow/tfjs-backend-webgpu is not installed (${WEBGPU_INSTALL})`);
  }
  installed = true;
}

const watched = new WeakSet<object>();

/**
 * Records a lost device or an out-of-memory error of the active webgpu backend, which tfjs only
 * logs; {@link assertBackendHealthy} reports them.
 */
export function watchDevice(): void {
  const device = (tf.backend() as unknown as { device?: GpuDeviceLike }).device;
  if (device === undefined || watched.has(device)) return;
  watched.add(device);
  fault = null;
  void device.lost.then((info) => {
    fault ??= `the WebGPU device was lost (${info.reason}: ${info.message || 'no message'})`;
  });
  device.addEventListener('uncapturederror', (event) => {
    const error = (event as { error?: { message?: string; constructor?: { name?: string } } }).error;
    const name = error?.constructor?.name ?? '';
    if (name === 'GPUOutOfMemoryError') {
      fault ??= `the WebGPU device ran out of memory (${error?.message ?? ''})`;
    } else if (name === 'GPUInternalError') {
      fault ??= `the WebGPU device reported an internal error (${error?.message ?? ''})`;
    }
  });
}

interface GpuDeviceLike {
  lost: Promise<{ reason: string; message: string }>;
  addEventListener(type: 'uncapturederror', listener: (event: unknown) => void): void;
}

/**
 * Throws when the active webgpu device was lost or reported an out-of-memory or internal error:
 * tfjs then computes garbage silently. A training loop calls it after every step, before it
 * writes anything, so the last checkpoint stays the last good state. A no-op on other backends.
 *
 * @example
 * await loss.data();
 * assertBackendHealthy(); // "sparling: the WebGPU device was lost (...)"
 */
export function assertBackendHealthy(): void {
  if (fault !== null && tf.getBackend() === 'webgpu') {
    throw new Error(`${fault}; the run stopped, and its last checkpoint is intact: resume it`);
  }
}
