/**
 * The models package's argument checks, worded by `@sparling/errors`
 * (`where: what: expected …, received …`). Kept as a thin adapter because the building blocks
 * call `invalid(what, received, expected)` with `what` as "Where: argument" or a config path.
 */
import { describeValue, failText } from '@sparling/errors';

/** Short arrays of numbers or strings (shapes, small vocabularies) are shown in full. */
function render(value: unknown): string {
  if (Array.isArray(value) && value.length <= 16 && value.every((v) => typeof v === 'number' || typeof v === 'string')) {
    return `[${value.map((v) => describeValue(v)).join(', ')}]`;
  }
  return describeValue(value);
}

/**
 * Throws a RangeError naming the argument, the value received and what was expected:
 * `invalid('loss: argument "labels"', …)` → `loss: argument "labels": expected …, received …`;
 * a bare config path (`config.post.heads`) is reported under `@sparling/models`.
 */
export function invalid(what: string, received: unknown, expected: string): never {
  const split = what.indexOf(': ');
  const where = split === -1 ? '@sparling/models' : what.slice(0, split);
  return failText(where, split === -1 ? what : what.slice(split + 2), expected, render(received));
}

/** Checks that `value` is an integer in [min, max]; returns it. */
export function checkInteger(what: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    invalid(what, value, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`);
  }
  return value;
}
