import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/index.js';

function capture(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', interactive: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

const tiny = JSON.stringify({ size: 32, minRadius: 1, jitter: 1, minDigits: 3, maxDigits: 3 });
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sparling-cli-train-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('sparling train / eval / retrain', () => {
  it('trains and evaluates a tiny run from the command line', async () => {
    const out = join(root, 'run');
    const common = ['--domain-options', tiny, '--out', out, '--batch-size', '16', '--validate-every', '32', '--validation-items', '16', '--backend', 'wasm', '--workers', '0'];
    const io = capture();
    expect(await main(['train', 'digit-circle', ...common, '--max-samples', '32'], io), io.err).toBe(0);
    expect(io.err).toMatch(/^backend wasm/);
    expect(io.out).toContain('samples  accuracy   target');
    expect(io.out).toMatch(/samples +32 \(/);
    expect(existsSync(join(out, 'checkpoints', 'latest', 'weights.bin'))).toBe(true);
    expect(existsSync(join(out, 'log.jsonl'))).toBe(true);

    const ev = capture();
    expect(await main(['eval', out, '--count', '8', '--json', '--backend', 'wasm', '--workers', '0'], ev), ev.err).toBe(0);
    const parsed = JSON.parse(ev.out) as Record<string, unknown>;
    for (const key of ['density', 'minimumDensity', 'fpe', 'fne', 'ce', 'ceMajority', 'e2ee', 'accuracy', 'items']) expect(parsed).toHaveProperty(key);
    expect(parsed.items).toBe(8);
    expect(parsed.density).toBe(0.5);

    const table = capture();
    expect(await main(['eval', out, '--count', '8', '--density', 'latest', '--backend', 'wasm', '--workers', '0'], table), table.err).toBe(0);
    expect(table.out).toContain('FPE');
    expect(table.out).toContain('checkpoints/latest');
  });

  it('rejects bad flags with usage errors', async () => {
    const cases: string[][] = [
      ['train'],
      ['train', 'nope'],
      ['train', 'digit-circle', '--preset', 'huge'],
      ['train', 'digit-circle', '--bottleneck', 'l1'],
      ['train', 'digit-circle', '--mode', 'sideways'],
      ['eval'],
      ['eval', 'x', '--density', 'abc'],
      ['retrain', 'x'],
    ];
    for (const args of cases) {
      const io = capture();
      expect(await main(args, io), args.join(' ')).toBe(2);
      expect(io.out).toBe('');
    }
  });

  it('lists the commands in order', async () => {
    const io = capture();
    await main(['--help'], io);
    const names = [...io.out.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]);
    expect(names).toEqual(['demo', 'eval', 'metrics', 'retrain', 'sample', 'train']);
  });
});
