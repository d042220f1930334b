import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // GPL-3.0 and optional: loaded at run time when installed, never copied into this MIT build.
  external: ['@sparling/speech-espeak'],
});
