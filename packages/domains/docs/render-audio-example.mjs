// Regenerates docs/audio-mnist-sequence-test-clip.png: test item 0 (seed −2, test speakers) of
// AudioMNISTSequence spoken by the synthetic speakers of @sparling/speech-espeak, with its
// footprints. Run after building: `node docs/render-audio-example.mjs` (renders the speech cache
// first if it is missing, about 45 s). The picture depends on the synthetic voices, so no test
// pins it.
import { fileURLToPath } from 'node:url';
import { createDomain, writeSpectrogramPng } from '../dist/index.js';
// A dev-only script may use the GPL package; @sparling/domains itself never imports it.
import { renderSyntheticSpeech } from '../../speech-espeak/dist/index.js';

const domain = createDomain('audio-mnist-sequence', { speech: await renderSyntheticSpeech() });
const clip = domain.sample(-2, 0);
const path = fileURLToPath(new URL('./audio-mnist-sequence-test-clip.png', import.meta.url));
await writeSpectrogramPng(path, clip, { title: `test item 0 (speakers ${clip.placements.map((p) => p.speaker).join(', ')}): ${clip.label.join(' ')}` });
console.log(`wrote ${path}`);
