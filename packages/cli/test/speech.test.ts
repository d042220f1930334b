import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../src/io.js';
import { resolveDomainOptions, type SpeechLoader } from '../src/speech.js';
import { capture } from './capture.js';

/** A loader that must not be called: the speech package is only for audio without a speech path. */
const unused: SpeechLoader = () => Promise.reject(new Error('the speech package was loaded'));

const missing: SpeechLoader = () => Promise.reject(new Error("Cannot find package '@sparling/speech-espeak' imported from cli"));

describe('resolveDomainOptions', () => {
  it('returns other domains\' options unchanged', async () => {
    const options = { size: 48 };
    const io = capture();
    expect(await resolveDomainOptions('digit-circle', options, io, unused)).toBe(options);
    expect(await resolveDomainOptions('latex-ocr', {}, io, unused)).toEqual({});
    expect(io.err).toBe('');
  });

  it('makes a given speech folder absolute, so run.json rebuilds the domain from any folder', async () => {
    const io = capture();
    expect(await resolveDomainOptions('audio-mnist-sequence', { speech: 'data/AudioMNIST', noise: -100 }, io, unused)).toEqual({ speech: resolve('data/AudioMNIST'), noise: -100 });
    // Not a path: left for the domain, whose error names options.speech.
    expect(await resolveDomainOptions('audio-mnist-sequence', { speech: 5 }, io, unused)).toEqual({ speech: 5 });
    expect(io.err).toBe('');
  });

  it('says how to get speech when none is given and @sparling/speech-espeak cannot be loaded', async () => {
    for (const options of [{}, { speech: null }]) {
      const error = await resolveDomainOptions('audio-mnist-sequence', options, capture(), missing).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      const message = (error as Error).message;
      expect(message).toContain('install @sparling/speech-espeak (GPL-3.0)');
      expect(message).toContain(`--domain-options '{"speech":"/path/to/AudioMNIST/data"}'`);
      expect(message).toContain("Cannot find package '@sparling/speech-espeak'");
    }
  });

  describe('with the real @sparling/speech-espeak', () => {
    const saved = process.env.SPARLING_SPEECH_CACHE;
    afterEach(() => {
      if (saved === undefined) delete process.env.SPARLING_SPEECH_CACHE;
      else process.env.SPARLING_SPEECH_CACHE = saved;
    });

    /**
     * The full render takes about 45 s. The renderer keeps files that exist and writes the rest,
     * so the cache here holds empty placeholders for all 3,000 recordings but two, and no
     * manifest: the package renders the two (under a second), writes its manifest and returns the
     * folder, exactly as on a first run. A timeout fails the test should it render them all.
     */
    it('renders the missing speech into SPARLING_SPEECH_CACHE with a progress bar, then reuses it', { timeout: 20_000 }, async () => {
      const cache = mkdtempSync(join(tmpdir(), 'cli-speech-cache-'));
      try {
        const rendered = [join(cache, '60', '9_60_3.wav'), join(cache, '60', '9_60_4.wav')];
        for (let speaker = 1; speaker <= 60; speaker++) {
          const nn = String(speaker).padStart(2, '0');
          mkdirSync(join(cache, nn));
          for (let digit = 0; digit < 10; digit++) {
            for (let take = 0; take < 5; take++) {
              const file = join(cache, nn, `${digit}_${nn}_${take}.wav`);
              if (!rendered.includes(file)) writeFileSync(file, '');
            }
          }
        }
        process.env.SPARLING_SPEECH_CACHE = cache;
        const io = capture();
        expect(await resolveDomainOptions('audio-mnist-sequence', { noise: -100 }, io)).toEqual({ noise: -100, speech: cache });
        expect(io.err).toContain(`rendering the built-in synthetic speech once (3000 recordings by @sparling/speech-espeak) into ${cache}\n`);
        expect(io.err).toMatch(/speech \[#{24}\] 3000\/3000 .* files\/s/);
        for (const file of rendered) {
          expect(statSync(file).size, file).toBeGreaterThan(44);
          expect(readFileSync(file).subarray(0, 4).toString('latin1')).toBe('RIFF');
        }
        expect(existsSync(join(cache, 'manifest.json'))).toBe(true);

        const again = capture();
        expect(await resolveDomainOptions('audio-mnist-sequence', {}, again)).toEqual({ speech: cache });
        expect(again.err).toBe('');
      } finally {
        rmSync(cache, { recursive: true, force: true });
      }
    });
  });
});
