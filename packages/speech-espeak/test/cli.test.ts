import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'speech-espeak-cli-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t), isTTY: false } });
  return { code, stdout, stderr };
}

describe('sparling-speech', () => {
  it('render --root DIR --speakers 1 --takes 1: shows progress on stderr, prints DIR', async () => {
    const folder = join(root, 'cache');
    const first = await run(['render', '--root', folder, '--speakers', '1', '--takes=1']);
    expect(first).toMatchObject({ code: 0, stdout: `${folder}\n` });
    expect(first.stderr).toMatch(/^rendering 0\/10 files \(0%\)/);
    expect(first.stderr).toMatch(/rendering 10\/10 files \(100%\) [\d.]+ s\n$/);
    expect(readdirSync(join(folder, '01'))).toHaveLength(10);
    expect(await run(['render', '--root', folder, '--speakers', '1', '--takes', '1'])).toEqual({ code: 0, stdout: `${folder}\n`, stderr: 'already rendered\n' });
  });

  it.each([
    [[], /missing command/],
    [['speak'], /unknown command "speak"/],
    [['render', '--voices', '3'], /unknown option "--voices"/],
    [['render', '--takes'], /--takes needs a value/],
    [['render', '--speakers', 'many'], /--speakers: expected a positive integer, received "many"/],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/Usage: sparling-speech render/);
  });

  it('reports a bad value from the renderer (exit 1)', async () => {
    const { code, stderr } = await run(['render', '--root', join(root, 'x'), '--speakers', '0']);
    expect(code).toBe(1);
    expect(stderr).toBe('sparling-speech: renderSyntheticSpeech: options.speakers: expected an integer from 1 to 99, received 0\n');
  });

  it('--help prints the usage', async () => {
    expect((await run(['--help'])).stdout).toMatch(/^Usage: sparling-speech render \[--root DIR\]/);
  });
});
