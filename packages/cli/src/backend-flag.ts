import { describeBackend, initBackend, type BackendChoice, type BackendRequest } from '@sparling/backend';
import { UsageError, type CliIo } from './io.js';

const BACKENDS: readonly BackendRequest[] = ['auto', 'wasm', 'cpu', 'tensorflow'];

/** Reads `--backend`; undefined leaves the choice to SPARLING_BACKEND or the automatic order. */
export function parseBackend(value: string | undefined): BackendRequest | undefined {
  if (value !== undefined && !BACKENDS.includes(value as BackendRequest)) {
    throw new UsageError(`--backend: expected one of ${BACKENDS.join(', ')}, received ${JSON.stringify(value)}`);
  }
  return value as BackendRequest | undefined;
}

/** Starts the requested backend and says on stderr which one runs and why the others do not. */
export async function startBackend(io: CliIo, request: BackendRequest | undefined): Promise<BackendChoice> {
  const choice = await initBackend(request ? { backend: request } : {});
  io.stderr(`${describeBackend(choice)}\n`);
  return choice;
}
