import { describe, expect, it } from 'vitest';
import * as raster from '../src/index.js';

describe('public API', () => {
  it('exports exactly these runtime values (a change here is an API change)', () => {
    expect(Object.fromEntries(Object.entries(raster).map(([k, v]) => [k, typeof v]))).toEqual({
      RgbImage: 'function',
      encodePng: 'function',
      mixColors: 'function',
      parseColor: 'function',
      textSize: 'function',
      writePng: 'function',
    });
  });
});
