// One-off scaffolder kept for adding packages consistently: writes the config files every
// package shares (tsup, vitest, tsconfig). package.json and README are written by hand.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [dir, name, entries = 'src/index.ts'] = process.argv.slice(2);
if (!dir || !name) {
  console.error('usage: node scripts/make-package.mjs <dir> <vitest-project-name> [entries,comma,separated]');
  process.exit(2);
}
mkdirSync(join(dir, 'src'), { recursive: true });
mkdirSync(join(dir, 'test'), { recursive: true });
const write = (file, text) => {
  if (!existsSync(join(dir, file))) writeFileSync(join(dir, file), text);
};
const entryList = entries.split(',').map((e) => `'${e}'`).join(', ');
write('tsup.config.ts', `import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [${entryList}],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
`);
write('vitest.config.ts', `import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '${name}',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
  },
});
`);
write('tsconfig.json', `{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "noEmit": true },
  "include": ["src", "test", "*.config.ts"]
}
`);
