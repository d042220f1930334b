// usage: node run.mjs NAME '{"annealer":{...},"training":{...}}'
import { initBackend } from '@sparling/backend';
import { createDomain } from '@sparling/domains';
const m = await import('/work/main/packages/models/dist/index.js');
await initBackend({ backend: 'wasm' });
const [name, extraJson] = process.argv.slice(2);
const extra = JSON.parse(extraJson ?? '{}');
const domain = createDomain('digit-circle', { size: 48, minRadius: 8, jitter: 1, maxDigits: 4 });
const preset = m.presets.cpu(domain);
const model = m.withOverrides(preset.model, { motif: { width: 8 }, post: { pool: 8, positionalEncoding: '2d', coordinates: true }, ...(extra.model ?? {}) });
const training = { ...preset.training, validateEvery: 5000, maxSamples: 280_000, stopAtDensity: 1.125, ...(extra.training ?? {}), annealer: { ...preset.training.annealer, ...(extra.annealer ?? {}) } };
console.log(JSON.stringify({ model, training }));
const t0 = Date.now();
const r = await m.train({ domain, model, training, seed: 1, runDir: `/tmp/exp/${name}`, preset: 'cpu', workers: 1,
  onValidation: (v) => console.log(`${((Date.now()-t0)/60000).toFixed(1)}min ${v.samplesSeen} acc ${v.accuracy.toFixed(4)} T ${v.target?.toFixed(4)} d ${v.density?.toExponential(3)} ${v.reduced ? 'CUT' : ''} loss ${v.loss?.toFixed(4)}`) });
console.log('done', r.stopReason, r.samplesSeen, r.seconds, r.samplesPerSecond, r.density);
