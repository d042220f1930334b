import levenshtein from 'fast-levenshtein';
import { fail } from './errors.js';

/**
 * A token of an output sequence: a symbol name or a class index. Tokens are equal when `===`.
 *
 * @example
 * ```ts
 * const label: Token[] = ['0', '7', '2'];
 * ```
 */
export type Token = string | number;

/** Code units a token may be mapped to: everything except the UTF-16 surrogate range. */
const MAX_DISTINCT_TOKENS = 0x10000 - 0x800;

function checkSequence(seq: unknown, path: string, where: string): asserts seq is readonly Token[] {
  if (!Array.isArray(seq)) fail(path, 'an array of tokens (strings or numbers)', seq, where);
  seq.forEach((t: unknown, i) => {
    if (typeof t !== 'string' && typeof t !== 'number') fail(`${path}[${i}]`, 'a token (string or number)', t, where);
  });
}

/** Levenshtein distance over tokens: each distinct token becomes one UTF-16 code unit. */
function tokenDistance(a: readonly Token[], b: readonly Token[], where: string): number {
  const codes = new Map<Token, string>();
  const encode = (seq: readonly Token[]): string => {
    let out = '';
    for (const t of seq) {
      let ch = codes.get(t);
      if (ch === undefined) {
        const n = codes.size;
        if (n >= MAX_DISTINCT_TOKENS) fail('tokens', `at most ${MAX_DISTINCT_TOKENS} distinct tokens in one pair`, n + 1, where);
        ch = String.fromCharCode(n < 0xd800 ? n : n + 0x800);
        codes.set(t, ch);
      }
      out += ch;
    }
    return out;
  };
  return levenshtein.get(encode(a), encode(b));
}

/**
 * Levenshtein distance between two token sequences (unit-cost insertions, deletions and
 * substitutions).
 *
 * @example
 * ```ts
 * editDistance(['0', '7', '2', '6', '3', '4'], ['0', '7', '6', '3', '4']); // 1
 * ```
 */
export function editDistance(a: readonly Token[], b: readonly Token[]): number {
  checkSequence(a, 'a', 'editDistance');
  checkSequence(b, 'b', 'editDistance');
  return tokenDistance(a, b, 'editDistance');
}

/**
 * Edit distance divided by the longer length (spec 7.1), in [0, 1]; NaN when both sequences
 * are empty (0/0, undefined as in the reference).
 *
 * @example
 * ```ts
 * normalizedEditDistance([1, 2, 3], [1, 3]); // 1/3
 * ```
 */
export function normalizedEditDistance(truth: readonly Token[], prediction: readonly Token[]): number {
  checkSequence(truth, 'truth', 'normalizedEditDistance');
  checkSequence(prediction, 'prediction', 'normalizedEditDistance');
  return tokenDistance(truth, prediction, 'normalizedEditDistance') / Math.max(truth.length, prediction.length);
}

/**
 * End-to-end error of a dataset.
 *
 * @example
 * ```ts
 * const { e2ee, exactAccuracy } = endToEndError(truths, predictions);
 * ```
 */
export interface EndToEndError {
  /** Mean normalised edit distance (the paper's E2EE as a fraction); null with no items or when a pair is undefined (both empty). */
  readonly e2ee: number | null;
  /** Fraction of items whose prediction equals the truth token for token; null with no items. */
  readonly exactAccuracy: number | null;
  readonly items: number;
}

/**
 * The paper's end-to-end error E2EE = mean over items of edit distance / longer length, and the
 * exact-match accuracy used for validation (spec 7.1).
 *
 * @param truths - true token sequences.
 * @param predictions - predicted sequences, same count and order.
 * @example
 * ```ts
 * endToEndError([['0', '7', '2', '6', '3', '4'], ['1', '2', '3']], [['0', '7', '6', '3', '4'], ['1', '2', '3']]);
 * // { e2ee: 0.0833…, exactAccuracy: 0.5, items: 2 }
 * ```
 */
export function endToEndError(truths: readonly (readonly Token[])[], predictions: readonly (readonly Token[])[]): EndToEndError {
  const where = 'endToEndError';
  if (!Array.isArray(truths)) fail('truths', 'an array of token sequences', truths, where);
  if (!Array.isArray(predictions) || predictions.length !== truths.length) {
    fail('predictions', `an array of ${truths.length} token sequences (one per truth)`, predictions, where);
  }
  let sum = 0;
  let exact = 0;
  for (let i = 0; i < truths.length; i++) {
    const t = truths[i];
    const p = predictions[i];
    checkSequence(t, `truths[${i}]`, where);
    checkSequence(p, `predictions[${i}]`, where);
    const d = tokenDistance(t, p, where);
    sum += d / Math.max(t.length, p.length);
    if (d === 0) exact++;
  }
  const n = truths.length;
  return { e2ee: n === 0 || Number.isNaN(sum) ? null : sum / n, exactAccuracy: n === 0 ? null : exact / n, items: n };
}
