/**
 * Positions (batch × spatial size) in one inference pass at most: 8 LaTeX-OCR items of
 * 120 × 360, where 64 overflowed the wasm backend's heap (the first validation of a LaTeX-OCR
 * run failed with "memory access out of bounds"); 34 items of 100 × 100.
 */
const INFERENCE_POSITIONS = 8 * 120 * 360;

/**
 * The default number of items per inference batch (validation, evaluation, motif predictions)
 * for inputs of `inputShape`: 64, or fewer for large inputs so a pass stays within
 * {@link INFERENCE_POSITIONS}. Results do not depend on it: inference uses stored statistics.
 */
export function inferenceBatchSize(inputShape: readonly number[], most = 64): number {
  const spatial = inputShape.length > 1 ? inputShape.slice(0, -1) : inputShape;
  const positions = spatial.reduce((a, b) => a * b, 1);
  return Math.max(1, Math.min(most, Math.floor(INFERENCE_POSITIONS / positions)));
}
