export { START_TOKEN, END_TOKEN, type Domain, type Sample, type Motif, type Footprint } from './domain.js';
export { DigitCircle, type DigitCircleOptions, type ResolvedDigitCircleOptions } from './digit-circle.js';
export { DIGIT_STAMPS, type Stamp } from './digit-circle-stamps.js';
export { LatexOcr, LATEX_MOTIF_CHANNELS, type LatexOcrOptions, type LatexOcrSample, type ResolvedLatexOcrOptions } from './latex-ocr.js';
export { FRACTION_BAR, LATEX_MOTIF_SYMBOLS, LATEX_VOCABULARY, MAX_EXPRESSION_TOKENS, latexToken, sampleLatexExpression, type LatexToken } from './latex-grammar.js';
export { latexGlyphBoxes, latexSvg, renderLatex, type GlyphBox, type LatexCanvas, type LatexRendering, type RenderLatexOptions } from './latex-render.js';
export { createDomain, domainNames, isDomainName, type DomainName, type DomainOptionsByName } from './registry.js';
export { batches, type Batch, type BatchOptions } from './batches.js';
export { renderSample, writeSamplePng, type PredictedMotif, type RenderSampleOptions } from './render-sample.js';
