import { AudioMnistSequence, type AudioMnistSequenceOptions } from './audio-mnist-sequence.js';
import { DigitCircle, type DigitCircleOptions } from './digit-circle.js';
import type { Domain } from './domain.js';
import { LatexOcr, type LatexOcrOptions } from './latex-ocr.js';
import { describeValue } from '@sparling/errors';

/**
 * The options each registered domain accepts, by name.
 *
 * @example
 * ```ts
 * const options: DomainOptionsByName['digit-circle'] = { size: 48, minRadius: 8, jitter: 1, maxDigits: 4 };
 * ```
 */
export interface DomainOptionsByName {
  'digit-circle': DigitCircleOptions;
  'latex-ocr': LatexOcrOptions;
  'audio-mnist-sequence': AudioMnistSequenceOptions;
}

/**
 * A registered domain name.
 *
 * @example
 * ```ts
 * const name: DomainName = 'digit-circle';
 * ```
 */
export type DomainName = keyof DomainOptionsByName;

const FACTORIES: { readonly [N in DomainName]: (options: DomainOptionsByName[N]) => Domain } = {
  'digit-circle': (options) => new DigitCircle(options),
  'latex-ocr': (options) => new LatexOcr(options),
  'audio-mnist-sequence': (options) => new AudioMnistSequence(options),
};

/**
 * Every registered domain name, in the paper's order.
 *
 * @example
 * ```ts
 * domainNames; // ['digit-circle', 'latex-ocr', 'audio-mnist-sequence']
 * ```
 */
export const domainNames: readonly DomainName[] = Object.freeze(Object.keys(FACTORIES) as DomainName[]);

/**
 * Whether `name` is a registered domain name.
 *
 * @example
 * ```ts
 * isDomainName('digit-circle'); // true
 * isDomainName('mnist'); // false
 * ```
 */
export function isDomainName(name: unknown): name is DomainName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(FACTORIES, name);
}

/**
 * Builds a domain from its registry name and options. `createDomain(d.name, d.options)`
 * rebuilds an equal domain, which is how worker threads receive it.
 *
 * @throws RangeError naming the unknown name and the known ones, or the domain's own option errors.
 * @example
 * ```ts
 * const paper = createDomain('digit-circle');
 * const small = createDomain('digit-circle', { size: 48, minRadius: 8, jitter: 1, maxDigits: 4 });
 * ```
 */
export function createDomain<N extends DomainName>(name: N, options?: DomainOptionsByName[N]): Domain {
  if (!isDomainName(name)) {
    throw new RangeError(`createDomain: name: expected one of ${domainNames.map((n) => `'${n}'`).join(', ')}, received ${describeValue(name)}`);
  }
  return FACTORIES[name](options ?? {});
}
