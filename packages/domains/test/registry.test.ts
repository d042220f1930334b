import { describe, expect, it } from 'vitest';
import { createDomain, DigitCircle, domainNames, LatexOcr, isDomainName, type DomainName } from '../src/index.js';
import { imageSha } from './helpers.js';

describe('createDomain', () => {
  it('builds registered domains and rebuilds them from name and options', () => {
    expect(domainNames).toEqual(['digit-circle', 'latex-ocr', 'audio-mnist-sequence']);
    const small = createDomain('digit-circle', { size: 48, minRadius: 8, jitter: 1, maxDigits: 4 });
    expect(small).toBeInstanceOf(DigitCircle);
    expect(createDomain('latex-ocr', { noise: 0 })).toBeInstanceOf(LatexOcr);
    const copy = createDomain(small.name as DomainName, JSON.parse(JSON.stringify(small.options)));
    expect(imageSha(copy.sample(5, 7))).toBe(imageSha(small.sample(5, 7)));
  });
  it('names an unknown domain and the known ones', () => {
    expect(isDomainName('digit-circle')).toBe(true);
    expect(isDomainName('toString')).toBe(false);
    expect(() => createDomain('mnist' as DomainName)).toThrow(`createDomain: name: expected one of 'digit-circle', 'latex-ocr', 'audio-mnist-sequence', received "mnist"`);
  });
});
