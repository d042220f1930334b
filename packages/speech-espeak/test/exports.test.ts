import { describe, expect, it } from 'vitest';
import * as speech from '../src/index.js';

describe('public API', () => {
  it('exports exactly these runtime values (a change here is an API change)', () => {
    expect(Object.fromEntries(Object.entries(speech).map(([k, v]) => [k, typeof v]))).toEqual({
      defaultSpeechCache: 'function',
      renderSyntheticSpeech: 'function',
      speakerVoices: 'function',
    });
  });
});
