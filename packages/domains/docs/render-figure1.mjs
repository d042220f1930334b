// Regenerates docs/digit-circle-figure1.png, the paper's Figure 1 input (RandomState(6)) as
// renderSample draws it. Run after building: `node docs/render-figure1.mjs`. A test
// (render-sample.test.ts) checks the committed picture still matches, with the same options.
import { fileURLToPath } from 'node:url';
import { createDomain, writeSamplePng } from '../dist/index.js';

const path = fileURLToPath(new URL('./digit-circle-figure1.png', import.meta.url));
await writeSamplePng(path, createDomain('digit-circle').sampleRaw(6), { scale: 4, title: 'RandomState(6): 0 7 2 6 3 4' });
console.log(`wrote ${path}`);
