/**
 * A value that does not have the shape a metrics function expects. The message names the
 * function (when there is one), the path of the offending value, what was expected and what
 * was received, e.g. `items[3].activations[0].position[1]: expected an integer in [0, 100),
 * received 100`.
 *
 * @example
 * ```ts
 * try {
 *   parseMetricsInput({ items: [{ shape: [8] }] });
 * } catch (err) {
 *   if (err instanceof MotifInputError) console.error(err.path); // "items[0].channels"
 * }
 * ```
 */
export class MotifInputError extends Error {
  override readonly name = 'MotifInputError';
  /** JSON-style path of the first problem, e.g. `items[3].motifs[0].footprint.end`. */
  readonly path: string;

  constructor(path: string, problem: string, where?: string) {
    super(`${where ? `${where}: ` : ''}${path}: ${problem}`);
    this.path = path;
  }
}

/** Short, readable rendering of a received value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Throws a {@link MotifInputError} saying what was expected at `path` and what was received. */
export function fail(path: string, expected: string, received: unknown, where?: string): never {
  throw new MotifInputError(path, `expected ${expected}, received ${describeValue(received)}`, where);
}
