import { describe, expect, it } from 'vitest';
import { describeValue, fail, failText } from '../src/index.js';

describe('describeValue', () => {
  it('renders each kind of value briefly', () => {
    expect(describeValue(undefined)).toBe('nothing');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(Number.NaN)).toBe('NaN');
    expect(describeValue(-2.5)).toBe('-2.5');
    expect(describeValue('abc')).toBe('"abc"');
    expect(describeValue('x'.repeat(50))).toBe(`"${'x'.repeat(40)}…"`);
    expect(describeValue(true)).toBe('true');
    expect(describeValue(12n)).toBe('12n');
    expect(describeValue([1, 2, 3])).toBe('an array of length 3');
    expect(describeValue(new Float32Array(2))).toBe('a Float32Array');
    expect(describeValue({ a: 1 })).toBe('an object');
    expect(describeValue(() => 1)).toBe('a function');
  });
});

describe('fail / failText', () => {
  it('throws a RangeError naming where, what, the expectation and the value', () => {
    expect(() => fail('f', 'x', 'a positive number', -1)).toThrow(new RangeError('f: x: expected a positive number, received -1'));
    expect(() => failText('f', 'high - low', 'at most 2^53', '2^60')).toThrow(new RangeError('f: high - low: expected at most 2^53, received 2^60'));
  });
});
