/**
 * Helpers that build actionable error messages: each names the function or
 * option, shows the value received and says what was expected.
 */

/** Renders a received value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === 'number') {
    return Number.isNaN(value) ? 'NaN' : String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `array of length ${value.length}`;
  if (typeof value === 'function') return 'a function';
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return typeof value;
  }
}

/** Throws a `RangeError` or `TypeError` naming `where` (e.g. `SpatialSparsity: option "density"`). */
export function invalid(where: string, received: unknown, expected: string): never {
  const message = `${where} must be ${expected}; received ${describe(received)}.`;
  if (typeof received === 'number') throw new RangeError(message);
  throw new TypeError(message);
}

/** Checks that `value` is a finite number. */
export function checkFinite(where: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(where, value, 'a finite number');
  return value;
}

/** Checks `low < value <= high` (or `low <= value` when `lowInclusive`). */
export function checkInRange(
  where: string,
  value: unknown,
  low: number,
  high: number,
  lowInclusive: boolean,
): number {
  const bounds = `a number with ${low} ${lowInclusive ? '<=' : '<'} value <= ${high}`;
  if (typeof value !== 'number' || Number.isNaN(value)) invalid(where, value, bounds);
  const lowOk = lowInclusive ? value >= low : value > low;
  if (!lowOk || value > high) invalid(where, value, bounds);
  return value;
}

/** Checks that `value` is an integer >= `min`. */
export function checkInteger(where: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    invalid(where, value, `an integer >= ${min}`);
  }
  return value;
}
