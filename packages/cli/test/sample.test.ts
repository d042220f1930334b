import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import type { CliIo } from '../src/io.js';

function capture(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', interactive: false } as CliIo & { out: string; err: string };
  (io as { stdout: (t: string) => void }).stdout = (t) => (io.out += t);
  (io as { stderr: (t: string) => void }).stderr = (t) => (io.err += t);
  return io;
}

async function sample(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(['sample', ...args], io);
  return { code, out: io.out, err: io.err };
}

function lines(out: string): Record<string, unknown>[] {
  return out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('sparling sample', () => {
  it('prints the paper Figure 1 (RandomState(6)) as one JSON line', async () => {
    const { code, out, err } = await sample('digit-circle', '--raw-seed', '6', '--json');
    expect([code, err]).toEqual([0, '']);
    const [item] = lines(out);
    expect(Object.keys(item!)).toEqual(['seed', 'index', 'rngSeed', 'label', 'shape', 'onPixels', 'motifs']);
    expect(item).toMatchObject({ seed: null, index: null, rngSeed: 6, label: ['0', '7', '2', '6', '3', '4'], shape: [100, 100] });
    const on = item!.onPixels as number[];
    expect(on).toHaveLength(1696);
    expect(on.every((k, i) => Number.isInteger(k) && k >= 0 && k < 10_000 && (i === 0 || k > on[i - 1]!))).toBe(true);
    expect(item!.motifs).toEqual([
      { symbol: '4', position: [44, 18], footprint: { start: [38, 14], end: [50, 22] } },
      { symbol: '0', position: [79, 34], footprint: { start: [73, 30], end: [85, 39] } },
      { symbol: '7', position: [75, 72], footprint: { start: [69, 68], end: [81, 76] } },
      { symbol: '2', position: [51, 84], footprint: { start: [45, 80], end: [57, 88] } },
      { symbol: '6', position: [22, 72], footprint: { start: [16, 68], end: [28, 76] } },
      { symbol: '3', position: [14, 51], footprint: { start: [8, 47], end: [20, 56] } },
    ]);
  });

  it('draws consecutive dataset items, negative seeds included', async () => {
    const train = await sample('digit-circle', '--seed', '1', '--count', '3', '--json');
    expect(train.code).toBe(0);
    expect(lines(train.out).map((l) => [l.index, l.rngSeed, (l.label as string[]).join(''), (l.onPixels as number[]).length])).toEqual([
      [0, 3993328244, '17429', 1732],
      [1, 635502921, '193487', 1660],
      [2, expect.any(Number), '027', 1638],
    ]);
    const test = await sample('digit-circle', '--seed', '-2', '--index', '0', '--json');
    expect(lines(test.out)[0]).toMatchObject({ seed: -2, index: 0, rngSeed: 4270960298 });
    expect(lines((await sample('digit-circle', '--seed=-1', '--json')).out)[0]).toMatchObject({ seed: -1, rngSeed: 2072014212 });
  });

  it('prints a readable summary without --json', async () => {
    const { code, out } = await sample('digit-circle', '--raw-seed', '6');
    expect(code).toBe(0);
    expect(out).toContain('digit-circle RandomState(6): 0 7 2 6 3 4\n  1696 of 10000 pixels on; motifs in placement order:\n');
    expect(out).toContain('    4   at (44, 18)  footprint rows 38-49, cols 14-21\n');
    expect((await sample('digit-circle', '--seed', '1')).out.split('\n')[0]).toBe('digit-circle seed 1 index 0 (RandomState(3993328244)): 1 7 4 2 9');
  });

  it('writes PNG pictures, one per item with an index suffix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-sample-'));
    const one = await sample('digit-circle', '--raw-seed', '6', '--png', join(dir, 'figure1.png'), '--scale', '2');
    expect(one.out).toContain(`wrote ${join(dir, 'figure1.png')}`);
    expect(readFileSync(join(dir, 'figure1.png')).subarray(1, 4).toString()).toBe('PNG');
    const many = await sample('digit-circle', '--seed', '1', '--index', '5', '--count', '2', '--png', join(dir, 'item.png'), '--json');
    expect(many.code).toBe(0);
    expect(lines(many.out)).toHaveLength(2);
    expect(readdirSync(dir).sort()).toEqual(['figure1.png', 'item-5.png', 'item-6.png']);
  });

  it('rejects unknown domains and bad numbers with exit 2 and a clear message', async () => {
    const unknown = await sample('mnist', '--seed', '1');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('sparling sample: unknown domain "mnist"; expected one of digit-circle');
    const cases: [string[], string][] = [
      [['digit-circle', '--seed', 'one'], '--seed: expected an integer, received "one"'],
      [['digit-circle', '--seed', '1.5'], '--seed: expected an integer, received "1.5"'],
      [['digit-circle', '--seed', '1', '--index', '-1'], '--index: expected an integer >= 0, received -1'],
      [['digit-circle', '--raw-seed', '4294967296'], '--raw-seed: expected an integer <= 4294967295, received 4294967296'],
      [['digit-circle', '--raw-seed', '-6'], '--raw-seed: expected an integer >= 0, received -6'],
      [['digit-circle', '--seed', '1', '--count', '0'], '--count: expected an integer >= 1, received 0'],
      [['digit-circle', '--raw-seed', '1', '--seed', '1'], '--raw-seed replaces --seed and --index'],
      [['digit-circle'], 'expected --seed S (with --index I) or --raw-seed R'],
      [['--seed', '1'], 'expected exactly one DOMAIN (digit-circle), received none'],
      [['digit-circle', '--seed', '1', '--scale', '2'], '--scale sets the PNG size; add --png FILE'],
      [['digit-circle', '--seed', '1', '--bogus'], "Unknown option '--bogus'"],
    ];
    for (const [args, message] of cases) {
      const r = await sample(...args);
      expect([r.code, r.err], args.join(' ')).toEqual([2, expect.stringContaining(message)]);
      expect(r.err).toContain('usage: sparling sample DOMAIN');
    }
  });

  it('is listed in sparling --help', async () => {
    const io = capture();
    await main(['--help'], io);
    expect(io.out).toContain('sample');
  });
});
