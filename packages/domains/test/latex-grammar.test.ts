import { computeSeed, RandomState } from '@sparling/random';
import { describe, expect, it } from 'vitest';
import { LATEX_MOTIF_SYMBOLS, LATEX_VOCABULARY, latexToken, sampleLatexExpression } from '../src/latex-grammar.js';

const expression = (seed: number, index: number) => sampleLatexExpression(new RandomState(computeSeed(seed, index)));
const code = (seed: number, index: number) => expression(seed, index).map((t) => t.code).join('');

describe('LaTeX-OCR grammar (spec 4.1)', () => {
  it("draws the reference's training seed 1, items 0–2", () => {
    expect(code(1, 0)).toBe('\\left(6^{x}5_{b}8+\\left(\\left(3^{7}a^{x}\\right)\\right)\\right)');
    expect(code(1, 1)).toBe('\\left(\\left(7\\right)\\right)+2_{2}+a_{z}');
    expect(code(1, 2)).toBe('0_{7}');
    expect(expression(1, 2).map((t) => t.name)).toEqual(['0', 'SUB(', '7', 'SUB)']);
  });

  it('averages 15.5 tokens and 9.64 drawn symbols over test items 0..199, as the reference', () => {
    const items = Array.from({ length: 200 }, (_, i) => expression(-2, i));
    const tokens = items.reduce((n, e) => n + e.length, 0);
    const symbols = items.reduce((n, e) => n + e.filter((t) => t.symbol !== null).length, 0);
    expect(symbols).toBe(1928);
    expect(tokens / 200).toBeCloseTo(15.5, 0);
  });

  it('keeps every expression within 1..30 tokens and balanced', () => {
    for (let i = 0; i < 300; i++) {
      const tokens = expression(3, i);
      expect(tokens.length).toBeGreaterThanOrEqual(1);
      expect(tokens.length).toBeLessThanOrEqual(30);
      let depth = 0;
      for (const t of tokens) {
        if (t.name.endsWith('(')) depth++;
        if (t.name.endsWith(')') && t.name.length > 1) depth--;
        expect(depth).toBeGreaterThanOrEqual(0);
      }
      expect(depth).toBe(0);
    }
  });

  it('has the 28-token vocabulary and the 20 motif symbols', () => {
    expect(LATEX_VOCABULARY.join(' ')).toBe(
      '<s> </s> + 0 1 2 3 4 5 6 7 8 9 FRAC( FRAC) FRACMID PAREN( PAREN) SUB( SUB) SUP( SUP) a b c x y z',
    );
    expect(LATEX_MOTIF_SYMBOLS).toHaveLength(20);
    expect(latexToken('FRAC(')?.symbol).toBe('FRACBAR');
    expect(latexToken('FRACMID')?.symbol).toBeNull();
    expect(latexToken('nope')).toBeUndefined();
  });
});
