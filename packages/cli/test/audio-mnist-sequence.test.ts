import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIO_MNIST_SPEAKER_FOLDERS, createDomain, encodeWav, type DigitPlacement } from '@sparling/domains';
import { readRunConfig } from '@sparling/models';
import { main } from '../src/main.js';
import { fixtureLength, fixtureTakes, writeAudioMnistFixture } from './audio-fixture.js';
import { capture } from './capture.js';

const FRAMES = 642;
const CLIP = 15 * 8000;

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

interface AudioLine {
  seed: number;
  index: number;
  label: string[];
  shape: number[];
  placements: DigitPlacement[];
  motifs: { symbol: string; position: number[]; footprint: { start: number[]; end: number[] } }[];
}

function lines(out: string): AudioLine[] {
  return out.trimEnd().split('\n').map((l) => JSON.parse(l) as AudioLine);
}

let root: string;
let speech: string;
let options: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cli-audio-'));
  speech = writeAudioMnistFixture(join(root, 'AudioMNIST'));
  options = JSON.stringify({ speech });
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('sparling sample audio-mnist-sequence', () => {
  it('prints placements that agree with the label, the footprints and the recordings read', async () => {
    const { code, out, err } = await run('sample', 'audio-mnist-sequence', '--seed', '1', '--count', '4', '--json', '--domain-options', options);
    expect([code, err]).toEqual([0, '']);
    const items = lines(out);
    expect(items.map((i) => i.index)).toEqual([0, 1, 2, 3]);
    for (const item of items) {
      // dB values: no pixel is "on", so those fields are left out.
      expect(Object.keys(item)).toEqual(['seed', 'index', 'rngSeed', 'label', 'shape', 'placements', 'motifs']);
      expect(item.shape).toEqual([FRAMES, 64]);
      const { placements, motifs, label } = item;
      expect(placements.length).toBeGreaterThanOrEqual(5);
      expect(placements.length).toBeLessThanOrEqual(10);
      expect(label).toEqual(placements.map((p) => String(p.digit)));
      expect(motifs.map((m) => m.symbol)).toEqual(label);
      placements.forEach((p, i) => {
        // The fixture's lengths name the folder each take came from: speaker k reads folder AUDIO_MNIST_SPEAKER_FOLDERS[k - 1].
        const folder = AUDIO_MNIST_SPEAKER_FOLDERS[p.speaker - 1]!;
        expect(p.take).toBeLessThan(fixtureTakes(folder));
        expect(p.length).toBe(fixtureLength(folder, p.take));
        const next = placements[i + 1]?.start ?? CLIP;
        expect(p.start + p.length, `placement ${i} of item ${item.index} overlaps what follows`).toBeLessThanOrEqual(next);
        const first = Math.floor((p.start * FRAMES) / CLIP);
        expect(motifs[i]!.footprint).toEqual({ start: [first], end: [first + Math.floor((p.length * FRAMES) / CLIP)] });
        expect(first + Math.floor((p.length * FRAMES) / CLIP)).toBeLessThanOrEqual(FRAMES);
      });
    }
  });

  it('draws seed -2 from the test speakers 52-60 and seed 1 from the training speakers 1-51', async () => {
    const speakersOf = async (seed: string): Promise<number[]> => {
      const { code, out, err } = await run('sample', 'audio-mnist-sequence', '--seed', seed, '--count', '6', '--json', '--domain-options', options);
      expect([code, err]).toEqual([0, '']);
      return lines(out).flatMap((i) => i.placements.map((p) => p.speaker));
    };
    const test = await speakersOf('-2');
    expect(test.length).toBeGreaterThanOrEqual(30);
    expect(test.filter((s) => s < 52 || s > 60)).toEqual([]);
    const training = await speakersOf('1');
    expect(training.filter((s) => s < 1 || s > 51)).toEqual([]);

    const text = await run('sample', 'audio-mnist-sequence', '--seed', '-2', '--domain-options', options);
    expect(text.code).toBe(0);
    const [heading, speakers, frames, ...motifs] = text.out.trimEnd().split('\n');
    expect(heading).toMatch(/^audio-mnist-sequence seed -2 index 0 \(RandomState\(\d+\)\): \d( \d){4,9}$/);
    expect(speakers).toMatch(/^ {2}\d+ digits by test speakers 52-60: (5[2-9]|60)(, (5[2-9]|60))*$/);
    expect(frames).toBe(`  ${FRAMES} frames; motifs in time order:`);
    expect(motifs.length).toBe(heading!.split(': ')[1]!.split(' ').length);
    for (const line of motifs) expect(line).toMatch(/^ {4}\d {3}frames \d+-\d+ +speaker (5[2-9]|60) take \d, \d+\.\d\d-\d+\.\d\d s$/);
    const one = await run('sample', 'audio-mnist-sequence', '--seed', '1', '--domain-options', options);
    expect(one.out.split('\n')[1]).toMatch(/^ {2}\d+ digits by training speakers 1-51: \d+(, \d+)*$/);
  });

  it('writes the spectrogram as a PNG and the clip as an 8 kHz WAV, one file per item', async () => {
    const dir = mkdtempSync(join(root, 'files-'));
    const png = join(dir, 'clip.png');
    const wav = join(dir, 'clip.wav');
    const { code, out, err } = await run('sample', 'audio-mnist-sequence', '--seed', '1', '--png', png, '--wav', wav, '--domain-options', options);
    expect([code, err]).toEqual([0, '']);
    expect(out).toContain(`  wrote ${png}\n  wrote ${wav}\n`);

    const picture = readFileSync(png);
    expect([...picture.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(picture.subarray(12, 16).toString('latin1')).toBe('IHDR');
    // Scale 2 per frame and mel band, plus renderSpectrogram's 16-pixel margins.
    expect(picture.readUInt32BE(16)).toBe(2 * FRAMES + 32);

    const bytes = readFileSync(wav);
    const header = {
      riff: bytes.subarray(0, 4).toString('latin1'),
      wave: bytes.subarray(8, 12).toString('latin1'),
      fmt: bytes.subarray(12, 16).toString('latin1'),
      format: bytes.readUInt16LE(20),
      channels: bytes.readUInt16LE(22),
      rate: bytes.readUInt32LE(24),
      bits: bytes.readUInt16LE(34),
      data: bytes.subarray(36, 40).toString('latin1'),
      samples: bytes.readUInt32LE(40) / 2,
    };
    expect(header).toEqual({ riff: 'RIFF', wave: 'WAVE', fmt: 'fmt ', format: 1, channels: 1, rate: 8000, bits: 16, data: 'data', samples: CLIP });
    expect(bytes.length).toBe(44 + 2 * CLIP);
    // The clip the spectrogram was computed from, digits and noise.
    const clip = (createDomain('audio-mnist-sequence', { speech }).sample(1, 0) as unknown as { audio: Float32Array }).audio;
    expect(Buffer.from(encodeWav(clip, 8000)).equals(bytes)).toBe(true);

    const many = await run('sample', 'audio-mnist-sequence', '--seed', '1', '--index', '3', '--count', '2', '--png', png, '--wav', wav, '--scale', '1', '--json', '--domain-options', options);
    expect([many.code, many.err]).toEqual([0, '']);
    expect(readdirSync(dir).sort()).toEqual(['clip-3.png', 'clip-3.wav', 'clip-4.png', 'clip-4.wav', 'clip.png', 'clip.wav']);
    expect(readFileSync(join(dir, 'clip-4.png')).readUInt32BE(16)).toBe(FRAMES + 32);
    expect(readFileSync(join(dir, 'clip-4.wav')).length).toBe(44 + 2 * CLIP);
    // Written atomically: no temporary files stay behind.
    expect(readdirSync(dir).filter((f) => f.includes('tmp'))).toEqual([]);
  });

  it('rejects --wav without audio and spectrogram scales above 16, naming the flag', async () => {
    const wav = await run('sample', 'digit-circle', '--seed', '1', '--wav', join(root, 'x.wav'));
    expect([wav.code, wav.err]).toEqual([2, expect.stringContaining('sparling sample: --wav: digit-circle items have no audio; expected an audio domain (audio-mnist-sequence)')]);
    expect(existsSync(join(root, 'x.wav'))).toBe(false);
    const scale = await run('sample', 'audio-mnist-sequence', '--seed', '1', '--png', join(root, 'x.png'), '--scale', '17', '--domain-options', options);
    expect([scale.code, scale.err]).toEqual([2, expect.stringContaining("--scale: expected an integer <= 16 for audio-mnist-sequence's spectrogram (642 frames), received 17")]);
    const speechValue = await run('sample', 'audio-mnist-sequence', '--seed', '1', '--domain-options', '{"speech":5}');
    expect([speechValue.code, speechValue.err]).toEqual([2, expect.stringContaining('--domain-options: AudioMnistSequence: options.speech: expected the path of the AudioMNIST data folder')]);
  });
});

describe('sparling train / eval / report audio-mnist-sequence', () => {
  it('trains the cpu preset on a few clips, evaluates it and reports its spectrograms with predicted motifs', async () => {
    const out = join(root, 'run');
    const trained = await run(
      'train', 'audio-mnist-sequence', '--preset', 'cpu', '--max-samples', '16', '--validate-every', '8', '--validation-items', '4', '--batch-size', '4',
      '--domain-options', options, '--out', out, '--backend', 'wasm',
    );
    expect(trained.code, trained.err).toBe(0);
    expect(trained.out).toMatch(/samples +16 \(16 in /);
    // The absolute speech folder is part of the run, so eval and report rebuild the same domain.
    expect((await readRunConfig(out)).domain).toMatchObject({ name: 'audio-mnist-sequence', options: { speech, speakers: 'by-seed' } });

    // --resume takes the domain from run.json: flags that could not build one (or would render speech) are ignored.
    const resumed = await run('train', 'audio-mnist-sequence', '--out', out, '--resume', '--domain-options', '{"speech":5}', '--backend', 'wasm');
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.out).toMatch(/samples +16 \(0 in /);

    const evaluated = await run('eval', out, '--count', '8', '--backend', 'wasm');
    expect(evaluated.code, evaluated.err).toBe(0);
    const [head, row] = evaluated.out.split('\n');
    expect(head!.trim().split(/ {2,}/)).toEqual(['density', 'x min', 'FPE', 'FNE', 'CE', 'CE maj', 'E2EE', 'exact', 'measured', 'missed', 'shared', 'source']);
    expect(row).toMatch(/^ +0\.0282 +24\.10( +\d+\.\d\d%){6} +\S+ +(none|\d( \d)*) +(none|\S+) +checkpoints\/latest$/);
    expect(evaluated.out).toContain('motif metrics on 8 items, seed -2');

    const reported = await run('report', out, '--count', '8', '--backend', 'wasm');
    expect(reported.code, reported.err).toBe(0);
    const html = readFileSync(join(out, 'report', 'index.html'), 'utf8');
    expect(html).toContain('samples.png');
    expect(html).toContain('Spectrograms (time to the right, mel bands upwards)');
    const grid = readFileSync(join(out, 'report', 'samples.png'));
    expect(grid.subarray(1, 4).toString('latin1')).toBe('PNG');
    // Two spectrograms of 642 frames at scale 1 (plus margins) side by side.
    expect(grid.readUInt32BE(16)).toBe(2 * (FRAMES + 32) + 8);
  });
});
