import { defineConfig } from 'tsup';

export default defineConfig({
  // The batch worker is its own entry: `batches` starts it by file path, next to the module.
  entry: ['src/index.ts', 'src/batch-worker.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // Gives the CommonJS build an `import.meta.url`, which `batches` uses to find the worker.
  shims: true,
});
