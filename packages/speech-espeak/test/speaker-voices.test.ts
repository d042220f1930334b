import { describe, expect, it } from 'vitest';
import { speakerVoices } from '../src/index.js';

describe('speakerVoices', () => {
  const voices = speakerVoices();

  it('gives 60 speakers by default, numbered 1..60', () => {
    expect(voices.map((v) => v.speaker)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('gives every speaker its own (accent, variant) pair, also for 99 speakers', () => {
    const pairs = speakerVoices(99).map((v) => `${v.voice}+${v.variant}`);
    expect(new Set(pairs).size).toBe(99);
  });

  it('keeps every setting in its documented range', () => {
    for (const v of speakerVoices(99)) {
      expect(v.pitch).toBeGreaterThanOrEqual(20);
      expect(v.pitch).toBeLessThanOrEqual(80);
      expect(v.pitchRange).toBeGreaterThanOrEqual(30);
      expect(v.pitchRange).toBeLessThanOrEqual(70);
      expect(v.speed).toBeGreaterThanOrEqual(120);
      expect(v.speed).toBeLessThanOrEqual(190);
      expect(v.amplitude).toBeGreaterThanOrEqual(60);
      expect(v.amplitude).toBeLessThanOrEqual(90);
    }
  });

  it('spreads the settings: many distinct pitches and speeds, all eight accents, female and male variants', () => {
    expect(new Set(voices.map((v) => v.pitch)).size).toBeGreaterThan(30);
    expect(new Set(voices.map((v) => v.speed)).size).toBeGreaterThan(30);
    expect(new Set(voices.map((v) => v.voice)).size).toBe(8);
    expect(new Set(voices.map((v) => v.variant)).size).toBe(47);
    expect(voices.some((v) => /^f\d$/.test(v.variant))).toBe(true);
    expect(voices.some((v) => /^m\d$/.test(v.variant))).toBe(true);
  });

  it('is a fixed function of the speaker number: the same every call, whatever the count', () => {
    expect(speakerVoices()).toEqual(voices);
    expect(speakerVoices(2)).toEqual(voices.slice(0, 2));
    expect(speakerVoices(99).slice(0, 60)).toEqual(voices);
    // Pinned, so that a change to the voice table (which changes the audio) is seen in review.
    expect(speakerVoices(2)).toEqual([
      { speaker: 1, voice: 'en-us', variant: 'Alex', pitch: 65, pitchRange: 35, speed: 181, amplitude: 70 },
      { speaker: 2, voice: 'en-gb', variant: 'f3', pitch: 47, pitchRange: 39, speed: 158, amplitude: 69 },
    ]);
  });

  it.each([0, 100, 2.5, Number.NaN, '3'])('rejects count %s, naming it', (count) => {
    expect(() => speakerVoices(count as number)).toThrow(/^speakerVoices: count: expected an integer from 1 to 99, received /);
  });
});
