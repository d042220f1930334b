import { BackendUnavailableError, describeBackend, initBackend, type BackendChoice, type BackendRequest } from '@sparling/backend';
import { UsageError, type CliIo } from './io.js';

const BACKENDS: readonly BackendRequest[] = ['auto', 'webgpu', 'wasm', 'cpu', 'tensorflow'];

/** The `--backend` line of every command's help. */
export const BACKEND_HELP = 'auto (default), webgpu, wasm, cpu or tensorflow';

/** Reads `--backend`; undefined leaves the choice to SPARLING_BACKEND or the automatic order. */
export function parseBackend(value: string | undefined): BackendRequest | undefined {
  if (value !== undefined && !BACKENDS.includes(value as BackendRequest)) {
    throw new UsageError(`--backend: expected one of ${BACKENDS.join(', ')}, received ${JSON.stringify(value)}`);
  }
  return value as BackendRequest | undefined;
}

/**
 * Starts the requested backend and says on stderr which one runs and why the others do not.
 * Commands call it before they write anything, so a backend that cannot start leaves no trace.
 */
export async function startBackend(io: CliIo, request: BackendRequest | undefined): Promise<BackendChoice> {
  let choice: BackendChoice;
  try {
    choice = await initBackend(request ? { backend: request } : {});
  } catch (err) {
    if (!(err instanceof BackendUnavailableError)) throw err;
    const why = err.reasons.map((r) => (err.reasons.length > 1 ? `${r.backend}: ${r.reason}` : r.reason)).join('; ');
    const flag = request === undefined ? `SPARLING_BACKEND=${err.requested}` : `--backend ${request}`;
    throw new Error(`${flag} cannot start: ${why}; ${request === undefined ? 'unset SPARLING_BACKEND' : 'use --backend auto'} for the fastest backend present`);
  }
  io.stderr(`${describeBackend(choice)}\n`);
  return choice;
}
