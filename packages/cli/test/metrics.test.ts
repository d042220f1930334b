import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/index.js';
import { capture } from './capture.js';

const dir = mkdtempSync(join(tmpdir(), 'sparling-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const box = (r0: number, r1: number, c0: number, c1: number) => ({ start: [r0, c0], end: [r1 + 1, c1 + 1] });
/** The spec 7.6 worked example in the command's JSON format. */
const worked = {
  items: [
    {
      shape: [8, 8],
      channels: 3,
      activations: [
        { channel: 0, position: [1, 1], value: 0.9 },
        { channel: 1, position: [2, 2], value: 0.4 },
        { channel: 1, position: [1, 6], value: 0.7 },
        { channel: 2, position: [6, 1], value: 0.5 },
        { channel: 0, position: [4, 4], value: 0.3 },
        { channel: 2, position: [4, 0], value: 0.2 },
      ],
      motifs: [
        { symbol: '1', footprint: box(0, 2, 0, 2) },
        { symbol: '2', footprint: box(0, 2, 5, 7) },
        { symbol: '1', footprint: box(5, 7, 0, 2) },
        { symbol: '3', footprint: box(5, 7, 5, 7) },
      ],
    },
  ],
};

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(['metrics', ...argv], io);
  return { code, out: io.out, err: io.err };
}

describe('sparling metrics', () => {
  it('is listed by sparling --help', async () => {
    const io = capture();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out).toMatch(/^ {2}metrics +motif metrics \(FNE, FPE, CE\)/m);
  });

  it('prints the spec 7.6 example as a table', async () => {
    const { code, out, err } = await run(file('worked.json', worked));
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toMatch(/FNE\s+25\.00%/);
    expect(out).toMatch(/FPE\s+40\.00%/);
    expect(out).toMatch(/FPE \(paper\)\s+33\.33%/);
    expect(out).toMatch(/CE\s+33\.33%/);
    expect(out).toMatch(/CE \(majority\)\s+0\.00%/);
    expect(out).toContain('true motifs 4, covered footprints 3, false positives 2, activations 6');
    expect(out).toContain('\n        A  B  C  none\n  1     1  0  1     0\n  2     0  1  0     0\n  3     0  0  0     1\n  none  1  0  1     0\n');
  });

  it('prints exactly one JSON object with --json', async () => {
    const { code, out } = await run(file('worked.json', worked), '--json');
    expect(code).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(1);
    const r = JSON.parse(out);
    expect(Object.keys(r)).toEqual(['fne', 'fpe', 'fpePaper', 'ce', 'ceMajority', 'counts', 'confusion']);
    expect(r.fne).toBe(0.25);
    expect(r.fpe).toBe(0.4);
    expect(r.fpePaper).toBeCloseTo(1 / 3, 15);
    expect(r.ce).toBeCloseTo(1 / 3, 15);
    expect(r.ceMajority).toBe(0);
    expect(r.counts).toEqual({ items: 1, trueMotifs: 4, covered: 3, falsePositives: 2, activations: 6 });
    expect(r.confusion).toEqual({
      rows: ['1', '2', '3', 'none'],
      columns: ['A', 'B', 'C', 'none'],
      counts: [
        [1, 0, 1, 0],
        [0, 1, 0, 0],
        [0, 0, 0, 1],
        [1, 0, 1, 0],
      ],
    });
  });

  it('reports undefined metrics as null (JSON) and n/a (table), and reads 1-D maps', async () => {
    const path = file('audio.json', { items: [{ shape: [50], channels: 2, activations: [{ channel: 1, position: [7], value: 1 }], motifs: [] }] });
    const json = JSON.parse((await run(path, '--json', '--names', 'numbered')).out);
    expect([json.fne, json.fpe, json.ce, json.ceMajority]).toEqual([null, 1, null, null]);
    expect(json.confusion.columns).toEqual(['#0', '#1', 'none']);
    expect((await run(path)).out).toMatch(/FNE\s+n\/a/);
  });

  it('rejects a malformed file with the JSON path of the first problem and prints nothing', async () => {
    const bad = structuredClone(worked);
    bad.items[0]!.activations[3]!.position[1] = 8;
    const { code, out, err } = await run(file('bad.json', bad), '--json');
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(`sparling metrics: ${join(dir, 'bad.json')}: items[0].activations[3].position[1]: expected an integer in [0, 8), received 8\n`);
  });

  it('rejects invalid JSON and a missing file', async () => {
    const syntax = await run(file('syntax.json', '{ "items": [ '));
    expect(syntax.code).toBe(1);
    expect(syntax.out).toBe('');
    expect(syntax.err).toContain('syntax.json is not valid JSON');
    const missing = await run(join(dir, 'nope.json'));
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(`sparling metrics: cannot read ${join(dir, 'nope.json')}: no such file\n`);
  });

  it('writes the confusion picture as SVG and PNG, leaving no temporary files', async () => {
    const out = mkdtempSync(join(dir, 'pictures-'));
    const svg = join(out, 'confusion.svg');
    const png = join(out, 'confusion.png');
    const r = await run(file('worked.json', worked), '--svg', svg, '--png', png, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).fne).toBe(0.25);
    expect(readFileSync(svg, 'utf8')).toContain('>1 [33.33%]</text>');
    expect([...readFileSync(png).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(readdirSync(out).sort()).toEqual(['confusion.png', 'confusion.svg']);
  });

  it('fails before printing when a picture cannot be written', async () => {
    const r = await run(file('worked.json', worked), '--png', join(dir, 'no-such-dir', 'c.png'));
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('cannot write');
  });

  it.each([
    [[], 'expected exactly one input FILE, received none'],
    [['a.json', 'b.json'], 'expected exactly one input FILE, received "a.json" "b.json"'],
    [['a.json', '--bogus'], "Unknown option '--bogus'"],
    [['a.json', '--names', 'greek'], '--names: expected letters or numbered, received "greek"'],
    [['a.json', '--join'], '--join changes the pictures only'],
  ])('exits 2 on bad usage %j', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(message);
    expect(r.err).toContain('usage: sparling metrics FILE');
  });
});
