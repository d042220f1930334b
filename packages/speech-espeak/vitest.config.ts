import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'speech-espeak',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
