/**
 * Where AudioMNISTSequence gets its spoken digits: 60 logical speakers (1–60) saying the digits
 * 0–9, several takes each, as mono 8 kHz samples in [−1, 1]. The reference's split is
 * speakers 1–51 for training and validation, 52–60 for testing (spec 5.1).
 *
 * @example
 * ```ts
 * const source: SpeechSource = new AudioMnistFolder('/data/AudioMNIST/data');
 * source.takes(7, 3); // 50: logical speaker 3's recordings of "seven"
 * source.recording(7, 3, 0); // Float32Array at 8 kHz
 * ```
 */
export interface SpeechSource {
  /** Sample rate of every recording: 8,000 Hz, the reference's `librosa.load(sr=8000)`. */
  readonly sampleRate: number;
  /** Logical speakers, numbered 1..speakers (60 for AudioMNIST). */
  readonly speakers: number;
  /** How many takes logical `speaker` recorded of `digit`, in the reference's order (sorted paths). */
  takes(digit: number, speaker: number): number;
  /** Take `take` (0-based, in that order) of `digit` by logical `speaker`: mono samples in [−1, 1]. */
  recording(digit: number, speaker: number, take: number): Float32Array;
}

/** The reference's training and validation speakers (logical 1–51). */
export const TRAINING_SPEAKERS: readonly number[] = Object.freeze(Array.from({ length: 51 }, (_, i) => i + 1));

/** The reference's test speakers (logical 52–60), never heard in training. */
export const TEST_SPEAKERS: readonly number[] = Object.freeze(Array.from({ length: 9 }, (_, i) => i + 52));
