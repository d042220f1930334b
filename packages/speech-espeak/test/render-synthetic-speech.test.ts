import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSyntheticSpeech, speakerVoices, type SpeechManifest } from '../src/index.js';
import { parseWav, rms } from './wav.js';

const temporary: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'speech-espeak-'));
  temporary.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** Every file under `root`, relative, sorted. */
function listing(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}
const stamps = (root: string): Record<string, string> =>
  Object.fromEntries(listing(root).map((f) => [f, `${statSync(join(root, f)).mtimeMs}/${statSync(join(root, f)).ino}`]));
const wavName = (digit: number, speaker: number, take: number): string => {
  const nn = String(speaker).padStart(2, '0');
  return join(nn, `${digit}_${nn}_${take}.wav`);
};
const expectedFiles = (speakers: number, takes: number): string[] =>
  [
    'manifest.json',
    ...Array.from({ length: speakers }, (_, s) => Array.from({ length: 10 }, (_, d) => Array.from({ length: takes }, (_, t) => wavName(d, s + 1, t)))).flat(2),
  ].sort();

describe('renderSyntheticSpeech: 2 speakers × 2 takes', () => {
  let root: string;
  const progress: Array<[number, number]> = [];

  beforeAll(async () => {
    root = tempDir();
    expect(await renderSyntheticSpeech({ root, speakers: 2, takes: 2, onProgress: (done, total) => progress.push([done, total]) })).toBe(root);
  });

  it('writes the AudioMNIST layout <root>/NN/{digit}_{NN}_{take}.wav and a manifest, nothing else (no temporary files)', () => {
    expect(listing(root)).toEqual(expectedFiles(2, 2));
  });

  it('reports progress from 0 to 40 of 40', () => {
    expect(progress[0]).toEqual([0, 40]);
    expect(progress.at(-1)).toEqual([40, 40]);
    expect(progress).toHaveLength(41);
  });

  it('writes valid RIFF/WAVE files: PCM, 16-bit, mono, 22,050 Hz, a data chunk that ends the file', () => {
    for (const file of listing(root).filter((f) => f.endsWith('.wav'))) {
      const wav = parseWav(readFileSync(join(root, file)));
      expect({ file, rate: wav.sampleRate, channels: wav.channels, bits: wav.bitsPerSample, byteRate: wav.byteRate, align: wav.blockAlign }).toEqual({
        file, rate: 22050, channels: 1, bits: 16, byteRate: 44100, align: 2,
      });
    }
  });

  it('speaks: every recording lasts 0.15–1.5 s and is far from silent', () => {
    for (const file of listing(root).filter((f) => f.endsWith('.wav'))) {
      const { samples } = parseWav(readFileSync(join(root, file)));
      expect(samples.length / 22050, file).toBeGreaterThan(0.15);
      expect(samples.length / 22050, file).toBeLessThan(1.5);
      expect(rms(samples), file).toBeGreaterThan(0.01);
      expect(Math.max(...samples.map(Math.abs)), `${file} clips`).toBeLessThan(0.999);
    }
  });

  it('gives different speakers, digits and takes different audio', () => {
    const bytes = (d: number, s: number, t: number): string => readFileSync(join(root, wavName(d, s, t))).toString('base64');
    const all = new Set<string>();
    for (let d = 0; d < 10; d++) for (let s = 1; s <= 2; s++) for (let t = 0; t < 2; t++) all.add(bytes(d, s, t));
    expect(all.size).toBe(40);
    // Not only different bytes: the two speakers differ in duration and loudness over the ten digits.
    const stats = (s: number) => Array.from({ length: 10 }, (_, d) => parseWav(readFileSync(join(root, wavName(d, s, 0)))).samples);
    const [one, two] = [stats(1), stats(2)];
    const meanLength = (xs: Float32Array[]) => xs.reduce((a, x) => a + x.length, 0) / xs.length;
    const meanRms = (xs: Float32Array[]) => xs.reduce((a, x) => a + rms(x), 0) / xs.length;
    expect(Math.abs(meanLength(one) / meanLength(two) - 1) + Math.abs(meanRms(one) / meanRms(two) - 1)).toBeGreaterThan(0.05);
  });

  it('writes a manifest with the counts, the voices and the espeak-ng version', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as SpeechManifest;
    const espeakPackage = createRequire(import.meta.url)('espeak-ng/package.json') as { version: string };
    expect(manifest).toMatchObject({ format: 'sparling-speech-espeak', version: 1, speakers: 2, takes: 2, sampleRate: 22050 });
    expect(manifest.espeakNg.package).toBe(espeakPackage.version);
    expect(manifest.voices).toEqual(speakerVoices(2));
    expect(manifest.words).toEqual(['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']);
  });

  it('returns at once the second time, rewriting nothing and reporting no progress', async () => {
    const before = stamps(root);
    let calls = 0;
    expect(await renderSyntheticSpeech({ root, speakers: 2, takes: 2, onProgress: () => calls++ })).toBe(root);
    expect(calls).toBe(0);
    expect(stamps(root)).toEqual(before);
  });

  it('is deterministic: a second render elsewhere gives byte-identical files', async () => {
    const again = tempDir();
    await renderSyntheticSpeech({ root: again, speakers: 2, takes: 2 });
    expect(listing(again)).toEqual(listing(root));
    for (const file of listing(root)) expect(readFileSync(join(again, file)).equals(readFileSync(join(root, file))), file).toBe(true);
  });

  it('trims a folder to fewer takes without re-rendering, then renders only the missing takes', async () => {
    const copy = tempDir();
    cpSync(root, copy, { recursive: true });
    const before = stamps(copy);
    await renderSyntheticSpeech({ root: copy, speakers: 2, takes: 1 });
    expect(listing(copy)).toEqual(expectedFiles(2, 1));
    const kept = stamps(copy);
    for (const file of listing(copy).filter((f) => f.endsWith('.wav'))) expect(kept[file], file).toBe(before[file]);

    await renderSyntheticSpeech({ root: copy, speakers: 2, takes: 2 });
    expect(listing(copy)).toEqual(expectedFiles(2, 2));
    for (const file of listing(copy)) expect(readFileSync(join(copy, file)).equals(readFileSync(join(root, file))), file).toBe(true);
    const after = stamps(copy);
    for (const file of Object.keys(kept).filter((f) => f.endsWith('.wav'))) expect(after[file], file).toBe(kept[file]);
  });

  it('completes an interrupted render (files but no manifest), rendering only what is missing', async () => {
    const copy = tempDir();
    cpSync(root, copy, { recursive: true });
    rmSync(join(copy, 'manifest.json'));
    rmSync(join(copy, wavName(7, 2, 1)));
    const before = stamps(copy);
    await renderSyntheticSpeech({ root: copy, speakers: 2, takes: 2 });
    expect(listing(copy)).toEqual(expectedFiles(2, 2));
    expect(readFileSync(join(copy, wavName(7, 2, 1))).equals(readFileSync(join(root, wavName(7, 2, 1))))).toBe(true);
    const after = stamps(copy);
    for (const file of Object.keys(before)) expect(after[file], file).toBe(before[file]);
  });
  it('renders again a folder written by another version, deleting its files first', async () => {
    const copy = tempDir();
    cpSync(root, copy, { recursive: true });
    const manifestPath = join(copy, 'manifest.json');
    writeFileSync(manifestPath, readFileSync(manifestPath, 'utf8').replace('"version": 1', '"version": 0').replace('"takes": 2', '"takes": 3'));
    writeFileSync(join(copy, wavName(0, 1, 2)), 'an old take 2');
    const before = stamps(copy);
    await renderSyntheticSpeech({ root: copy, speakers: 2, takes: 2 });
    expect(listing(copy)).toEqual(expectedFiles(2, 2));
    const after = stamps(copy);
    for (const file of listing(copy)) {
      expect(readFileSync(join(copy, file)).equals(readFileSync(join(root, file))), file).toBe(true);
      expect(after[file], `${file} rewritten`).not.toBe(before[file]);
    }
  });
});

describe('renderSyntheticSpeech: bad options', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['speakers 0', { speakers: 0 }, /renderSyntheticSpeech: options\.speakers: expected an integer from 1 to 99, received 0$/],
    ['speakers 100', { speakers: 100 }, /options\.speakers: expected an integer from 1 to 99, received 100$/],
    ['speakers 1.5', { speakers: 1.5 }, /options\.speakers: .* received 1\.5$/],
    ['speakers "3"', { speakers: '3' }, /options\.speakers: .* received "3"$/],
    ['takes 0', { takes: 0 }, /renderSyntheticSpeech: options\.takes: expected an integer from 1 to 50, received 0$/],
    ['takes NaN', { takes: Number.NaN }, /options\.takes: .* received NaN$/],
    ['takes 51', { takes: 51 }, /options\.takes: .* received 51$/],
    ['root ""', { root: '' }, /renderSyntheticSpeech: options\.root: expected a non-empty path, received ""$/],
    ['root 5', { root: 5 }, /options\.root: .* received 5$/],
    ['onProgress "x"', { onProgress: 'x' }, /renderSyntheticSpeech: options\.onProgress: expected a function, received "x"$/],
    ['options null', null, /renderSyntheticSpeech: options: expected an object or nothing, received null$/],
  ];
  it.each(cases)('%s', async (_, options, message) => {
    const root = tempDir();
    const withRoot = options !== null && typeof options === 'object' && !('root' in options) ? { root, ...options } : options;
    await expect(renderSyntheticSpeech(withRoot as never)).rejects.toThrow(message);
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses a folder whose manifest.json is not its own, and leaves it alone', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'manifest.json'), '{"name":"something else"}\n');
    await expect(renderSyntheticSpeech({ root, speakers: 1, takes: 1 })).rejects.toThrow(/options\.root: .*manifest\.json exists but is not a manifest written by @sparling\/speech-espeak/);
    expect(readdirSync(root)).toEqual(['manifest.json']);
  });
});
