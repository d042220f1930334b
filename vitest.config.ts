import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      'packages/*',
      'examples/*',
      {
        // SwiftShader (the webgpu tests' adapter on a machine without a GPU) keeps both cores busy
        // and slows every test beside it, so these run one file at a time, after all the others.
        test: {
          name: 'webgpu',
          include: ['packages/*/test/webgpu.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 600_000,
          hookTimeout: 120_000,
        },
      },
    ],
    reporters: ['default', './scripts/summary-reporter.ts'],
    passWithNoTests: false,
  },
});
