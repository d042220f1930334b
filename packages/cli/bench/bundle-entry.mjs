// Entry of the self-contained bench bundle (bench/bundle.mjs): `node sparling-bench.mjs [flags]`
// runs `sparling bench [flags]`. The wasm backend is imported here so that the bundle carries it:
// @sparling/backend loads it lazily with a require() that a bundler cannot follow.
import '@tensorflow/tfjs-backend-wasm';
import { main } from '../dist/index.js';

process.exitCode = await main(['bench', ...process.argv.slice(2)]);
