import { describe, expect, it } from 'vitest';
import * as domains from '../src/index.js';

describe('public API', () => {
  it('exports exactly these runtime values (a change here is an API change)', () => {
    expect(Object.fromEntries(Object.entries(domains).map(([k, v]) => [k, typeof v]))).toEqual({
      DIGIT_STAMPS: 'object',
      DigitCircle: 'function',
      END_TOKEN: 'string',
      START_TOKEN: 'string',
      batches: 'function',
      createDomain: 'function',
      domainNames: 'object',
      isDomainName: 'function',
      renderSample: 'function',
      writeSamplePng: 'function',
    });
  });
});
