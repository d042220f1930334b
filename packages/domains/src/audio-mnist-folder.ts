import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fail, failText } from '@sparling/errors';
import { RandomState } from '@sparling/random';
import { resample } from './resample.js';
import type { SpeechSource } from './speech-source.js';
import { decodeWav } from './wav.js';

const SPEAKERS = 60;
const SAMPLE_RATE = 8000;
const LAYOUT = 'the AudioMNIST layout NN/d_NN_k.wav (speaker folders 01..60 holding digit d, take k)';

/**
 * The AudioMNIST folder (1..60) of each logical speaker: entry k − 1 is logical speaker k's
 * folder. As the reference's `samples.py`, it is `[1..60]` shuffled by numpy
 * `RandomState(0).shuffle`, so logical speakers 52–60, the test set, are folders
 * 20, 10, 40, 56, 4, 1, 54, 48, 45.
 *
 * @example
 * ```ts
 * AUDIO_MNIST_SPEAKER_FOLDERS[52 - 1]; // 20: logical speaker 52 is AudioMNIST folder "20"
 * ```
 */
export const AUDIO_MNIST_SPEAKER_FOLDERS: readonly number[] = Object.freeze(
  new RandomState(0).shuffle(Array.from({ length: SPEAKERS }, (_, i) => i + 1)),
);

function folderName(folder: number): string {
  return String(folder).padStart(2, '0');
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A {@link SpeechSource} reading the AudioMNIST recordings from disk as the reference does:
 * logical speaker k is folder {@link AUDIO_MNIST_SPEAKER_FOLDERS}[k − 1]; the takes of a
 * digit are the folder's `{digit}_*.wav` files sorted as Python sorts path strings (so
 * `0_05_10.wav` precedes `0_05_2.wav`); a recording is averaged to mono and resampled to
 * 8 kHz (as `librosa.load(path, sr=8000)`, with this package's {@link resample}).
 *
 * Each speaker folder is listed once, on first use. Each recording is decoded once and kept
 * in memory, since clips draw the same recordings many times: about 20 kB per take, 0.6 GB
 * for all 30,000. The arrays returned are those kept, so callers must not modify them.
 *
 * @example
 * ```ts
 * const source = new AudioMnistFolder('/data/AudioMNIST'); // or '/data/AudioMNIST/data'
 * source.takes(7, 3); // 50
 * const audio = source.recording(7, 3, 0); // Float32Array at 8 kHz
 * ```
 */
export class AudioMnistFolder implements SpeechSource {
  readonly sampleRate = SAMPLE_RATE;
  readonly speakers = SPEAKERS;
  /** The absolute path of the folder holding the speaker folders 01..60. */
  readonly root: string;
  /** Per speaker folder: per digit, the take file names in the reference's order. */
  private readonly listings = new Map<number, readonly (readonly string[])[]>();
  private readonly recordings = new Map<string, Float32Array>();

  /**
   * @param root - AudioMNIST's `data` folder (holding `01`..`60`), or the folder above it.
   */
  constructor(root: string) {
    const where = 'AudioMnistFolder';
    if (typeof root !== 'string' || root === '') fail(where, 'root', 'the path of the AudioMNIST data folder', root);
    let folder = resolve(root);
    if (!isDirectory(folder)) failText(where, 'root', `an existing folder in ${LAYOUT}`, `${JSON.stringify(folder)}, which is not a folder`);
    if (isDirectory(join(folder, 'data', '01'))) folder = join(folder, 'data');
    const speakerFolders = readdirSync(folder).filter((name) => /^\d\d$/.test(name) && Number(name) >= 1 && Number(name) <= SPEAKERS);
    if (!speakerFolders.some((name) => isDirectory(join(folder, name)))) {
      failText(where, 'root', `a folder in ${LAYOUT}`, `${JSON.stringify(folder)}, which holds no speaker folder 01..60`);
    }
    this.root = folder;
  }

  takes(digit: number, speaker: number): number {
    checkDigitSpeaker('AudioMnistFolder.takes', digit, speaker);
    return this.listing(AUDIO_MNIST_SPEAKER_FOLDERS[speaker - 1]!)[digit]!.length;
  }

  recording(digit: number, speaker: number, take: number): Float32Array {
    const where = 'AudioMnistFolder.recording';
    checkDigitSpeaker(where, digit, speaker);
    const folder = AUDIO_MNIST_SPEAKER_FOLDERS[speaker - 1]!;
    const files = this.listing(folder)[digit]!;
    if (!Number.isInteger(take) || take < 0 || take >= files.length) {
      const range = files.length === 0 ? 'none: it has no takes of this digit' : `an integer in [0, ${files.length - 1}]`;
      fail(where, 'take', `${range} (logical speaker ${speaker} is folder ${folderName(folder)}, with ${files.length} takes of digit ${digit})`, take);
    }
    const path = join(this.root, folderName(folder), files[take]!);
    let audio = this.recordings.get(path);
    if (audio === undefined) {
      let wav;
      try {
        wav = decodeWav(readFileSync(path));
      } catch (error) {
        throw new RangeError(`${where}: ${path}: ${(error as Error).message}`, { cause: error });
      }
      audio = resample(wav.samples, wav.sampleRate, SAMPLE_RATE);
      this.recordings.set(path, audio);
    }
    return audio;
  }

  private listing(folder: number): readonly (readonly string[])[] {
    let byDigit = this.listings.get(folder);
    if (byDigit === undefined) {
      const path = join(this.root, folderName(folder));
      // A missing speaker would otherwise look like one with no takes, and fail far from here.
      if (!isDirectory(path)) {
        failText('AudioMnistFolder', `speaker folder ${JSON.stringify(path)}`, `a folder in ${LAYOUT}`, 'nothing at that path');
      }
      const names = readdirSync(path);
      // The reference's glob(f"{folder}/{digit}_*.wav"), sorted as Python sorts the paths;
      // they share the folder prefix, so sorting the names by code unit is the same.
      byDigit = Array.from({ length: 10 }, (_, digit) =>
        Object.freeze(names.filter((name) => name.startsWith(`${digit}_`) && name.endsWith('.wav')).sort()),
      );
      this.listings.set(folder, byDigit);
    }
    return byDigit;
  }
}

function checkDigitSpeaker(where: string, digit: number, speaker: number): void {
  if (!Number.isInteger(digit) || digit < 0 || digit > 9) fail(where, 'digit', 'an integer in [0, 9]', digit);
  if (!Number.isInteger(speaker) || speaker < 1 || speaker > SPEAKERS) fail(where, 'speaker', `a logical speaker, an integer in [1, ${SPEAKERS}]`, speaker);
}
