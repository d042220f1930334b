import type { DomainName } from '../registry.js';
import type { BatchData, BatchSeed } from './generate-batch.js';

/** `workerData` of a batch worker: enough to rebuild the domain. */
export interface WorkerInit {
  readonly name: DomainName;
  readonly options: Readonly<Record<string, unknown>>;
  readonly seed: BatchSeed;
}

/** Main thread → worker: generate items [start, start + size). */
export interface BatchRequest {
  readonly id: number;
  readonly start: number;
  readonly size: number;
}

/** Worker → main thread: the batch, or why it failed. */
export type BatchResponse = { readonly id: number; readonly data: BatchData } | { readonly id: number; readonly error: string };
