import { fail } from '@sparling/errors';
import { unitHash } from './internal/hash.js';

/**
 * One synthetic speaker: the espeak-ng voice and the settings every one of its recordings starts
 * from (each take then jitters speed, pitch and pitch range slightly, see `renderSyntheticSpeech`).
 */
export interface SpeakerVoice {
  /** Logical speaker, 1-based; its recordings go to folder `NN` (two digits). */
  speaker: number;
  /** espeak-ng language voice (accent), e.g. `en-gb-scotland`: `-v voice+variant`. */
  voice: string;
  /** espeak-ng voice variant (timbre), e.g. `m3`, `f2`, `croak`: `-v voice+variant`. */
  variant: string;
  /** Base pitch, espeak-ng `-p` (0–99, default 50): 20–80 here. */
  pitch: number;
  /** Pitch range, espeak-ng `-P` (0–99, default 50; small is monotone): 30–70 here. */
  pitchRange: number;
  /** Speed in words per minute, espeak-ng `-s`: 120–190 here. */
  speed: number;
  /** Amplitude, espeak-ng `-a` (0–200, default 100): 60–90 here, so that no recording clips. */
  amplitude: number;
}

/**
 * The English accents of the espeak-ng@1.0.2 wasm build (`espeak-ng --voices=en`, less the
 * mbrola voices, which this build cannot play).
 */
export const ACCENTS: readonly string[] = Object.freeze([
  'en-us',
  'en-gb',
  'en-gb-x-rp',
  'en-gb-scotland',
  'en-gb-x-gbclan',
  'en-gb-x-gbcwmd',
  'en-029',
  'en-us-nyc',
]);

/**
 * Voice variants (`espeak-ng-data/voices/!v`) that change the sound in this build and stay clear of
 * clipping. Left out: the klatt ones (`klatt*`, `Reed`, `adam`, `edward`, `robosoft*`, … — this build
 * has no Klatt synthesiser, so they fall back to the default voice or print `Bad voice attribute:
 * klatt`), `Mr`, `serious` and `fast` (identical to no variant), robots and effects (`Demonic`,
 * `UniRobot`, `whisper*`, `RicishayMax*`), variants that clip at amplitude 100 (`Gene`, `Jacky`,
 * `Storm`, `iven`, `paul`, …), a child voice (`zac`) and two odd filters (`Hugo`, `ian`). 47 (a
 * prime), so speaker i's (accent, variant) pair, (i mod 8, 19·i mod 47), is unique for 376 speakers.
 */
export const VARIANTS: readonly string[] = Object.freeze([
  'Alex', 'Alicia', 'Andrea', 'Annie', 'Denis', 'Diogo', 'Henrique', 'Lee', 'Mario', 'Michael', 'Mike', 'Nguyen',
  'anika', 'aunty', 'belinda', 'boris', 'croak', 'f1', 'f2', 'f3', 'f4', 'f5', 'grandma', 'grandpa', 'iven3',
  'iven4', 'kaukovalta', 'linda', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'marcelo', 'max', 'michel',
  'miguel', 'norbert', 'quincy', 'rob', 'robert', 'shelby', 'steph', 'victor',
]);

/** The most speakers: folder names have two digits (`01`..`99`). */
export const MAX_SPEAKERS = 99;

const between = (u: number, low: number, high: number): number => low + Math.floor(u * (high - low + 1));

/** Speaker `speaker`'s voice; it does not depend on how many speakers are rendered. */
export function speakerVoice(speaker: number): SpeakerVoice {
  const i = speaker - 1;
  return {
    speaker,
    voice: ACCENTS[i % ACCENTS.length]!,
    variant: VARIANTS[(19 * i) % VARIANTS.length]!,
    pitch: between(unitHash(speaker, 1), 20, 80),
    pitchRange: between(unitHash(speaker, 2), 30, 70),
    speed: between(unitHash(speaker, 3), 120, 190),
    amplitude: between(unitHash(speaker, 4), 60, 90),
  };
}

/**
 * The voices of synthetic speakers 1..count: accent, variant, pitch, pitch range, speed and
 * amplitude, all fixed functions of the speaker number (no randomness), so speaker 7 is the same
 * voice whatever `count` is. Every speaker has its own (accent, variant) pair.
 *
 * @param count - an integer from 1 to 99; default 60, AudioMNIST's number of speakers.
 * @example
 * ```ts
 * speakerVoices(2);
 * // [{ speaker: 1, voice: 'en-us', variant: 'Alex', pitch: 65, pitchRange: 35, speed: 181, amplitude: 70 },
 * //  { speaker: 2, voice: 'en-gb', variant: 'f3', pitch: 47, pitchRange: 39, speed: 158, amplitude: 69 }]
 * ```
 */
export function speakerVoices(count = 60): SpeakerVoice[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SPEAKERS) {
    fail('speakerVoices', 'count', `an integer from 1 to ${MAX_SPEAKERS}`, count);
  }
  return Array.from({ length: count }, (_, i) => speakerVoice(i + 1));
}
