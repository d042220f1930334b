import { describeValue } from '@sparling/errors';

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

/** Throws a {@link MotifInputError} saying what was expected at `path` and what was received. */
export function fail(path: string, expected: string, received: unknown, where?: string): never {
  throw new MotifInputError(path, `expected ${expected}, received ${describeValue(received)}`, where);
}
