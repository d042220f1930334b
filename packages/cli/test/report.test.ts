import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@sparling/backend';
import { createDomain } from '@sparling/domains';
import { fneBySymbol, symbolChannels } from '@sparling/metrics';
import { evaluateRun, formatDensity, listSnapshots, readEvaluation, train } from '@sparling/models';
import { main } from '../src/index.js';
import { otherChannels } from '../src/report/build.js';
import { capture } from './capture.js';

const CHROMIUM = '/usr/bin/chromium';
const SECTIONS = ['metrics', 'figure-5', 'figure-4', 'missed-symbols', 'symbol-channels', 'figure-2', 'training'];
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const flags = ['--count', '16', '--backend', 'wasm', '--workers', '0'];

let root: string;
let run: string;
let densities: number[];

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  root = await mkdtemp(join(tmpdir(), 'sparling-cli-report-'));
  run = join(root, 'run');
  const domain = createDomain('digit-circle', { size: 32, minRadius: 1, jitter: 1, minDigits: 3, maxDigits: 3 });
  await train({
    domain,
    model: {
      inputShape: domain.inputShape,
      vocabulary: domain.vocabulary,
      motifChannels: 10,
      motif: { dims: 2, width: 4, residualUnits: 1, kernelSize: 3 },
      bottleneck: { kind: 'sparling', density: 0.5, mode: 'per-channel', batchNorm: true, affine: true, lambda: 0, accumulate: false },
      post: { width: 8, pool: 4, rowLstm: false, heads: 2, encoderLayers: 1, decoderLayers: 1, feedForward: 16, dropout: 0.1 },
      maxLength: domain.maxLabelLength + 1,
    },
    // The target falls below any accuracy between validations: every validation cuts, so three snapshots.
    training: {
      batchSize: 16, learningRate: 1e-2, validateEvery: 16, validationItems: 8, validationSeed: -1, validationMaxLength: domain.maxLabelLength + 1, maxSamples: 48,
      annealer: { initialTarget: 1, minTarget: -1, maxTarget: 1, targetDecreasePerSample: 0.1, densityMultiplier: 0.75 },
      stopAtDensity: 0,
    },
    seed: 2,
    runDir: run,
    workers: 0,
  });
  densities = (await listSnapshots(run)).map((s) => s.density);
  // A stored result with enough items, which the report reads instead of evaluating again.
  await evaluateRun(run, { density: 0.5, count: 32, workers: 0 });
  // Results from before results kept `confusion`: every snapshot's draws the per-symbol FNE (and
  // the final one Figure 4), so the report evaluates them again.
  for (const d of densities.slice(1)) {
    await writeFile(join(run, `eval-${formatDensity(d)}.json`), JSON.stringify({ source: 'old', density: d, count: 100_000, fpe: 0.5 }));
  }
}, 600_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The `<img>` tags of a page, with their attributes. */
function images(html: string): { src: string; width: number; height: number }[] {
  return [...html.matchAll(/<img src="([^"]+)" width="(\d+)" height="(\d+)"/g)].map((m) => ({ src: m[1] ?? '', width: Number(m[2]), height: Number(m[3]) }));
}

/** Checks a PNG file's signature and returns the size in its IHDR chunk. */
async function pngSize(path: string): Promise<{ width: number; height: number }> {
  const bytes = await readFile(path);
  expect([...bytes.subarray(0, 8)], `${path} starts with the PNG signature`).toEqual(PNG_SIGNATURE);
  expect(bytes.subarray(12, 16).toString('latin1'), `${path}'s first chunk`).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('otherChannels', () => {
  it("sorts the channels that are no symbol's main channel by what was counted for them", () => {
    const confusion = {
      rows: ['1', '2', 'none'],
      columns: ['A', 'B', 'C', 'D', 'E', 'F', 'none'],
      // A and B are the main channels; C is silent, D and E catch background (E: 9 of 10
      // outside), F catches a few 2s (25% outside).
      counts: [
        [50, 0, 0, 0, 0, 0, 1],
        [0, 40, 0, 0, 1, 3, 2],
        [3, 0, 0, 7, 9, 1, 0],
      ],
    };
    expect(otherChannels(confusion, symbolChannels(confusion))).toEqual(['D E background', 'C none counted', 'F 25% outside']);
    expect(otherChannels({ ...confusion, counts: confusion.counts.map((r, i) => (i === 2 ? [3, 0, 0, 7, 8, 1, 0] : r)) }, symbolChannels(confusion))).toEqual(['D background', 'C none counted', 'E 88% outside', 'F 25% outside']);
  });
});

describe('sparling report', () => {
  it('writes a self-contained page whose every picture exists and decodes', async () => {
    expect(densities.length, 'the quick annealer left at least two snapshots').toBeGreaterThanOrEqual(2);
    const io = capture();
    expect(await main(['report', run, ...flags], io), io.err).toBe(0);
    const page = join(run, 'report', 'index.html');
    expect(io.out).toBe(`${page}\n`);
    expect(io.err).toMatch(/^backend wasm/);
    expect(io.err).toMatch(/eval \[#+-*\] \d+\/\d+ .*snapshot \d\/\d/);

    const html = await readFile(page, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link rel="stylesheet"|https?:\/\//);
    for (const id of SECTIONS) expect(html).toContain(`<section id="${id}">`);
    for (const label of ['FPE', 'FNE', 'CE (majority)', 'E2EE', 'exact accuracy', '× minimum density', 'samples seen', 'wall time (training)', 'motif model g', 'bottleneck']) {
      expect(html).toContain(`<td>${label}</td>`);
    }
    expect(html).toContain('<caption>Run configuration</caption>');
    // The 0.5 snapshot's stored result (32 items >= 16) is reused; the rest are evaluated.
    expect(html).toMatch(/<td>0\.5000<\/td>.*<td>stored<\/td>/);
    expect([...html.matchAll(/<td>evaluated<\/td>/g)]).toHaveLength(densities.length - 1);

    const shown = images(html);
    expect(shown.map((i) => i.src).sort()).toEqual(['accuracy.png', 'confusion.png', 'density.png', 'figure5.png', 'loss.png', 'samples.png', 'symbol-fne.png']);
    for (const image of shown) {
      const size = await pngSize(join(dirname(page), image.src));
      expect(size, image.src).toEqual({ width: image.width, height: image.height });
      expect(size.width * size.height).toBeGreaterThan(0);
    }
    // Every snapshot now has a stored result with its confusion matrix.
    for (const d of densities) expect((await readEvaluation(run, d))?.confusion, formatDensity(d)).toBeTruthy();
    // The final result's FNE by symbol, one row per digit, from its confusion matrix.
    const final = await readEvaluation(run, densities[densities.length - 1] ?? NaN);
    const bySymbol = fneBySymbol(final!.confusion!);
    expect(bySymbol.map((s) => s.symbol)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const section = /<section id="missed-symbols">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    for (const s of bySymbol) {
      expect(section, `digit ${s.symbol}`).toContain(`<td>${s.symbol}</td><td>${s.footprints}</td><td>${s.missed}</td><td>${s.fne === null ? 'n/a' : `${(100 * s.fne).toFixed(2)}%`}</td>`);
    }
    // Each symbol's main channel in the final result, and a row of main channels per snapshot.
    const channels = /<section id="symbol-channels">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    for (const s of symbolChannels(final!.confusion!)) {
      const share = s.share === null ? 'n/a' : `${(100 * s.share).toFixed(2)}%`;
      expect(channels, `digit ${s.symbol}`).toContain(`<td>${s.symbol}</td><td>${s.found}</td><td>${s.channel ?? 'none'}</td><td>${share}</td><td>${s.sharedWith.join(' ') || '-'}</td>`);
    }
    expect(channels).toContain('<th scope="col">density</th><th scope="col">× minimum</th><th scope="col">0</th>');
    expect(channels).toContain('<th scope="col">9</th><th scope="col">other channels</th>');
    expect([...channels.matchAll(/<tr><td>[\d.e-]+<\/td><td>[\d.]+×<\/td>/g)]).toHaveLength(densities.length);
  });

  it('writes elsewhere with --out, prefixing the pictures, and reuses every stored result', async () => {
    const out = join(root, 'elsewhere', 'tiny.html');
    const io = capture();
    expect(await main(['report', run, '--out', out, ...flags], io), io.err).toBe(0);
    expect(io.out).toBe(`${out}\n`);
    expect(io.err).not.toContain('eval [');
    const files = (await readdir(dirname(out))).sort();
    expect(files).toEqual(['tiny-accuracy.png', 'tiny-confusion.png', 'tiny-density.png', 'tiny-figure5.png', 'tiny-loss.png', 'tiny-samples.png', 'tiny-symbol-fne.png', 'tiny.html']);
    expect([...(await readFile(out, 'utf8')).matchAll(/<td>stored<\/td>/g)]).toHaveLength(densities.length);
  });

  it('rejects bad flags with usage errors', async () => {
    for (const args of [['report'], ['report', 'a', 'b'], ['report', run, '--count', '0'], ['report', run, '--out', ''], ['report', run, '--backend', 'gpu']]) {
      const io = capture();
      expect(await main(args, io), args.join(' ')).toBe(2);
      expect(io.out).toBe('');
    }
    const missing = capture();
    expect(await main(['report', join(root, 'nope'), ...flags], missing)).toBe(1);
    expect(missing.err).toContain('is not a run folder: run.json is missing');
  });

  it('loads in headless Chromium without errors, every picture shown', async (ctx) => {
    if (!existsSync(CHROMIUM)) {
      const reason = `no Chromium at ${CHROMIUM}; install it with \`node scripts/ensure-chromium.mjs\` (apt-get install chromium)`;
      if (process.env.CI) throw new Error(`CI is set, so the browser check must run: ${reason}`);
      console.warn(`skipping the browser check of sparling report: ${reason}`);
      ctx.skip(reason);
    }
    const page = join(run, 'report', 'index.html');
    expect(existsSync(page), 'the first test wrote the page').toBe(true);
    const { chromium } = await import('playwright-core');
    const profile = await mkdtemp(join(tmpdir(), 'sparling-chromium-'));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const tab = browser.pages()[0] ?? (await browser.newPage());
      const problems: string[] = [];
      const requests: string[] = [];
      tab.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
      });
      tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      tab.on('requestfailed', (r) => problems.push(`failed request: ${r.url()} (${r.failure()?.errorText ?? 'unknown'})`));
      tab.on('request', (r) => requests.push(r.url()));
      await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' });
      expect(await tab.title()).toBe('SPARLING run report: run');
      const shown = await tab.locator('img').evaluateAll((elements) =>
        elements.map((e) => {
          const img = e as unknown as { getAttribute(name: string): string | null; complete: boolean; naturalWidth: number; naturalHeight: number };
          return { src: img.getAttribute('src'), complete: img.complete, naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight };
        }),
      );
      expect(shown).toHaveLength(7);
      for (const img of shown) {
        expect(img.complete, img.src ?? '').toBe(true);
        expect(img.naturalWidth, img.src ?? '').toBeGreaterThan(0);
        expect(img.naturalHeight, img.src ?? '').toBeGreaterThan(0);
      }
      for (const id of SECTIONS) expect(await tab.locator(`section#${id} h2`).count(), id).toBe(1);
      expect(await tab.locator('#metrics table').count()).toBe(3);
      expect(await tab.locator('script').count()).toBe(0);
      // Self-contained: the page and its pictures, all from the report folder.
      expect(requests.every((url) => url.startsWith(pathToFileURL(dirname(page)).href))).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    }
  });
});
