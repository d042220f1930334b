// Regenerates docs/latex-ocr-gallery.png: LaTeX-OCR training items of seed 1 as renderSample
// draws them, each once without the random ink (to show the glyphs and their footprints) and
// once as the model sees it. Run after building: `node docs/render-latex-gallery.mjs`. A test
// (latex-ocr.test.ts) checks the committed picture still matches, through `latexGallery`.
import { fileURLToPath } from 'node:url';
import { writePng } from '@sparling/raster';
import { latexGallery } from './latex-gallery.mjs';

const path = fileURLToPath(new URL('./latex-ocr-gallery.png', import.meta.url));
await writePng(path, await latexGallery());
console.log(`wrote ${path}`);
