// The CLI on the webgpu backend (a GPU, or SwiftShader without one): train, eval and report of a
// tiny run through `sparling reproduce`, and a clear one-line error when webgpu cannot start.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, useSwiftShaderWithoutGpu } from '@sparling/backend';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/index.js';
import { webgpuForTests } from '../../../test-support/webgpu.js';
import { capture } from './capture.js';

const gpu = await webgpuForTests(useSwiftShaderWithoutGpu);
const tiny = JSON.stringify({ size: 32, minRadius: 1, jitter: 1, minDigits: 3, maxDigits: 3 });

describe.skipIf(gpu.skip !== null)(`sparling --backend webgpu (${gpu.adapter?.description ?? 'skipped'})`, () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sparling-cli-webgpu-'));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await initBackend({ backend: 'wasm' });
    await rm(root, { recursive: true, force: true });
  });

  it('without an adapter: one line naming what is missing, exit 1, nothing written', async () => {
    vi.stubEnv('VK_ICD_FILENAMES', join(root, 'no-such-icd.json'));
    const out = join(root, 'no-adapter');
    const io = capture();
    expect(await main(['train', 'digit-circle', '--domain-options', tiny, '--out', out, '--backend', 'webgpu', '--workers', '0'], io)).toBe(1);
    expect(io.err).toBe('sparling train: --backend webgpu cannot start: Dawn found no WebGPU adapter (no Vulkan, Metal or D3D12 GPU driver); use --backend auto for the fastest backend present\n');
    expect(io.out).toBe('');
    expect(existsSync(out)).toBe(false);
    vi.unstubAllEnvs();
  });

  it('reproduce trains, evaluates and reports a tiny run, naming the adapter', async () => {
    const out = join(root, 'run');
    const io = capture();
    const args = ['reproduce', 'digit-circle', '--domain-options', tiny, '--out', out, '--batch-size', '8', '--validate-every', '16', '--validation-items', '8', '--max-samples', '32', '--count', '8', '--report-count', '8', '--backend', 'webgpu', '--workers', '0'];
    const code = await main(args, io);
    expect(code, io.err).toBe(0);
    expect(io.err).toMatch(new RegExp(`^backend webgpu \\(tfjs 'webgpu'; adapter "${gpu.adapter?.description ?? ''}"`, 'm'));
    expect(io.out).toMatch(/density \/ minimum +1\.50x +\d+\.\d\dx/);
    expect(existsSync(join(out, 'report', 'index.html'))).toBe(true);
    const stored = JSON.parse(await readFile(join(out, 'eval-latest.json'), 'utf8')) as { count: number; e2ee: number };
    expect(stored.count).toBe(8);
    expect(stored.e2ee).toBeGreaterThanOrEqual(0);
    // The same snapshot scored on webgpu and on wasm: the decoded digits and motifs agree.
    const scores = async (backend: string) => {
      const evaluated = capture();
      expect(await main(['eval', out, '--count', '8', '--json', '--backend', backend, '--workers', '0'], evaluated), evaluated.err).toBe(0);
      const { items, e2ee, accuracy, fpe, fne, ce } = JSON.parse(evaluated.out) as Record<string, unknown>;
      return { items, e2ee, accuracy, fpe, fne, ce };
    };
    const onWebgpu = await scores('webgpu');
    expect(onWebgpu.items).toBe(8);
    expect(onWebgpu).toEqual(await scores('wasm'));
  }, 600_000);

  it('bench times a training step on webgpu beside wasm and says the adapter is software', async () => {
    const out = join(root, 'bench.json');
    const io = capture();
    const code = await main(['bench', '--backend', 'webgpu', '--cases', 'digit-circle-cpu', '--batch-size', '2', '--steps', '1', '--out', out, '--json'], io);
    expect(code, io.err).toBe(0);
    const report = JSON.parse(await readFile(out, 'utf8')) as {
      backend: string;
      adapter: { description: string; software: boolean };
      note: string;
      cases: { name: string; batchSize: number; backend: { samplesPerSecond: number }; wasm: { samplesPerSecond: number } }[];
    };
    expect(JSON.parse(io.out)).toEqual(report);
    expect(report).toMatchObject({ backend: 'webgpu', adapter: gpu.adapter, complete: true });
    if (gpu.adapter?.software) expect(report.note).toMatch(/is a software adapter that runs on the CPU: these figures show that the webgpu path runs, not what a GPU does/);
    expect(report.cases).toHaveLength(1);
    expect(report.cases[0]).toMatchObject({ name: 'digit-circle-cpu', batchSize: 2, inputShape: [2, 48, 48, 1] });
    expect(report.cases[0]?.backend.samplesPerSecond).toBeGreaterThan(0);
    expect(report.cases[0]?.wasm.samplesPerSecond).toBeGreaterThan(0);
  }, 600_000);
});

describe.skipIf(gpu.skip !== null)('the self-contained bench bundle (pnpm bench:bundle)', () => {
  let dir: string;
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('stays under 60 MB and runs sparling bench on webgpu with only node, away from node_modules', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sparling-bench-bundle-'));
    const script = join(import.meta.dirname, '..', 'bench', 'bundle.mjs');
    const built = spawnSync(process.execPath, [script, '--out', dir], { encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    const total = ['sparling-bench.mjs', 'dist/linux-x64/dawn.node', 'tfjs-backend-wasm-simd.wasm'].map((f) => statSync(join(dir, f)).size);
    expect(total.reduce((a, b) => a + b, 0)).toBeLessThan(60 * 2 ** 20);
    // A bare environment: no NODE_PATH, no pnpm, the bundle's folder as the working directory.
    const env = { PATH: '/usr/bin:/bin', ...(process.env['VK_ICD_FILENAMES'] ? { VK_ICD_FILENAMES: process.env['VK_ICD_FILENAMES'] } : {}) };
    const ran = spawnSync(process.execPath, ['sparling-bench.mjs', '--backend', 'webgpu', '--cases', 'digit-circle-cpu', '--batch-size', '1', '--steps', '1', '--no-wasm', '--out', 'result.json'], { cwd: dir, env, encoding: 'utf8', timeout: 300_000 });
    expect(ran.status, ran.stderr).toBe(0);
    const report = JSON.parse(await readFile(join(dir, 'result.json'), 'utf8')) as { backend: string; adapter: unknown; cases: { backend: { samplesPerSecond: number } }[] };
    expect(report).toMatchObject({ backend: 'webgpu', adapter: gpu.adapter });
    expect(report.cases[0]?.backend.samplesPerSecond).toBeGreaterThan(0);
  }, 600_000);
});

describe('sparling bench usage', () => {
  it.each([
    [['bench', '--cases', 'nope'], '--cases: expected names from digit-circle-cpu, latex-ocr-cpu, digit-circle-paper, latex-ocr-paper, received "nope"'],
    [['bench', '--steps', '0'], '--steps'],
    [['bench', 'extra'], 'expected no positional arguments, received "extra"'],
    [['bench', '--backend', 'gpu'], '--backend: expected one of auto, webgpu, wasm, cpu, tensorflow, received "gpu"'],
  ])('%j is a usage error', async (args, message) => {
    const io = capture();
    expect(await main(args, io)).toBe(2);
    expect(io.err).toContain(message);
    expect(io.out).toBe('');
  });
});
