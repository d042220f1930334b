import { fail } from '@sparling/errors';

/**
 * A domain's options with its defaults filled in: `options` must be a plain object whose keys
 * are all known (a typo would otherwise silently fall back to a default); undefined values take
 * the default. The domain then checks each value's range.
 */
export function withDefaults<T extends object>(where: string, defaults: T, options: unknown): T {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) fail(where, 'options', 'an object', options);
  const known = Object.keys(defaults);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) fail(where, `options.${key}`, `one of the options ${known.join(', ')}`, key);
  }
  return { ...defaults, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as T;
}
