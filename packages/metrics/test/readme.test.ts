import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as metrics from '../src/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

describe('README', () => {
  it('has the usage example and the fneBySymbol and symbolChannels examples', () => {
    expect(examples).toHaveLength(3);
  });

  it.each(examples.map((code, i) => [i + 1, code] as const))('runs example %i and prints what its comments say', (_, code) => {
    // The examples are plain JavaScript apart from their import, which becomes a destructuring.
    const body = code.replace(/import \{([^}]*)\} from '@sparling\/metrics';/, 'const {$1} = lib;');
    const logged: string[] = [];
    const console = { log: (...args: unknown[]) => logged.push(args.map(String).join(' ')) };
    new Function('lib', 'console', body)(metrics, console);
    const promised = [...code.matchAll(/\/\/ → (.*)/g)].map((m) => m[1]);
    expect(promised.length).toBeGreaterThan(0);
    expect(logged).toEqual(promised);
  });
});
