import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSpeechCache } from '../src/index.js';

const saved = { SPARLING_SPEECH_CACHE: process.env.SPARLING_SPEECH_CACHE, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME };
afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('defaultSpeechCache', () => {
  it('is ~/.cache/sparling/speech-espeak-v1 without either variable', () => {
    delete process.env.SPARLING_SPEECH_CACHE;
    delete process.env.XDG_CACHE_HOME;
    expect(defaultSpeechCache()).toBe(join(homedir(), '.cache', 'sparling', 'speech-espeak-v1'));
  });

  it('follows an absolute XDG_CACHE_HOME, and ignores a relative one (XDG spec)', () => {
    delete process.env.SPARLING_SPEECH_CACHE;
    process.env.XDG_CACHE_HOME = '/var/cache/me';
    expect(defaultSpeechCache()).toBe(join('/var/cache/me', 'sparling', 'speech-espeak-v1'));
    process.env.XDG_CACHE_HOME = 'relative/cache';
    expect(defaultSpeechCache()).toBe(join(homedir(), '.cache', 'sparling', 'speech-espeak-v1'));
  });

  it('is SPARLING_SPEECH_CACHE (made absolute) when set, before XDG_CACHE_HOME', () => {
    process.env.XDG_CACHE_HOME = '/var/cache/me';
    process.env.SPARLING_SPEECH_CACHE = '/data/speech';
    expect(defaultSpeechCache()).toBe('/data/speech');
    process.env.SPARLING_SPEECH_CACHE = 'speech';
    expect(defaultSpeechCache()).toBe(resolve('speech'));
  });
});
