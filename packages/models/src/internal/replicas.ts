/**
 * Data-parallel training steps for `train` with `replicas` > 1: worker threads hold copies of
 * the model, each step splits the batch into equal parts, every replica computes the loss and
 * gradients of its part from the main model's state, and the main thread averages them.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '@sparling/domains';
import type { NamedArray } from '../contract.js';
import type { SparlingModel } from '../sparling-model.js';
import type { ReplicaInit, ReplicaMessage, ReplicaResult, ReplicaStep } from './replica-protocol.js';

/**
 * The worker script: beside this code in `dist/` (`.cjs` beside the CommonJS build). Run from
 * `src/internal/` (Vitest), this module starts the built script, as `batches` needs its built
 * worker too.
 */
function workerFile(): string {
  const here = import.meta.url;
  const name = here.endsWith('.cjs') ? 'replica-worker.cjs' : 'replica-worker.js';
  const file = fileURLToPath(new URL(here.endsWith('.ts') ? `../../dist/${name}` : `./${name}`, here));
  if (!existsSync(file)) {
    throw new Error(`train: the replica worker script ${file} does not exist; replicas > 1 need the built package (run the build)`);
  }
  return file;
}

/** A promise's settle functions, for the answer to the one request in flight. */
interface Pending {
  resolve(message: Exclude<ReplicaMessage, { kind: 'error' }>): void;
  reject(err: Error): void;
}

/** One worker-thread replica; requests are answered in order, one at a time. */
class Replica {
  private readonly worker: Worker;
  private readonly name: string;
  private pending: Pending | null = null;
  private failure: Error | null = null;
  private closed = false;

  private constructor(init: ReplicaInit) {
    this.name = `train: replica ${init.index} (worker thread)`;
    this.worker = new Worker(workerFile(), { workerData: init });
    this.worker.on('message', (message: ReplicaMessage) => {
      if (message.kind === 'error') {
        this.fail(new Error(`${this.name} failed: ${message.message}`, { cause: message.stack }));
        return;
      }
      const pending = this.pending;
      this.pending = null;
      pending?.resolve(message);
    });
    this.worker.on('error', (err) => this.fail(new Error(`${this.name} crashed: ${err.message}`, { cause: err })));
    this.worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`${this.name} exited with code ${code}`));
    });
  }

  /** Starts the worker and waits until its backend and model are ready. */
  static async start(init: ReplicaInit): Promise<Replica> {
    const replica = new Replica(init);
    try {
      await replica.receive();
    } catch (err) {
      await replica.close();
      throw err;
    }
    return replica;
  }

  /** Loss, gradients and running statistics of one part of the batch. */
  async step(request: ReplicaStep): Promise<ReplicaResult> {
    const answer = this.receive();
    // Transferred, not copied: the state and inputs are fresh copies made for this request.
    this.worker.postMessage(request, [...request.state.map((s) => s.values.buffer as ArrayBuffer), request.inputs.buffer as ArrayBuffer]);
    const message = await answer;
    if (message.kind !== 'result') throw new Error(`${this.name}: expected a step result, received "${message.kind}"`);
    return message.result;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }

  private receive(): Promise<Exclude<ReplicaMessage, { kind: 'error' }>> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
    });
  }

  private fail(err: Error): void {
    if (this.failure || this.closed) return;
    this.failure = err;
    const pending = this.pending;
    this.pending = null;
    pending?.reject(err);
  }
}

/** Element-wise mean of equal-length arrays, rounded to float32 once. */
function mean(arrays: readonly Float32Array[]): Float32Array {
  const first = arrays[0] as Float32Array;
  const out = new Float32Array(first.length);
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (const a of arrays) sum += a[i] as number;
    out[i] = sum / arrays.length;
  }
  return out;
}

/** What {@link DataParallel.start} needs besides the model. */
export interface DataParallelOptions {
  /** Replicas in all, the main thread's included (>= 2). */
  readonly replicas: number;
  readonly seed: number;
  readonly frozenMotifModel: boolean;
  readonly variables: readonly tf.Variable[];
  readonly optimizer: tf.Optimizer;
}

/**
 * The main model plus `replicas − 1` worker replicas. Replica r computes items
 * [r·n, (r + 1)·n) of each n·replicas-item batch; replica 0 is the main thread.
 */
export class DataParallel {
  private constructor(
    private readonly model: SparlingModel,
    private readonly workers: readonly Replica[],
    private readonly options: DataParallelOptions,
  ) {}

  /** Starts the workers on the main thread's backend ('wasm' or 'cpu', checked by the caller). */
  static async start(model: SparlingModel, options: DataParallelOptions): Promise<DataParallel> {
    const backend = tf.getBackend() as ReplicaInit['backend'];
    const started = await Promise.allSettled(
      Array.from({ length: options.replicas - 1 }, (_, i) =>
        Replica.start({ index: i + 1, model: model.config, seed: options.seed, backend, frozenMotifModel: options.frozenMotifModel }),
      ),
    );
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await Promise.all(workers.map((w) => w.close()));
      throw failed.reason;
    }
    return new DataParallel(model, workers, options);
  }

  /**
   * One optimizer step on `batch` (its size a multiple of the replica count): every replica
   * starts from the main model's state, the gradients are averaged and applied by the main
   * optimizer, and the main model's non-trainable state becomes the mean of the replicas'.
   * Returns the mean of the replicas' losses.
   */
  async step(batch: Batch, samplesSeen: number): Promise<number> {
    const { model, options } = this;
    const count = this.workers.length + 1;
    const size = batch.size / count;
    const itemLength = batch.inputs.length / batch.size;
    const shape = [size, ...batch.shape.slice(1)];
    const sparsity = model.bottleneck.sparsity;
    // Read once; each worker gets its own copy, since posting a step transfers its buffers.
    const state = await model.getState();
    // Each part's dropout step is the index of its first item: distinct from every other
    // part's and step's (steps start at multiples of the batch size), and fixed by samplesSeen,
    // so a resumed run draws the same masks.
    const pending = this.workers.map((worker, i) => {
      const r = i + 1;
      return worker.step({
        state: state.map((entry) => ({ ...entry, values: Float32Array.from(entry.values) })),
        sparsity,
        step: samplesSeen + r * size,
        inputs: batch.inputs.slice(r * size * itemLength, (r + 1) * size * itemLength),
        shape,
        labels: batch.labels.slice(r * size, (r + 1) * size),
      });
    });

    let own: { value: tf.Scalar; grads: tf.NamedTensorMap };
    model.setTrainingStep(samplesSeen);
    const x = tf.tensor(batch.inputs.subarray(0, size * itemLength), shape);
    try {
      own = tf.variableGrads(() => model.loss(x, batch.labels.slice(0, size), true), [...options.variables]);
    } catch (err) {
      // Let the workers finish before the caller closes them.
      await Promise.allSettled(pending);
      throw err;
    } finally {
      x.dispose();
    }

    try {
      const results = await Promise.all(pending);
      const running = await model.getState({ trainable: false });
      model.setState(
        running.map((entry, k): NamedArray => ({ ...entry, values: mean([entry.values, ...results.map((r) => (r.running[k] as NamedArray).values)]) })),
        { partial: true },
      );
      const gradients = tf.tidy(() =>
        options.variables.flatMap((v, k) => {
          // A variable without a gradient in a replica has gradient 0 there.
          const mine = own.grads[v.name];
          const theirs = results.flatMap((r) => {
            const g = r.gradients[k];
            return g ? [tf.tensor(g, v.shape)] : [];
          });
          const parts = mine ? [mine, ...theirs] : theirs;
          // In variable order, as minimize() passes them: Adam keys its moments by position.
          return parts.length === 0 ? [] : [{ name: v.name, tensor: tf.div(tf.addN(parts), count) }];
        }),
      );
      options.optimizer.applyGradients(gradients);
      tf.dispose(gradients.map((g) => g.tensor));
      const ownLoss = (await own.value.data())[0] ?? NaN;
      return results.reduce((sum, r) => sum + r.loss, ownLoss) / count;
    } finally {
      tf.dispose([own.value, ...Object.values(own.grads)]);
    }
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
