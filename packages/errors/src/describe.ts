/**
 * Renders a received value for an error message: short, and never the whole of a large input.
 *
 * @example
 * ```ts
 * describeValue('abc'); // '"abc"'
 * describeValue([1, 2, 3]); // 'an array of length 3'
 * describeValue(new Float32Array(4)); // 'a Float32Array'
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Throws a RangeError `where: what: expected …, received …`, describing the received value.
 *
 * @example
 * ```ts
 * fail('RandomState.randint', 'high', 'a safe integer greater than low (3)', 2);
 * // RangeError: RandomState.randint: high: expected a safe integer greater than low (3), received 2
 * ```
 */
export function fail(where: string, what: string, expected: string, received: unknown): never {
  return failText(where, what, expected, describeValue(received));
}

/**
 * As {@link fail}, with the received part already written out (for values that need context,
 * such as a difference of two arguments).
 *
 * @example
 * ```ts
 * failText('RandomState.randint', 'high - low', 'at most 2^53', '2^60');
 * ```
 */
export function failText(where: string, what: string, expected: string, received: string): never {
  throw new RangeError(`${where}: ${what}: expected ${expected}, received ${received}`);
}
