import { UsageError } from './io.js';

/** Parses a flag value as a finite number, naming the flag in the error. */
export function parseNumberFlag(flag: string, value: string | undefined, opts: { integer?: boolean; min?: number; max?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const kind = opts.integer ? 'an integer' : 'a number';
  if (value.trim() === '' || !Number.isFinite(n) || (opts.integer && !Number.isInteger(n))) {
    throw new UsageError(`--${flag}: expected ${kind}, received ${JSON.stringify(value)}`);
  }
  if (opts.min !== undefined && n < opts.min) throw new UsageError(`--${flag}: expected ${kind} >= ${opts.min}, received ${value}`);
  if (opts.max !== undefined && n > opts.max) throw new UsageError(`--${flag}: expected ${kind} <= ${opts.max}, received ${value}`);
  return n;
}
