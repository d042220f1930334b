import { createDomain, type Domain, type DomainName } from '@sparling/domains';
import { UsageError } from './io.js';

/** Reads `--domain-options`: a JSON object, or undefined when the flag is absent. */
export function parseDomainOptions(value: string | undefined): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new UsageError(`--domain-options: expected a JSON object, received ${JSON.stringify(value)}`);
  }
}

/**
 * Builds the domain. Its option checks name `options.<key>` and the value received; those
 * options came from --domain-options, so the message is a usage error naming that flag.
 */
export function createDomainFromFlag(name: DomainName, options: Record<string, unknown>): Domain {
  try {
    return createDomain(name, options as never);
  } catch (err) {
    throw new UsageError(`--domain-options: ${err instanceof Error ? err.message : String(err)}`);
  }
}
