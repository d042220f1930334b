import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The wasm exports of espeak-ng@1.0.2 that drive `main` directly. */
interface ESpeakExports {
  memory: { buffer: ArrayBuffer };
  stackSave(): number;
  stackRestore(pointer: number): void;
  stackAlloc(bytes: number): number;
  __main_argc_argv(argc: number, argv: number): number;
}

/** The part of the global `WebAssembly` used here (the repo's `lib` has no DOM/WebAssembly types). */
interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<object>;
  Instance: new (module: object, imports: object) => { exports: object };
}
const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: WebAssemblyApi };

/** Runs the espeak-ng command line again and again in one wasm instance. */
export interface ESpeakRunner {
  /**
   * Runs `espeak-ng -w <file> ...args` and returns the WAV file it wrote. Throws with
   * espeak-ng's own error text when it exits with a non-zero status or writes no file.
   */
  synthesize(args: readonly string[]): Uint8Array;
}

const OUTPUT = '/tmp/sparling-speech.wav';

/** Emscripten's `ExitStatus`, thrown through our `quit` when the C code calls `exit()`. */
function exitStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || (error as { name?: unknown }).name !== 'ExitStatus') return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * One espeak-ng wasm instance whose `main` is called once per utterance.
 *
 * A fresh `ESpeakNg({arguments})` per call costs 110–210 ms, almost all of it instantiating the
 * 18 MB module and copying its embedded voice data; the synthesis itself takes 10–20 ms. `main`
 * cannot simply be called twice (getopt's `optind` and other C globals keep their values, and
 * the second call writes nothing), so the runner copies the instance's whole linear memory
 * (32 MB, fixed: the build does not allow memory growth) once, after the runtime has
 * initialised and before `main` ever ran, and puts that copy back before every call. Each call
 * therefore starts from exactly the state of a fresh instance — the WAV bytes are identical to
 * those of a new instance per call — at 3–8 ms for the copy.
 */
export async function createESpeakRunner(): Promise<ESpeakRunner> {
  const require = createRequire(import.meta.url);
  const scriptPath = require.resolve('espeak-ng');
  const compiled = await wasmApi.compile(await readFile(join(dirname(scriptPath), 'espeak-ng.wasm')));
  const { default: ESpeakNg } = await import('espeak-ng');

  let wasm: ESpeakExports | undefined;
  const messages: string[] = [];
  const espeak = await ESpeakNg({
    noInitialRun: true,
    arguments: [],
    print: (text) => messages.push(text),
    printErr: (text) => messages.push(text),
    // The default for Node sets process.exitCode before throwing; only throw.
    quit: (_status, toThrow) => {
      throw toThrow;
    },
    // Synchronous, so that a failure rejects the factory's promise instead of leaving it pending.
    instantiateWasm(imports, receive) {
      const instance = new wasmApi.Instance(compiled, imports);
      wasm = instance.exports as ESpeakExports;
      receive(instance, compiled);
      return instance.exports;
    },
  });
  if (wasm === undefined) throw new Error(`espeak-ng: the wasm module did not start: ${messages.join(' ')}`);
  const exports = wasm;
  const pristine = new Uint8Array(exports.memory.buffer).slice();
  const stackTop = exports.stackSave();
  const encoder = new TextEncoder();

  return {
    synthesize(args) {
      messages.length = 0;
      const memory = new Uint8Array(exports.memory.buffer);
      memory.set(pristine);
      exports.stackRestore(stackTop);
      const argv = ['espeak-ng', '-w', OUTPUT, ...args];
      const pointers = argv.map((arg) => {
        const bytes = encoder.encode(`${arg}\0`);
        const pointer = exports.stackAlloc(bytes.length);
        memory.set(bytes, pointer);
        return pointer;
      });
      const table = exports.stackAlloc(4 * (pointers.length + 1));
      const words = new Uint32Array(exports.memory.buffer, table, pointers.length + 1);
      pointers.forEach((pointer, i) => {
        words[i] = pointer;
      });
      words[pointers.length] = 0;
      let status: number;
      try {
        status = exports.__main_argc_argv(argv.length, table);
      } catch (error) {
        const code = exitStatus(error);
        if (code === undefined) throw error;
        status = code;
      } finally {
        exports.stackRestore(stackTop);
      }
      const said = messages.filter((m) => !m.startsWith('program exited')).join(' ').trim();
      if (status !== 0) throw new Error(`espeak-ng ${args.join(' ')}: exit status ${status}${said ? `: ${said}` : ''}`);
      let wav: Uint8Array;
      try {
        wav = espeak.FS.readFile(OUTPUT);
        espeak.FS.unlink(OUTPUT);
      } catch {
        throw new Error(`espeak-ng ${args.join(' ')}: wrote no WAV file${said ? `: ${said}` : ''}`);
      }
      return wav;
    },
  };
}
