import type { NamedArray, SparlingModelConfig } from '../contract.js';

/** `workerData` of a replica worker: enough to build the same model on the same backend. */
export interface ReplicaInit {
  /** 1, 2, …: the replica's place in the batch (0 is the main thread), for messages. */
  readonly index: number;
  readonly model: SparlingModelConfig;
  readonly seed: number;
  /** The main thread's tfjs backend. */
  readonly backend: 'wasm' | 'cpu';
  /** The Retrained setting: only h's variables get gradients. */
  readonly frozenMotifModel: boolean;
}

/** Main thread → worker: load `state`, then compute the loss and gradients of one batch part. */
export interface ReplicaStep {
  readonly state: readonly NamedArray[];
  /** The annealer's current sparsity, which is not part of the state (null: no sparsity layer). */
  readonly sparsity: number | null;
  /** The dropout step (`setTrainingStep`) of this part. */
  readonly step: number;
  readonly inputs: Float32Array;
  readonly shape: readonly number[];
  readonly labels: readonly (readonly string[])[];
}

/** What a replica computed on its part of the batch. */
export interface ReplicaResult {
  readonly loss: number;
  /** One per trainable variable, in `trainableVariables` order; null where no gradient flows. */
  readonly gradients: readonly (Float32Array | null)[];
  /** The non-trainable state after the pass (`getState({ trainable: false })`). */
  readonly running: readonly NamedArray[];
}

/** Worker → main thread: ready after set-up, a step's result, or why either failed. */
export type ReplicaMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'result'; readonly result: ReplicaResult }
  | { readonly kind: 'error'; readonly message: string; readonly stack: string | undefined };
