// pnpm bench:bundle: writes bench/bundle/ with one self-contained file, sparling-bench.mjs
// (esbuild: tfjs, the wasm and webgpu backends, Dawn's JS and our packages inside), the wasm
// binaries beside it, and the linux-x64 dawn.node in dist/linux-x64/, where the bundled webgpu
// package and @sparling/backend look for it. Copied to a GPU machine that has only `node`,
//   VK_ICD_FILENAMES= node sparling-bench.mjs --backend webgpu --out webgpu.json
// runs `sparling bench` there. Run `pnpm build` first. Prints the files and their sizes.
// Usage: node bench/bundle.mjs [--out DIR]   (default <repo>/bench/bundle)
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
// --out DIR writes the bundle elsewhere (the CLI's test does, to run it away from node_modules).
const outAt = process.argv.indexOf('--out');
const out = outAt === -1 ? join(repo, 'bench', 'bundle') : resolve(process.argv[outAt + 1] ?? '');
const backendModules = join(repo, 'packages', 'backend', 'node_modules');
const LIMIT_BYTES = 60 * 1024 * 1024;

if (!existsSync(join(here, '..', 'dist', 'index.js'))) throw new Error('bench/bundle.mjs: packages/cli/dist is missing; run `pnpm build` first.');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'dist', 'linux-x64'), { recursive: true });

await build({
  entryPoints: [join(here, 'bundle-entry.mjs')],
  outfile: join(out, 'sparling-bench.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // The optional backends that need their own native install, and the GPL speech package, stay out.
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@sparling/speech-espeak', 'espeak-ng'],
  // The wasm and webgpu backends are @sparling/backend's (dev) dependencies, not the CLI's.
  nodePaths: [backendModules],
  // CommonJS parts (emscripten's loader, Dawn's) expect these in an ES module bundle.
  banner: {
    js: [
      "import { createRequire as __bundleRequire } from 'node:module';",
      "import { fileURLToPath as __bundlePath } from 'node:url';",
      "import { dirname as __bundleDir } from 'node:path';",
      'const require = __bundleRequire(import.meta.url);',
      'const __filename = __bundlePath(import.meta.url);',
      'const __dirname = __bundleDir(__filename);',
    ].join('\n'),
  },
  plugins: [lazyRequiresOfDomains()],
  logLevel: 'warning',
});

/**
 * @sparling/domains loads MathJax and Meyda on first use through createRequire(import.meta.url),
 * which a bundler cannot follow; this rewrites those calls to plain require() in its dist, so
 * they are bundled like any other CommonJS dependency.
 */
function lazyRequiresOfDomains() {
  const domainsDist = join(repo, 'packages', 'domains', 'dist');
  const lazy = /(?:\bcreateRequire\(import\.meta\.url\)|\b[\w$]+)\("((?:mathjax-full\/[^"]+)|meyda)"\)/g;
  return {
    name: 'lazy-requires-of-domains',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async (args) => {
        if (!args.path.startsWith(domainsDist)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        return { contents: text.replace(lazy, (_, id) => `require("${id}")`), loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

const requireFromBackend = createRequire(join(backendModules, 'noop.js'));
const wasmDist = dirname(requireFromBackend.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
for (const file of readdirSync(join(wasmDist, 'dist')).filter((f) => f.endsWith('.wasm'))) {
  copyFileSync(join(wasmDist, 'dist', file), join(out, file));
}
const dawn = join(dirname(requireFromBackend.resolve('webgpu/package.json')), 'dist', 'linux-x64', 'dawn.node');
copyFileSync(dawn, join(out, 'dist', 'linux-x64', 'dawn.node'));

const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else files.push({ path: path.slice(out.length + 1), bytes: statSync(path).size });
  }
};
walk(out);
const total = files.reduce((sum, f) => sum + f.bytes, 0);
for (const f of files) console.log(`${(f.bytes / 2 ** 20).toFixed(2).padStart(8)} MB  ${f.path}`);
console.log(`${(total / 2 ** 20).toFixed(2).padStart(8)} MB  in ${out}`);
if (total > LIMIT_BYTES) throw new Error(`bench/bundle.mjs: the bundle is ${(total / 2 ** 20).toFixed(1)} MB, over the 60 MB it must stay under`);
