import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'errors',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
  },
});
