import { describe, expect, it } from 'vitest';
import { main, UsageError, type Command } from '../src/index.js';
import { capture } from './capture.js';

const echo: Command = {
  name: 'echo',
  summary: 'prints its arguments',
  usage: 'usage: sparling echo WORDS...',
  async run(args, io) {
    if (args.length === 0) throw new UsageError('expected at least one word');
    if (args[0] === 'boom') throw new Error('exploded');
    io.stdout(args.join(' ') + '\n');
    return 0;
  },
};

describe('main', () => {
  it('lists commands on --help and exits 0', async () => {
    const io = capture();
    expect(await main(['--help'], io, [echo])).toBe(0);
    expect(io.out).toContain('echo  prints its arguments');
  });
  it('exits 2 without a command', async () => {
    const io = capture();
    expect(await main([], io, [echo])).toBe(2);
  });
  it('names an unknown command and the known ones', async () => {
    const io = capture();
    expect(await main(['nope'], io, [echo])).toBe(2);
    expect(io.err).toContain('unknown command "nope"; expected one of echo');
  });
  it('runs a command and returns its code', async () => {
    const io = capture();
    expect(await main(['echo', 'a', 'b'], io, [echo])).toBe(0);
    expect(io.out).toBe('a b\n');
  });
  it('turns a UsageError into exit 2 with the usage line', async () => {
    const io = capture();
    expect(await main(['echo'], io, [echo])).toBe(2);
    expect(io.err).toContain('sparling echo: expected at least one word');
    expect(io.err).toContain('usage: sparling echo WORDS...');
  });
  it('turns other errors into exit 1 without a stack', async () => {
    const io = capture();
    expect(await main(['echo', 'boom'], io, [echo])).toBe(1);
    expect(io.err).toBe('sparling echo: exploded\n');
  });
  it('prints a command usage on --help', async () => {
    const io = capture();
    expect(await main(['echo', '--help'], io, [echo])).toBe(0);
    expect(io.out).toBe('usage: sparling echo WORDS...\n');
  });
});
