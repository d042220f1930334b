import { renderSyntheticSpeech } from './render-synthetic-speech.js';

const USAGE = `Usage: sparling-speech render [--root DIR] [--speakers N] [--takes K]

Renders the synthetic spoken digits (eSpeak NG, GPL-3.0-or-later) once into DIR and prints DIR.
  --root DIR      default $SPARLING_SPEECH_CACHE, else $XDG_CACHE_HOME/sparling/speech-espeak-v1,
                  else ~/.cache/sparling/speech-espeak-v1
  --speakers N    speakers 01..N, at most 99 (default 60)
  --takes K       takes of each digit by each speaker, at most 50 (default 5)
`;

class UsageError extends Error {}

function parse(argv: readonly string[]): { root?: string; speakers?: number; takes?: number } {
  const [command, ...rest] = argv;
  if (command !== 'render') throw new UsageError(command === undefined ? 'missing command' : `unknown command ${JSON.stringify(command)}`);
  const options: { root?: string; speakers?: number; takes?: number } = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = eq > 0 ? arg.slice(eq + 1) : rest[++i];
    if (flag !== '--root' && flag !== '--speakers' && flag !== '--takes') throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    if (flag === '--root') options.root = value;
    else {
      if (!/^\d+$/.test(value)) throw new UsageError(`${flag}: expected a positive integer, received ${JSON.stringify(value)}`);
      options[flag === '--speakers' ? 'speakers' : 'takes'] = Number(value);
    }
  }
  return options;
}

/** Where the command line writes: process.stdout/stderr, or test doubles. */
export interface CliStreams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

/**
 * `sparling-speech render [--root DIR] [--speakers N] [--takes K]`: renders, shows progress on
 * stderr and prints the folder. Returns the exit code (0, 1 on failure, 2 on bad usage).
 */
export async function runCli(argv: readonly string[], { stdout, stderr }: CliStreams = process): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    stdout.write(USAGE);
    return 0;
  }
  let options;
  try {
    options = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`sparling-speech: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  const tty = stderr.isTTY === true;
  const start = performance.now();
  let lastLine = -Infinity;
  let shown = false;
  let root: string;
  try {
    root = await renderSyntheticSpeech({
      ...options,
      onProgress(done, total) {
        const now = performance.now();
        // A live line on a terminal; otherwise one line every 10 s and one at the end.
        if (done !== total && now - lastLine < (tty ? 100 : 10_000)) return;
        lastLine = now;
        shown = true;
        const seconds = ((now - start) / 1000).toFixed(1);
        const line = `rendering ${done}/${total} files (${Math.floor((100 * done) / total)}%) ${seconds} s`;
        stderr.write(tty ? `\r${line}` : `${line}\n`);
      },
    });
  } catch (error) {
    if (tty && shown) stderr.write('\n');
    stderr.write(`sparling-speech: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  if (tty && shown) stderr.write('\n');
  if (!shown) stderr.write('already rendered\n');
  stdout.write(`${root}\n`);
  return 0;
}

