import type { Command } from './command.js';
import { commands } from './commands/index.js';
import { processIo, UsageError, type CliIo } from './io.js';

function helpText(list: readonly Command[]): string {
  const width = Math.max(...list.map((c) => c.name.length));
  const rows = list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `usage: sparling <command> [options]\n\ncommands:\n${rows}\n\nRun 'sparling <command> --help' for a command's options.\n`;
}

/**
 * Runs the sparling command line with the given arguments (without `node` and the script)
 * and returns the exit code: 0 success, 1 failure, 2 bad usage.
 */
export async function main(argv: readonly string[], io: CliIo = processIo, list: readonly Command[] = commands): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText(list));
    return name === undefined ? 2 : 0;
  }
  const command = list.find((c) => c.name === name);
  if (!command) {
    io.stderr(`sparling: unknown command ${JSON.stringify(name)}; expected one of ${list.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`sparling ${command.name}: ${err.message}\n${command.usage.split('\n')[0]}\n`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`sparling ${command.name}: ${message}\n`);
    return 1;
  }
}
