import { RandomState } from '@sparling/random';
import { END_TOKEN, START_TOKEN } from './domain.js';

/**
 * One token of a LaTeX-OCR expression: its name (what the decoder predicts), its LaTeX code,
 * and the motif symbol it draws, if any (spec 4.1, 4.4).
 *
 * @example
 * ```ts
 * const open: LatexToken = { name: 'PAREN(', code: '\\left(', symbol: '(' };
 * ```
 */
export interface LatexToken {
  readonly name: string;
  readonly code: string;
  /** The motif symbol of the glyph this token draws, or null (FRACMID, FRAC), SUP, SUB). */
  readonly symbol: string | null;
}

/** The symbols of the grammar's `symbol` rule, in the reference's production order. */
const BASE_SYMBOLS = '0123456789xyzabc';

/**
 * The motif symbol of a fraction: the reference localises the bar of `\frac` through the
 * FRAC( token (spec 4.4).
 */
export const FRACTION_BAR = 'FRACBAR';

const token = (name: string, code: string, symbol: string | null): LatexToken => Object.freeze({ name, code, symbol });

const TOKENS = {
  fracOpen: token('FRAC(', '\\frac{', FRACTION_BAR),
  fracMid: token('FRACMID', '}{', null),
  fracClose: token('FRAC)', '}', null),
  parenOpen: token('PAREN(', '\\left(', '('),
  parenClose: token('PAREN)', '\\right)', ')'),
  supOpen: token('SUP(', '^{', null),
  supClose: token('SUP)', '}', null),
  subOpen: token('SUB(', '_{', null),
  subClose: token('SUB)', '}', null),
  plus: token('+', '+', '+'),
} as const;

const SYMBOL_TOKENS: readonly LatexToken[] = [...BASE_SYMBOLS].map((s) => token(s, s, s));

type Element = string | LatexToken;
interface Production {
  readonly elements: readonly Element[];
  readonly weight: number;
}
const production = (elements: readonly Element[], weight = 1): Production => ({ elements, weight });

/** `latex_cfg` (spec 4.1): nonterminals are strings, terminals tokens; weights relative per rule. */
const GRAMMAR: Readonly<Record<string, readonly Production[]>> = {
  start: [production(['straightline_expression']), production([TOKENS.fracOpen, 'start', TOKENS.fracMid, 'start', TOKENS.fracClose], 0.25)],
  straightline_expression: [production(['term']), production(['term', TOKENS.plus, 'straightline_expression'], 0.25)],
  term: [production(['atom']), production(['atom', 'term'], 0.25)],
  atom: [production(['combined_symbol']), production([TOKENS.parenOpen, 'straightline_expression', TOKENS.parenClose], 0.25)],
  combined_symbol: [
    production(['symbol']),
    production(['symbol', TOKENS.supOpen, 'symbol', TOKENS.supClose]),
    production(['symbol', TOKENS.subOpen, 'symbol', TOKENS.subClose]),
  ],
  symbol: SYMBOL_TOKENS.map((t) => production([t])),
};

/** numpy's `weights / weights.sum()`, computed once per rule. */
const PROBABILITIES: Readonly<Record<string, readonly number[]>> = Object.fromEntries(
  Object.entries(GRAMMAR).map(([rule, productions]) => {
    const total = productions.reduce((sum, p) => sum + p.weight, 0);
    return [rule, productions.map((p) => p.weight / total)];
  }),
);

/** The reference's `maximal_length` for `latex_cfg`. */
export const MAX_EXPRESSION_TOKENS = 30;

/** Every token of the grammar, sorted by name as the reference's `all_tokens()` does. */
const ALL_TOKENS: readonly LatexToken[] = [...Object.values(TOKENS), ...SYMBOL_TOKENS].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/**
 * The decoder vocabulary of LaTeX-OCR: `<s>`, `</s>`, then the 26 token names sorted (28 in all,
 * spec 4.1).
 *
 * @example
 * ```ts
 * LATEX_VOCABULARY.slice(0, 5); // ['<s>', '</s>', '+', '0', '1']
 * ```
 */
export const LATEX_VOCABULARY: readonly string[] = Object.freeze([START_TOKEN, END_TOKEN, ...ALL_TOKENS.map((t) => t.name)]);

/**
 * The 20 true motif symbols of LaTeX-OCR (spec 4.4): the digits, the letters a b c x y z, `+`,
 * the parentheses and the fraction bar.
 *
 * @example
 * ```ts
 * LATEX_MOTIF_SYMBOLS.length; // 20
 * ```
 */
export const LATEX_MOTIF_SYMBOLS: readonly string[] = Object.freeze(
  [...new Set(ALL_TOKENS.flatMap((t) => (t.symbol === null ? [] : [t.symbol])))].sort(),
);

const BY_NAME: ReadonlyMap<string, LatexToken> = new Map(ALL_TOKENS.map((t) => [t.name, t]));

/**
 * The token called `name`, or undefined for a name outside the grammar.
 *
 * @example
 * ```ts
 * latexToken('SUP(')?.code; // '^{'
 * ```
 */
export function latexToken(name: string): LatexToken | undefined {
  return BY_NAME.get(name);
}

function expand(symbol: Element, rng: RandomState, out: LatexToken[]): void {
  if (typeof symbol !== 'string') {
    out.push(symbol);
    return;
  }
  const productions = GRAMMAR[symbol]!;
  const chosen = productions[rng.choice(productions.length, { p: PROBABILITIES[symbol]! })]!;
  for (const element of chosen.elements) expand(element, rng, out);
}

/**
 * Draws one expression as the reference's `CFG.rejection_sample` does (spec 4.1): a length L
 * uniform in 1..30, then whole expansions of `start`, depth first, until one has exactly L
 * tokens. Every random number comes from `rng`, in the reference's order, so
 * `new RandomState(computeSeed(1, 0))` gives training item 0 of seed 1.
 *
 * @example
 * ```ts
 * const tokens = sampleLatexExpression(new RandomState(computeSeed(1, 2)));
 * tokens.map((t) => t.code).join(''); // '0_{7}'
 * ```
 */
export function sampleLatexExpression(rng: RandomState): LatexToken[] {
  const length = rng.choice(MAX_EXPRESSION_TOKENS) + 1;
  for (;;) {
    const tokens: LatexToken[] = [];
    expand('start', rng, tokens);
    if (tokens.length === length) return tokens;
  }
}
