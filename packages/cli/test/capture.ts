import type { CliIo } from '../src/index.js';

/** A non-interactive CliIo that keeps what a command prints, for the tests to read. */
export function capture(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', interactive: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}
