import os from 'node:os';
import { parseArgs } from 'node:util';
import { describeBackend, initBackend, type BackendChoice, type BackendRequest, type WebGPUAdapter } from '@sparling/backend';
import { batches, createDomain, type Domain } from '@sparling/domains';
import { createSparlingModel, presets, writeFileAtomic, type PresetName } from '@sparling/models';
import * as tf from '@tensorflow/tfjs';
import { parseNumberFlag } from '../args.js';
import { BACKEND_HELP, parseBackend, startBackend } from '../backend-flag.js';
import type { Command } from '../command.js';
import { UsageError } from '../io.js';
import { CPU_DIGIT_CIRCLE } from './train.js';

/** A training step to time: a domain at a preset, at the preset's batch size. */
interface BenchCase {
  readonly name: string;
  readonly domain: 'digit-circle' | 'latex-ocr';
  readonly preset: PresetName;
}

// The cpu presets first: a paper preset can exhaust the wasm heap, and the wasm backend does not
// recover from that within the process.
const CASES: readonly BenchCase[] = [
  { name: 'digit-circle-cpu', domain: 'digit-circle', preset: 'cpu' },
  { name: 'latex-ocr-cpu', domain: 'latex-ocr', preset: 'cpu' },
  { name: 'digit-circle-paper', domain: 'digit-circle', preset: 'paper' },
  { name: 'latex-ocr-paper', domain: 'latex-ocr', preset: 'paper' },
];

const USAGE = `usage: sparling bench [--backend B] [--cases LIST] [--steps N] [--batch-size N] [--no-wasm] [--out FILE] [--json]

Times the training step (forward, backward, Adam, the loss read back) of the presets on one
backend, beside the same steps on wasm, and writes the figures with the machine and the GPU
adapter to FILE: one command to run on a GPU and paste back. On a software adapter (SwiftShader)
it says so: those figures show that the path runs, not what a GPU does.

  --backend B      ${BACKEND_HELP}
  --cases LIST     comma-separated, from ${CASES.map((c) => c.name).join(', ')}
                   (default: all; DigitCircle cpu is 48x48 at batch 32, paper 100x100 at batch 10;
                   LaTeX-OCR 120x360 at batch 4 (cpu) and 8 (paper))
  --steps N        timed steps per case after one warm-up step (default 5); the median counts
  --batch-size N   overrides every case's batch size (a quick check of the path)
  --no-wasm        skip the wasm figures
  --out FILE       where to write the JSON (default sparling-bench-<backend>.json)
  --json           print the JSON instead of the table`;

interface Timing {
  readonly msPerStep: number;
  readonly samplesPerSecond: number;
  readonly warmupMs: number;
  readonly stepsMs: readonly number[];
}

type Outcome = Timing | { readonly error: string };

interface CaseResult {
  readonly name: string;
  readonly inputShape: readonly number[];
  readonly batchSize: number;
  readonly backend: Outcome;
  readonly wasm?: Outcome;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const round = (x: number) => Number(x.toFixed(2));

function domainOf(c: BenchCase): Domain {
  return c.domain === 'digit-circle' && c.preset === 'cpu' ? createDomain('digit-circle', { ...CPU_DIGIT_CIRCLE }) : createDomain(c.domain);
}

/** One warm-up and `steps` timed training steps of a fresh model; everything is disposed. */
async function timeSteps(domain: Domain, preset: PresetName, batchSize: number, steps: number): Promise<Timing> {
  const { training } = presets[preset](domain);
  const model = createSparlingModel(domain, preset, {}, { seed: 1 });
  const optimizer = tf.train.adam(training.learningRate, 0.9, 0.999, 1e-8);
  const variables = model.trainableVariables();
  let x: tf.Tensor | null = null;
  try {
    let labels: readonly (readonly string[])[] = [];
    for await (const batch of batches(domain, { seed: 1, batchSize, end: batchSize, workers: 0 })) {
      x = tf.tensor(batch.inputs, [...batch.shape]);
      labels = batch.labels;
    }
    const input = x as tf.Tensor;
    const step = async (): Promise<number> => {
      const started = performance.now();
      const loss = optimizer.minimize(() => model.loss(input, labels, true), true, variables);
      await loss?.data();
      loss?.dispose();
      return performance.now() - started;
    };
    const warmupMs = await step();
    const stepsMs: number[] = [];
    for (let i = 0; i < steps; i++) stepsMs.push(await step());
    const ms = median(stepsMs);
    return { msPerStep: round(ms), samplesPerSecond: round((1000 * batchSize) / ms), warmupMs: round(warmupMs), stepsMs: stepsMs.map(round) };
  } finally {
    x?.dispose();
    optimizer.dispose();
    model.dispose();
  }
}

async function outcome(run: () => Promise<Timing>): Promise<Outcome> {
  try {
    return await run();
  } catch (err) {
    return { error: (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unknown error' };
  }
}

function describeOutcome(o: Outcome | undefined): string {
  if (o === undefined) return 'not run';
  return 'error' in o ? `failed: ${o.error}` : `${o.samplesPerSecond} samples/s (${o.msPerStep} ms/step)`;
}

function parseCases(value: string | undefined): BenchCase[] {
  if (value === undefined) return [...CASES];
  const names = value.split(',').map((s) => s.trim());
  const chosen = names.map((n) => CASES.find((c) => c.name === n));
  const unknown = names.filter((_, i) => chosen[i] === undefined);
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(`--cases: expected names from ${CASES.map((c) => c.name).join(', ')}, received ${JSON.stringify(value)}`);
  }
  return chosen as BenchCase[];
}

function adapterNote(adapter: WebGPUAdapter | undefined): string | null {
  if (adapter === undefined) return null;
  return adapter.software
    ? `"${adapter.description}" is a software adapter that runs on the CPU: these figures show that the webgpu path runs, not what a GPU does`
    : `measured on "${adapter.description}" (${adapter.vendor} ${adapter.architecture})`;
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'times the presets\' training steps on a backend beside wasm, and writes the figures as JSON',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        backend: { type: 'string' },
        cases: { type: 'string' },
        steps: { type: 'string' },
        'batch-size': { type: 'string' },
        'no-wasm': { type: 'boolean', default: false },
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length > 0) throw new UsageError(`expected no positional arguments, received ${positionals.map((p) => JSON.stringify(p)).join(' ')}`);
    const request: BackendRequest | undefined = parseBackend(values.backend);
    const cases = parseCases(values.cases);
    const steps = parseNumberFlag('steps', values.steps, { integer: true, min: 1 }) ?? 5;
    const batchOverride = parseNumberFlag('batch-size', values['batch-size'], { integer: true, min: 1 });
    if (values.out === '') throw new UsageError('--out: expected a file path, received ""');

    const choice: BackendChoice = await startBackend(io, request);
    const out = values.out ?? `sparling-bench-${choice.backend}.json`;
    const compareWithWasm = !values['no-wasm'] && choice.backend !== 'wasm';
    const note = adapterNote(choice.adapter);
    if (note !== null) io.stderr(`bench: ${note}\n`);
    const loadBefore = os.loadavg()[0] ?? 0;

    const results: CaseResult[] = [];
    const report = () => ({
      command: ['sparling', 'bench', ...args].join(' '),
      backend: choice.backend,
      description: describeBackend(choice),
      adapter: choice.adapter ?? null,
      note,
      steps,
      // False while cases are still to run: the file is rewritten after each case, so a long
      // run that is stopped keeps what it measured.
      complete: results.length === cases.length,
      cases: results,
      machine: {
        cpu: os.cpus()[0]?.model ?? 'unknown',
        cores: os.cpus().length,
        memoryGiB: round(os.totalmem() / 2 ** 30),
        platform: `${os.platform()}-${os.arch()} ${os.release()}`,
        node: process.version,
        date: new Date().toISOString(),
        loadAverage1m: { before: round(loadBefore), after: round(os.loadavg()[0] ?? 0) },
      },
    });
    let written = report();
    for (const c of cases) {
      const domain = domainOf(c);
      const batchSize = batchOverride ?? presets[c.preset](domain).training.batchSize;
      const time = async (backend: string): Promise<Outcome> => {
        io.stderr(`bench: ${c.name} on ${backend}, batch ${batchSize} ...\n`);
        const measured = await outcome(() => timeSteps(domain, c.preset, batchSize, steps));
        io.stderr(`bench: ${c.name} on ${backend}: ${describeOutcome(measured)}\n`);
        return measured;
      };
      const measured = await time(choice.backend);
      let wasm: Outcome | undefined;
      if (compareWithWasm) {
        await initBackend({ backend: 'wasm' });
        wasm = await time('wasm');
        await tf.setBackend(choice.tfBackendName);
      }
      results.push({ name: c.name, inputShape: [batchSize, ...domain.inputShape], batchSize, backend: measured, ...(wasm ? { wasm } : {}) });
      written = report();
      await writeFileAtomic(out, `${JSON.stringify(written, null, 2)}\n`);
    }
    if (values.json) {
      io.stdout(`${JSON.stringify(written)}\n`);
    } else {
      const rows = results.map((r) => `${r.name.padEnd(20)} ${String(r.batchSize).padStart(5)}  ${describeOutcome(r.backend).padEnd(36)}  ${compareWithWasm ? describeOutcome(r.wasm) : ''}`);
      io.stdout(
        [
          `${'case'.padEnd(20)} ${'batch'.padStart(5)}  ${choice.backend.padEnd(36)}  ${compareWithWasm ? 'wasm' : ''}`.trimEnd(),
          ...rows.map((r) => r.trimEnd()),
          ...(note !== null ? [note] : []),
          `wrote ${out}`,
          '',
        ].join('\n'),
      );
    }
    return results.some((r) => 'error' in r.backend) ? 1 : 0;
  },
};
