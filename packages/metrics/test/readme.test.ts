import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as metrics from '../src/index.js';

describe('README', () => {
  it('runs the usage example and prints what its comments say', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    // The example is plain JavaScript apart from its import, which becomes a destructuring.
    const body = code!.replace(/import \{([^}]*)\} from '@sparling\/metrics';/, 'const {$1} = lib;');
    const logged: string[] = [];
    const console = { log: (...args: unknown[]) => logged.push(args.map(String).join(' ')) };
    new Function('lib', 'console', body)(metrics, console);
    const promised = [...code!.matchAll(/\/\/ → (.*)/g)].map((m) => m[1]);
    expect(logged).toEqual(promised);
  });
});
