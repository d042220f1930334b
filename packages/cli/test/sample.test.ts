import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createDomain } from '@sparling/domains';
import { main } from '../src/main.js';
import { capture } from './capture.js';

async function sample(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(['sample', ...args], io);
  return { code, out: io.out, err: io.err };
}

function lines(out: string): Record<string, unknown>[] {
  return out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The PNG's signature and its first chunk, which must be IHDR: width and height (bytes 16-23). */
function pngHeader(file: string): { signature: number[]; chunk: string; width: number; height: number } {
  const bytes = readFileSync(file);
  return { signature: [...bytes.subarray(0, 8)], chunk: bytes.subarray(12, 16).toString('latin1'), width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Share of an 8-bit RGB PNG's pixels whose red is below half; @sparling/raster writes every row unfiltered. */
function darkShare(file: string): number {
  const bytes = readFileSync(file);
  const { width, height } = pngHeader(file);
  const idat: Buffer[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    if (bytes.subarray(at + 4, at + 8).toString('latin1') === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  let dark = 0;
  for (let r = 0; r < height; r++) {
    const row = r * (1 + 3 * width);
    expect(raw[row], `filter byte of row ${r}`).toBe(0);
    for (let c = 0; c < width; c++) if (raw[row + 1 + 3 * c]! < 128) dark++;
  }
  return dark / (width * height);
}

describe('sparling sample', () => {
  it('prints the paper Figure 1 (RandomState(6)) as one JSON line', async () => {
    const { code, out, err } = await sample('digit-circle', '--raw-seed', '6', '--json');
    expect([code, err]).toEqual([0, '']);
    const [item] = lines(out);
    expect(Object.keys(item!)).toEqual(['seed', 'index', 'rngSeed', 'label', 'shape', 'onPixels', 'inkPixels', 'motifs']);
    expect(item).toMatchObject({ seed: null, index: null, rngSeed: 6, label: ['0', '7', '2', '6', '3', '4'], shape: [100, 100] });
    const on = item!.onPixels as number[];
    expect(on).toHaveLength(1696);
    expect(on.every((k, i) => Number.isInteger(k) && k >= 0 && k < 10_000 && (i === 0 || k > on[i - 1]!))).toBe(true);
    // 0 is DigitCircle's background, so its ink is exactly the pixels equal to 1.
    expect(item!.inkPixels).toEqual(on);
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
      [['--seed', '1'], 'expected exactly one DOMAIN (digit-circle, latex-ocr, audio-mnist-sequence), received none'],
      [['digit-circle', '--seed', '1', '--scale', '2'], '--scale sets the PNG size; add --png FILE'],
      [['digit-circle', '--seed', '1', '--bogus'], "Unknown option '--bogus'"],
      [['latex-ocr', '--seed', '1', '--domain-options', '{noise:0}'], '--domain-options: expected a JSON object, received "{noise:0}"'],
      [['latex-ocr', '--seed', '1', '--domain-options', '[0]'], '--domain-options: expected a JSON object, received "[0]"'],
      [['latex-ocr', '--seed', '1', '--domain-options', '{"noise":2}'], '--domain-options: LatexOcr: options.noise'],
      [['latex-ocr', '--seed', '1', '--domain-options', '{"size":48}'], '--domain-options: LatexOcr: options.size'],
    ];
    for (const [args, message] of cases) {
      const r = await sample(...args);
      expect([r.code, r.err], args.join(' ')).toEqual([2, expect.stringContaining(message)]);
      expect(r.err).toContain('usage: sparling sample DOMAIN');
    }
  });

  describe('latex-ocr', () => {
    const HEIGHT = 120;
    const WIDTH = 360;

    it('prints the LaTeX code beside the token label, and ink as the pixels equal to 0', async () => {
      const { code, out, err } = await sample('latex-ocr', '--seed', '1', '--index', '2', '--json');
      expect([code, err]).toEqual([0, '']);
      const [item] = lines(out);
      expect(Object.keys(item!)).toEqual(['seed', 'index', 'rngSeed', 'label', 'latex', 'shape', 'onPixels', 'inkPixels', 'motifs']);
      expect(item).toMatchObject({ seed: 1, index: 2, latex: '0_{7}', label: ['0', 'SUB(', '7', 'SUB)'], shape: [HEIGHT, WIDTH] });
      const motifs = item!.motifs as { symbol: string; footprint: { start: number[]; end: number[] } }[];
      expect(motifs.map((m) => m.symbol)).toEqual(['0', '7']);
      for (const { footprint } of motifs) {
        const [r0, c0] = footprint.start as [number, number];
        const [r1, c1] = footprint.end as [number, number];
        expect([r0 >= 0, c0 >= 0, r1 <= HEIGHT, c1 <= WIDTH, r0 < r1, c0 < c1], JSON.stringify(footprint)).toEqual([true, true, true, true, true, true]);
      }
      const ink = item!.inkPixels as number[];
      const input = createDomain('latex-ocr').sample(1, 2).input;
      expect(ink).toEqual([...input.keys()].filter((k) => input[k] === 0));
      // onPixels keeps its meaning, pixels equal to 1: here the background.
      expect((item!.onPixels as number[]).length).toBe(HEIGHT * WIDTH - ink.length);
      // The reference sets 25% of the pixels to ink on top of the drawing's few percent.
      expect(ink.length / (HEIGHT * WIDTH)).toBeGreaterThan(0.2);
      expect(ink.length / (HEIGHT * WIDTH)).toBeLessThan(0.35);

      const text = await sample('latex-ocr', '--seed', '1', '--index', '2');
      expect(text.out).toMatch(/^latex-ocr seed 1 index 2 \(RandomState\(\d+\)\): 0 SUB\( 7 SUB\)\n  latex 0_\{7\}\n/);
      expect(text.out).toContain(`  ${ink.length} of ${HEIGHT * WIDTH} pixels are ink (0; 1 is background); motifs in placement order:\n`);
      expect(text.out).not.toContain('pixels on');
    });

    it('draws clean items with --domain-options {"noise":0}', async () => {
      const inkShare = async (...extra: string[]): Promise<number> => {
        const { code, out, err } = await sample('latex-ocr', '--seed', '1', '--index', '2', '--json', ...extra);
        expect([code, err]).toEqual([0, '']);
        return (lines(out)[0]!.inkPixels as number[]).length / (HEIGHT * WIDTH);
      };
      const noisy = await inkShare();
      const clean = await inkShare('--domain-options', '{"noise":0}');
      expect(noisy).toBeGreaterThan(0.2);
      expect(clean).toBeGreaterThan(0);
      expect(clean).toBeLessThan(0.05);
    });

    it('writes a PNG at scale 2 by default, and at --scale K', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cli-sample-latex-'));
      const file = join(dir, 'latex.png');
      const drawn = await sample('latex-ocr', '--seed', '1', '--index', '2', '--png', file);
      expect([drawn.code, drawn.err]).toEqual([0, '']);
      expect(drawn.out).toContain(`wrote ${file}`);
      const byDefault = pngHeader(file);
      expect([byDefault.signature, byDefault.chunk]).toEqual([PNG_SIGNATURE, 'IHDR']);
      // renderSample adds a 16-pixel margin on each side; the title is narrower than the input.
      expect(byDefault.width).toBe(2 * WIDTH + 32);
      // 1 is background: drawn as ink it would darken most of the picture, not a quarter of it.
      expect(darkShare(file)).toBeLessThan(0.3);

      expect((await sample('latex-ocr', '--seed', '1', '--index', '2', '--png', file, '--scale', '3')).code).toBe(0);
      const larger = pngHeader(file);
      expect([larger.signature, larger.chunk]).toEqual([PNG_SIGNATURE, 'IHDR']);
      expect([larger.width, larger.height - byDefault.height]).toEqual([3 * WIDTH + 32, HEIGHT]);
    });
  });

  it('is listed in sparling --help', async () => {
    const io = capture();
    await main(['--help'], io);
    expect(io.out).toContain('sample');
  });
});
