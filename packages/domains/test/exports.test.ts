import { describe, expect, it } from 'vitest';
import * as domains from '../src/index.js';

describe('public API', () => {
  it('exports exactly these runtime values (a change here is an API change)', () => {
    expect(Object.fromEntries(Object.entries(domains).map(([k, v]) => [k, typeof v]))).toEqual({
      AUDIO_MNIST_SPEAKER_FOLDERS: 'object',
      AudioMnistFolder: 'function',
      AudioMnistSequence: 'function',
      DIGIT_STAMPS: 'object',
      DigitCircle: 'function',
      END_TOKEN: 'string',
      FRACTION_BAR: 'string',
      LATEX_MOTIF_CHANNELS: 'number',
      LATEX_MOTIF_SYMBOLS: 'object',
      LATEX_VOCABULARY: 'object',
      LatexOcr: 'function',
      MAX_EXPRESSION_TOKENS: 'number',
      START_TOKEN: 'string',
      TEST_SPEAKERS: 'object',
      TRAINING_SPEAKERS: 'object',
      batches: 'function',
      createDomain: 'function',
      decodeWav: 'function',
      domainNames: 'object',
      encodeWav: 'function',
      isDomainName: 'function',
      latexGlyphBoxes: 'function',
      latexSvg: 'function',
      latexToken: 'function',
      melSpectrogram: 'function',
      melSpectrogramShape: 'function',
      renderLatex: 'function',
      renderSample: 'function',
      renderSpectrogram: 'function',
      resample: 'function',
      sampleLatexExpression: 'function',
      writeSamplePng: 'function',
      writeSpectrogramPng: 'function',
    });
  });
});
