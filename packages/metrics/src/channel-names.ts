import { fail, MotifInputError } from './errors.js';

/**
 * How channels are named in confusion matrices (spec 12.8): `'letters'` gives A, B, C, … (at
 * most 26 channels; the reference's DigitCircle style), `'numbered'` gives #0, #1, … (its LaTeX
 * and audio style).
 *
 * @example
 * ```ts
 * const style: ChannelNameStyle = 'numbered';
 * ```
 */
export type ChannelNameStyle = 'letters' | 'numbered';

/**
 * Names for `count` channels. Metric values never depend on names; they only label the
 * confusion matrix.
 *
 * @param count - number of channels, a positive integer.
 * @param style - default `'letters'` when `count <= 26`, else `'numbered'`.
 * @example
 * ```ts
 * channelNames(3); // ['A', 'B', 'C']
 * channelNames(3, 'numbered'); // ['#0', '#1', '#2']
 * ```
 */
export function channelNames(count: number, style: ChannelNameStyle = count <= 26 ? 'letters' : 'numbered'): string[] {
  if (!Number.isInteger(count) || count < 1) fail('count', 'a positive integer', count, 'channelNames');
  if (style === 'letters') {
    if (count > 26) fail('count', "at most 26 channels for style 'letters' (use 'numbered')", count, 'channelNames');
    return Array.from({ length: count }, (_, i) => String.fromCharCode(65 + i));
  }
  if (style === 'numbered') return Array.from({ length: count }, (_, i) => `#${i}`);
  return fail('style', "'letters' or 'numbered'", style, 'channelNames');
}

/** Checks user-supplied names: one per channel, distinct, and not the reserved "none". */
export function checkChannelNames(names: unknown, count: number, path: string, where: string): string[] {
  if (!Array.isArray(names) || names.length !== count) fail(path, `an array of ${count} names (one per channel)`, names, where);
  const seen = new Map<string, number>();
  names.forEach((name: unknown, i) => {
    if (typeof name !== 'string' || name === '' || name === 'none') fail(`${path}[${i}]`, 'a non-empty string other than "none"', name, where);
    const before = seen.get(name);
    if (before !== undefined) throw new MotifInputError(`${path}[${i}]`, `${JSON.stringify(name)} is also ${path}[${before}]; expected distinct names`, where);
    seen.set(name, i);
  });
  return names as string[];
}
