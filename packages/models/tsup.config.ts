import { defineConfig } from 'tsup';

export default defineConfig({
  // The replica worker is its own entry: `train` starts it by file path, next to the module.
  entry: ['src/index.ts', 'src/replica-worker.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // Gives the CommonJS build an `import.meta.url`, which `train` uses to find the worker.
  shims: true,
});
