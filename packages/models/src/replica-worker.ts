// Worker-thread entry of `train` with `replicas` > 1: holds a copy of the model on the main
// thread's backend and, for each step, loads the main model's state and returns the loss,
// gradients and updated running statistics of its part of the batch. It never steps an optimizer.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@sparling/backend';
import type { ReplicaInit, ReplicaMessage, ReplicaResult, ReplicaStep } from './internal/replica-protocol.js';
import { SparlingModel } from './sparling-model.js';

const init = workerData as ReplicaInit;
const port = parentPort!;

const failure = (err: unknown): ReplicaMessage =>
  err instanceof Error ? { kind: 'error', message: err.message, stack: err.stack } : { kind: 'error', message: String(err), stack: undefined };

function post(message: ReplicaMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

async function step(model: SparlingModel, variables: tf.Variable[], request: ReplicaStep): Promise<ReplicaResult> {
  model.setState(request.state);
  if (request.sparsity !== null) model.bottleneck.sparsity = request.sparsity;
  model.setTrainingStep(request.step);
  const x = tf.tensor(request.inputs, [...request.shape]);
  try {
    const { value, grads } = tf.variableGrads(() => model.loss(x, request.labels, true), variables);
    try {
      // Copies: on the cpu backend data() resolves to the tensor's own storage.
      const gradients = await Promise.all(
        variables.map(async (v) => {
          const g = grads[v.name];
          return g ? Float32Array.from(await g.data()) : null;
        }),
      );
      return { loss: (await value.data())[0] ?? NaN, gradients, running: await model.getState({ trainable: false }) };
    } finally {
      tf.dispose([value, ...Object.values(grads)]);
    }
  } finally {
    x.dispose();
  }
}

const ready = (async () => {
  // The same backend and kernels as the main thread, so both halves compute alike.
  await initBackend({ backend: init.backend });
  const model = new SparlingModel(init.model, { seed: init.seed });
  return { model, variables: model.trainableVariables({ frozenMotifModel: init.frozenMotifModel }) };
})();

ready.then(
  () => post({ kind: 'ready' }),
  (err: unknown) => post(failure(err)),
);

port.on('message', (request: ReplicaStep) => {
  void ready.then(async ({ model, variables }) => {
    let result: ReplicaResult;
    try {
      result = await step(model, variables, request);
    } catch (err) {
      post(failure(err));
      return;
    }
    const buffers = [...result.gradients, ...result.running.map((r) => r.values)].flatMap((a) => (a ? [a.buffer as ArrayBuffer] : []));
    post({ kind: 'result', result }, buffers);
  });
});
