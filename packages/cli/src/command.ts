import type { CliIo } from './io.js';

/** One `sparling <name>` sub-command. */
export interface Command {
  readonly name: string;
  /** One line for `sparling --help`. */
  readonly summary: string;
  /** Full usage text for `sparling <name> --help`. */
  readonly usage: string;
  /** Returns the process exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
