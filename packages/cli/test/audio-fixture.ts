import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '@sparling/domains';

const RATE = 8000;

/**
 * The length of every take in AudioMNIST folder `folder`, in samples: 0.2-0.35 s, different for
 * each folder and take, so a placement's length says which folder (and so which logical speaker)
 * the domain read.
 */
export function fixtureLength(folder: number, take: number): number {
  return 1600 + 20 * folder + 5 * take;
}

/** Takes per digit in folder `folder`: 1 or 2, so speakers differ in that too. */
export function fixtureTakes(folder: number): number {
  return 1 + (folder % 2);
}

/**
 * Writes a tiny AudioMNIST layout into `root`: speaker folders 01..60, every digit 0-9, 1-2 takes
 * each (`NN/{digit}_{NN}_{take}.wav` at 8 kHz): a chirp from 300 + 250·digit Hz up by 400 Hz,
 * faded in and out, about 5 MB in all.
 */
export function writeAudioMnistFixture(root: string): string {
  for (let folder = 1; folder <= 60; folder++) {
    const nn = String(folder).padStart(2, '0');
    mkdirSync(join(root, nn), { recursive: true });
    for (let digit = 0; digit < 10; digit++) {
      for (let take = 0; take < fixtureTakes(folder); take++) {
        const n = fixtureLength(folder, take);
        const clip = new Float32Array(n);
        let phase = 0;
        for (let k = 0; k < n; k++) {
          const hz = 300 + 250 * digit + (400 * k) / n;
          phase += (2 * Math.PI * hz) / RATE;
          clip[k] = 0.5 * Math.sin(Math.PI * (k / n)) * Math.sin(phase);
        }
        writeFileSync(join(root, nn, `${digit}_${nn}_${take}.wav`), encodeWav(clip, RATE));
      }
    }
  }
  return root;
}
