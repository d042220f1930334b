import { UsageError } from './io.js';

/** The one positional argument a command takes; otherwise a usage error naming `what` and what came. */
export function onePositional(positionals: readonly string[], what: string): string {
  if (positionals.length !== 1) {
    throw new UsageError(`expected exactly one ${what}, received ${positionals.length === 0 ? 'none' : positionals.map((p) => JSON.stringify(p)).join(' ')}`);
  }
  return positionals[0] as string;
}

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
