import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'backend',
    include: ['test/**/*.test.ts'],
    // The webgpu tests run in the root config's 'webgpu' project, after everything else.
    exclude: ['test/webgpu.test.ts'],
    testTimeout: 120_000,
  },
});
