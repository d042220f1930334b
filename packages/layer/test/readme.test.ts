import { readFileSync } from 'node:fs';

import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

import * as api from '../src/index.js';

describe('README', () => {
  it('its usage example runs and prints density 0.375 and 10 thresholds', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    const names = /import \{([^}]*)\} from '@sparling\/layer';/.exec(code ?? '')?.[1];
    expect(names).toBeDefined();
    const body = `const {${names}} = api;\n${(code ?? '').replace(/^import .*$/gm, '')}`;
    const logged: unknown[][] = [];
    const fakeConsole = { log: (...args: unknown[]) => logged.push(args) };
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
      ...args: string[]
    ) => (...values: unknown[]) => Promise<void>;
    await new AsyncFunction('tf', 'api', 'console', body)(tf, api, fakeConsole);
    const [density, thresholds] = logged[0] ?? [];
    expect(density).toBe(0.375);
    expect(thresholds).toBeInstanceOf(Float32Array);
    expect((thresholds as Float32Array).length).toBe(10);
    expect((thresholds as Float32Array).every((t) => t !== 0)).toBe(true);
  });
});
