export { START_TOKEN, END_TOKEN, type Domain, type Sample, type Motif, type Footprint } from './domain.js';
export { DigitCircle, type DigitCircleOptions, type ResolvedDigitCircleOptions } from './digit-circle.js';
export { DIGIT_STAMPS, type Stamp } from './digit-circle-stamps.js';
export { createDomain, domainNames, isDomainName, type DomainName, type DomainOptionsByName } from './registry.js';
export { batches, type Batch, type BatchOptions } from './batches.js';
export { renderSample, writeSamplePng, type PredictedMotif, type RenderSampleOptions } from './render-sample.js';
