import ESpeakNg from 'espeak-ng';
import { describe, expect, it } from 'vitest';
import { createESpeakRunner } from '../src/internal/espeak-runner.js';
import { parseWav } from './wav.js';

/** The documented way: a new espeak-ng instance for one command line. */
async function freshInstance(args: string[]): Promise<{ wav?: Uint8Array; printed: string[] }> {
  const printed: string[] = [];
  const espeak = await ESpeakNg({
    arguments: ['-w', '/tmp/fresh.wav', ...args],
    print: (t) => printed.push(t),
    printErr: (t) => printed.push(t),
    quit: (_status, toThrow) => {
      throw toThrow;
    },
  });
  try {
    return { wav: espeak.FS.readFile('/tmp/fresh.wav'), printed };
  } catch {
    return { printed };
  }
}

describe('createESpeakRunner (one instance, memory restored before every call)', () => {
  const commands = [
    ['-v', 'en-gb-scotland+m3', '-p', '30', '-P', '60', '-s', '170', '-a', '80', '-z', '-D', 'seven'],
    ['-v', 'en-us+f2', '-p', '70', '-s', '130', '-z', '-D', 'zero'],
    ['-v', 'en-029+croak', '-p', '50', '-s', '150', '-z', '-D', 'four'],
  ];

  it('writes exactly the bytes a fresh espeak-ng instance writes, call after call', async () => {
    const runner = await createESpeakRunner();
    const reused = [...commands, ...commands].map((args) => runner.synthesize(args));
    for (const [i, args] of commands.entries()) {
      const { wav } = await freshInstance(args);
      expect(wav, args.join(' ')).toBeDefined();
      expect(Buffer.from(reused[i]!).equals(Buffer.from(wav!)), args.join(' ')).toBe(true);
      expect(Buffer.from(reused[i + commands.length]!).equals(Buffer.from(wav!)), `${args.join(' ')} again`).toBe(true);
      expect(parseWav(reused[i]!).sampleRate).toBe(22050);
    }
  });

  it("throws espeak-ng's own message for a voice it does not have, and keeps working", async () => {
    const runner = await createESpeakRunner();
    expect(() => runner.synthesize(['-v', 'xx-nowhere', 'one'])).toThrow(/espeak-ng -v xx-nowhere one: exit status 1: Error: The specified espeak-ng voice does not exist/);
    expect(parseWav(runner.synthesize(['-v', 'en-us', 'one'])).samples.length).toBeGreaterThan(1000);
  });

  it('is eSpeak NG 1.52-dev, as the manifest records', async () => {
    const { printed } = await freshInstance(['--version']);
    expect(printed.join('\n')).toMatch(/eSpeak NG text-to-speech: 1\.52-dev/);
  });
});
