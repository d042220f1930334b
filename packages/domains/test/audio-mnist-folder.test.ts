import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIO_MNIST_SPEAKER_FOLDERS, AudioMnistFolder } from '../src/audio-mnist-folder.js';
import { TEST_SPEAKERS, TRAINING_SPEAKERS, type SpeechSource } from '../src/speech-source.js';
import { encodeWav } from '../src/wav.js';

/** The reference's test speakers as AudioMNIST folders (spec 5.1). */
const TEST_FOLDERS = [1, 4, 10, 20, 40, 45, 48, 54, 56];

/** Folder f holds 2 + f mod 11 takes of "0", so every folder's count is known and 10, 21, … have 12. */
const zeroTakes = (folder: number): number => 2 + (folder % 11);
/** Folder 21 has twelve takes of "0", so its take names run past 9. */
const TWELVE_TAKES_FOLDER = 21;
/** The only folder with a recording of "3": a stereo 440 Hz tone at 48 kHz. */
const TONE_FOLDER = 5;
/** The only folder with a recording of "9", whose file is not a WAV. */
const BROKEN_FOLDER = 6;

const logical = (folder: number): number => AUDIO_MNIST_SPEAKER_FOLDERS.indexOf(folder) + 1;
const nn = (folder: number): string => String(folder).padStart(2, '0');

/** 16-bit PCM with two channels, written independently of encodeWav. */
function stereoWav(left: Float32Array, right: Float32Array, rate: number): Uint8Array {
  const view = new DataView(new ArrayBuffer(44 + 4 * left.length));
  const ascii = (at: number, text: string): void => [...text].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + 4 * left.length, true);
  ascii(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 2, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 4, true);
  view.setUint16(32, 4, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, 4 * left.length, true);
  for (let n = 0; n < left.length; n++) {
    view.setInt16(44 + 4 * n, Math.round(left[n]! * 32767), true);
    view.setInt16(46 + 4 * n, Math.round(right[n]! * 32767), true);
  }
  return new Uint8Array(view.buffer);
}

const sine = (amplitude: number, length: number): Float32Array => Float32Array.from({ length }, (_, n) => amplitude * Math.sin((2 * Math.PI * 440 * n) / 48000));

let base: string;
let data: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'audio-mnist-'));
  data = join(base, 'data');
  for (let folder = 1; folder <= 60; folder++) {
    const dir = join(data, nn(folder));
    mkdirSync(dir, { recursive: true });
    // Take k lasts (k + 1) · 48 samples at 48 kHz, so (k + 1) · 8 at 8 kHz tells which file was read.
    for (let k = 0; k < zeroTakes(folder); k++) writeFileSync(join(dir, `0_${nn(folder)}_${k}.wav`), encodeWav(new Float32Array((k + 1) * 48), 48000));
    // Names the reference's glob("0_*.wav") leaves out.
    writeFileSync(join(dir, `10_${nn(folder)}_0.wav`), encodeWav(new Float32Array(48), 48000));
    writeFileSync(join(dir, `0_${nn(folder)}_0.WAV`), '');
    writeFileSync(join(dir, 'notes.txt'), '');
  }
  writeFileSync(join(data, nn(TONE_FOLDER), `3_${nn(TONE_FOLDER)}_0.wav`), stereoWav(sine(0.6, 48000), sine(0.2, 48000), 48000));
  writeFileSync(join(data, nn(BROKEN_FOLDER), `9_${nn(BROKEN_FOLDER)}_0.wav`), 'not audio, just some text');
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('AudioMNIST speaker mapping (spec 5.1)', () => {
  it('puts the test speakers 52–60 in folders 1, 4, 10, 20, 40, 45, 48, 54, 56', () => {
    expect(new Set(TEST_SPEAKERS.map((k) => AUDIO_MNIST_SPEAKER_FOLDERS[k - 1]))).toEqual(new Set(TEST_FOLDERS));
  });

  it('never maps a training speaker to a test folder, and uses every folder once', () => {
    const training = TRAINING_SPEAKERS.map((k) => AUDIO_MNIST_SPEAKER_FOLDERS[k - 1]!);
    expect(training.filter((f) => TEST_FOLDERS.includes(f))).toEqual([]);
    expect([...AUDIO_MNIST_SPEAKER_FOLDERS].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });
});

describe('AudioMnistFolder', () => {
  it('accepts the data folder or the folder above it', () => {
    const source: SpeechSource = new AudioMnistFolder(base);
    expect(new AudioMnistFolder(base).root).toBe(data);
    expect(new AudioMnistFolder(data).root).toBe(data);
    expect([source.sampleRate, source.speakers]).toEqual([8000, 60]);
  });

  it("counts each logical speaker's takes in its mapped folder, without reading audio", () => {
    const source = new AudioMnistFolder(data);
    for (let k = 1; k <= 60; k++) expect(source.takes(0, k), `speaker ${k}`).toBe(zeroTakes(AUDIO_MNIST_SPEAKER_FOLDERS[k - 1]!));
    expect(source.takes(9, logical(BROKEN_FOLDER))).toBe(1);
    expect(source.takes(3, logical(TONE_FOLDER))).toBe(1);
    expect(source.takes(3, logical(BROKEN_FOLDER))).toBe(0);
  });

  it('orders takes as Python sorts paths: 10 and 11 before 2', () => {
    const source = new AudioMnistFolder(data);
    const speaker = logical(TWELVE_TAKES_FOLDER);
    const order = Array.from({ length: source.takes(0, speaker) }, (_, i) => source.recording(0, speaker, i).length / 8 - 1);
    expect(order).toEqual([0, 1, 10, 11, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('returns the channels averaged and resampled to 8 kHz', () => {
    const audio = new AudioMnistFolder(data).recording(3, logical(TONE_FOLDER), 0);
    expect(audio.length).toBe(8000);
    // (0.6 + 0.2) / 2 at 440 Hz; the 16-bit scaling (× 32767 in, ÷ 32768 out) adds under 3e-5.
    let worst = 0;
    for (let n = 64; n < 8000 - 64; n++) worst = Math.max(worst, Math.abs(audio[n]! - 0.4 * Math.sin((2 * Math.PI * 440 * n) / 8000)));
    expect(worst).toBeLessThan(1e-3);
  });

  it('reads each recording once', () => {
    const source = new AudioMnistFolder(data);
    const speaker = logical(TONE_FOLDER);
    const first = source.recording(0, speaker, 1);
    // Listed before the file goes, but with nothing read yet.
    const fresh = new AudioMnistFolder(data);
    expect(fresh.takes(0, speaker)).toBe(zeroTakes(TONE_FOLDER));
    const file = join(data, nn(TONE_FOLDER), `0_${nn(TONE_FOLDER)}_1.wav`);
    unlinkSync(file);
    try {
      expect(source.recording(0, speaker, 1)).toBe(first);
      expect(() => fresh.recording(0, speaker, 1)).toThrow(/AudioMnistFolder\.recording: .*0_05_1\.wav: ENOENT/);
    } finally {
      writeFileSync(file, encodeWav(new Float32Array(2 * 48), 48000));
    }
  });

  it('names the file when a recording is not a WAV', () => {
    expect(() => new AudioMnistFolder(data).recording(9, logical(BROKEN_FOLDER), 0)).toThrow(
      /AudioMnistFolder\.recording: .*06\/9_06_0\.wav: decodeWav: bytes 0–3 \(RIFF header\): expected the tag "RIFF", received "not "/,
    );
  });

  it('rejects bad digits, speakers and takes, naming them', () => {
    const source = new AudioMnistFolder(data);
    expect(() => source.takes(10, 1)).toThrow('AudioMnistFolder.takes: digit: expected an integer in [0, 9], received 10');
    expect(() => source.takes(1.5, 1)).toThrow('digit: expected an integer in [0, 9], received 1.5');
    expect(() => source.takes(0, 0)).toThrow('AudioMnistFolder.takes: speaker: expected a logical speaker, an integer in [1, 60], received 0');
    expect(() => source.recording(0, 61, 0)).toThrow('AudioMnistFolder.recording: speaker: expected a logical speaker, an integer in [1, 60], received 61');
    const speaker = logical(TWELVE_TAKES_FOLDER);
    expect(() => source.recording(0, speaker, 12)).toThrow(
      `AudioMnistFolder.recording: take: expected an integer in [0, 11] (logical speaker ${speaker} is folder 21, with 12 takes of digit 0), received 12`,
    );
    expect(() => source.recording(0, speaker, -1)).toThrow('take: expected an integer in [0, 11]');
    expect(() => source.recording(3, speaker, 0)).toThrow('take: expected none: it has no takes of this digit');
  });

  it('explains a missing root, a root without speaker folders and a missing speaker folder', () => {
    const empty = mkdtempSync(join(tmpdir(), 'audio-mnist-empty-'));
    try {
      expect(() => new AudioMnistFolder(join(empty, 'nowhere'))).toThrow(/AudioMnistFolder: root: expected an existing folder in the AudioMNIST layout NN\/d_NN_k\.wav .*nowhere", which is not a folder/);
      mkdirSync(join(empty, '61'));
      mkdirSync(join(empty, 'other'));
      writeFileSync(join(empty, '07'), '');
      expect(() => new AudioMnistFolder(empty)).toThrow(/AudioMnistFolder: root: expected a folder in the AudioMNIST layout .*, which holds no speaker folder 01\.\.60/);
      expect(() => new AudioMnistFolder('')).toThrow('AudioMnistFolder: root: expected the path of the AudioMNIST data folder, received ""');
      mkdirSync(join(empty, '01'));
      const partial = new AudioMnistFolder(empty);
      expect(partial.takes(0, logical(1))).toBe(0);
      expect(() => partial.takes(0, logical(2))).toThrow(/AudioMnistFolder: speaker folder ".*\/02": expected a folder in the AudioMNIST layout NN\/d_NN_k\.wav .*received nothing at that path/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
