import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'example-layer-quickstart',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
  },
});
