import { describe, expect, it } from 'vitest';
import * as random from '../src/index.js';

describe('public API', () => {
  it('exports exactly these runtime values (a change here is an API change)', () => {
    expect(Object.fromEntries(Object.entries(random).map(([k, v]) => [k, typeof v]))).toEqual({
      RandomState: 'function',
      computeSeed: 'function',
    });
  });
});
