export { RandomState, type ChoiceOptions } from './random-state.js';
export { computeSeed } from './compute-seed.js';
