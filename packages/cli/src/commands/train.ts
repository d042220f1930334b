import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { BACKEND_HELP, parseBackend, startBackend } from '../backend-flag.js';
import type { BackendRequest } from '@sparling/backend';
import { isDomainName, domainNames, type Domain, type DomainName } from '@sparling/domains';
import {
  domainOf,
  presets,
  readCheckpoint,
  readRunConfig,
  runConfigDifference,
  train,
  withOverrides,
  type PresetName,
  type PresetTraining,
  type SparlingModelConfig,
  type SparlingModelOverrides,
  type StopReason,
  type TrainResult,
  type ValidationRecord,
} from '@sparling/models';
import { onePositional, parseNumberFlag } from '../args.js';
import { createDomainFromFlag, parseDomainOptions } from '../domain-flag.js';
import type { Command } from '../command.js';
import { UsageError, type CliIo } from '../io.js';
import { ProgressBar, formatNumber } from '../progress.js';
import { resolveDomainOptions } from '../speech.js';

const BOTTLENECKS = ['sparling', 'l1', 'kl', 'none'] as const;
const MODES = ['per-channel', 'global'] as const;

/** The reduced DigitCircle canvas the cpu preset is sized for. */
export const CPU_DIGIT_CIRCLE = { size: 48, minRadius: 8, jitter: 1, maxDigits: 4 } as const;

export function validationHeader(): string {
  return `${'samples'.padStart(9)}  ${'accuracy'.padStart(8)}  ${'target'.padStart(7)}  ${'density'.padStart(11)}  ${'loss'.padStart(8)}\n`;
}

export function validationLine(r: ValidationRecord): string {
  const target = r.target === null ? '-' : r.target.toFixed(4);
  const density = r.density === null ? '-' : formatNumber(r.density);
  return `${String(r.samplesSeen).padStart(9)}  ${r.accuracy.toFixed(4).padStart(8)}  ${target.padStart(7)}  ${density.padStart(11)}  ${(r.loss === null ? '-' : formatNumber(r.loss)).padStart(8)}${r.reduced ? `  reduced to ${formatNumber(r.newDensity ?? NaN)}` : ''}${r.settling ? `  settling${r.settling.snapshot ? ', snapshot' : ''}` : ''}\n`;
}

/** Runs `train` with a progress bar on stderr and the validation table on stdout; Ctrl-C checkpoints and stops. */
export async function runTraining(
  io: CliIo,
  options: Parameters<typeof train>[0],
): Promise<TrainResult> {
  const controller = new AbortController();
  const onSigint = () => {
    io.stderr('\ninterrupt: finishing the step and writing a checkpoint (Ctrl-C again to abort)\n');
    controller.abort();
    process.off('SIGINT', onSigint);
  };
  process.on('SIGINT', onSigint);
  io.stdout(validationHeader());
  let bar: ProgressBar | null = null;
  try {
    return await train({
      ...options,
      signal: controller.signal,
      onProgress: (p) => {
        if (bar === null) {
          // The first step includes start-up costs; the bar's rate starts after it.
          bar = new ProgressBar(io, { total: p.maxSamples - p.startSamples, label: 'train', unit: 'samples' });
        } else {
          bar.update(p.samplesSeen - p.startSamples, {
            seen: String(p.samplesSeen),
            loss: p.loss,
            density: p.density === null ? '-' : formatNumber(p.density),
            target: p.target === null ? '-' : p.target.toFixed(4),
            acc: p.lastAccuracy === null ? '-' : p.lastAccuracy.toFixed(4),
          });
        }
        options.onProgress?.(p);
      },
      onValidation: (r) => {
        io.stdout(validationLine(r));
        options.onValidation?.(r);
      },
    });
  } finally {
    (bar as ProgressBar | null)?.finish();
    process.off('SIGINT', onSigint);
  }
}

export function summary(result: TrainResult, minimumDensity: number): string {
  const why = { density: 'reached the stopping density', budget: 'used the sample budget', paused: 'paused (resume with --resume)', interrupted: 'interrupted (resume with --resume)' }[result.stopReason];
  return [
    '',
    `run        ${result.runDir}`,
    `samples    ${result.samplesSeen} (${result.samplesSeen - result.startSamples} in ${result.seconds.toFixed(1)} s, ${formatNumber(result.samplesPerSecond)} samples/s): ${why}`,
    `density    ${result.density === null ? 'n/a (no sparsity layer)' : `${formatNumber(result.density)} (${(result.density / minimumDensity).toFixed(2)}x the minimum ${formatNumber(minimumDensity)})`}`,
    `accuracy   ${result.lastAccuracy === null ? 'not validated yet' : `${(100 * result.lastAccuracy).toFixed(2)}% exact on the validation items`}`,
    `loss       ${result.lastLoss === null ? '-' : formatNumber(result.lastLoss)}`,
    '',
  ].join('\n');
}

const USAGE = `usage: sparling train <domain> [--preset cpu|paper] [--seed N] [--out DIR] [--resume] [--until N] [options]

Trains a SPARLING model: training items stream from seed N (never repeated), validation runs on
seed -1 every validateEvery samples, and the annealer lowers the density whenever the exact-match
accuracy beats its target. Stops at the domain's minimum density (x the preset's stopAtDensity) or
at the sample budget. The model is snapshotted before every density cut (snapshots/), the latest
checkpoint is kept in checkpoints/latest, and every validation is logged to log.jsonl.

  --preset P            cpu (default) or paper; with cpu, digit-circle uses the 48x48 canvas
  --domain-options JSON domain options (default: the cpu preset's 48x48 canvas for digit-circle,
                        otherwise the domain's own, e.g. latex-ocr's 120x360); audio-mnist-sequence
                        reads '{"speech":"/path/to/AudioMNIST/data"}', or without it the synthetic
                        speech of @sparling/speech-espeak (rendered once into its cache, ~45 s)
  --seed N              training data and initialisation seed (default 1)
  --out DIR             run folder (default runs/<domain>-<preset>-seed<N>)
  --resume              continue the run in --out from its latest checkpoint (the run's own
                        settings from run.json; only --until, --workers, --replicas and
                        --backend apply)
  --until N             pause once N samples have been seen: checkpoint, then continue later
                        with --resume
  --max-samples N       sample budget (default: the preset's)
  --validate-every N    samples between validations (default: the preset's)
  --validation-items N  validation items of seed -1 (default: the preset's)
  --batch-size N        items per step (default: the preset's)
  --learning-rate X     Adam learning rate (default: the preset's)
  --bottleneck K        sparling (default), l1, kl or none
  --lambda X            weight of the l1/kl auxiliary loss
  --kl-target P         target density of the kl loss, 0 < P < 1 (default: the reference's
                        5.022621e-05, the 100 x 100 DigitCircle's minimum density)
  --mode M              per-channel (default, MT) or global (ST)
  --no-batchnorm        the no-batch-norm ablation
  --start-density D     starting density (the no-annealing ablation starts at the bar)
  --motif-width N       width of the motif model g's residual units (default: the preset's)
  --min-update-interval N
                        samples the annealer waits after a validation it acted on before it acts
                        on another (the reference's minimal_update_frequency; default 0: every one)
  --settle-samples N    samples trained at the final density instead of stopping at the cut below
                        it, keeping the snapshot of each validation that beats the target (default:
                        the preset's; 0 stops at once, as the reference)
  --workers N           data worker threads (default 1)
  --replicas N          model copies splitting each batch, N - 1 of them on worker threads, one
                        per core (default 1; the batch size must be a multiple of N); the
                        gradients and running statistics are averaged over them
  --backend B           ${BACKEND_HELP}`;

/** Reads `--replicas` (default 1). */
export function parseReplicas(value: string | undefined): number {
  return parseNumberFlag('replicas', value, { integer: true, min: 1 }) ?? 1;
}

/** Every replica trains an equal part of each batch, so N must divide the run's batch size. */
export function checkReplicas(replicas: number, batchSize: number): void {
  if (batchSize % replicas !== 0) throw new UsageError(`--replicas: expected a divisor of the batch size (${batchSize}), received ${replicas}`);
}

/**
 * The flags that define a run, shared by `sparling train` and `sparling sweep` (each command adds
 * its own, e.g. train's --seed and sweep's --seeds).
 */
export const RUN_FLAGS = {
  preset: { type: 'string' },
  'domain-options': { type: 'string' },
  out: { type: 'string' },
  'max-samples': { type: 'string' },
  'validate-every': { type: 'string' },
  'validation-items': { type: 'string' },
  'batch-size': { type: 'string' },
  'learning-rate': { type: 'string' },
  bottleneck: { type: 'string' },
  lambda: { type: 'string' },
  'kl-target': { type: 'string' },
  mode: { type: 'string' },
  'no-batchnorm': { type: 'boolean', default: false },
  'start-density': { type: 'string' },
  'motif-width': { type: 'string' },
  'min-update-interval': { type: 'string' },
  'settle-samples': { type: 'string' },
  workers: { type: 'string' },
  replicas: { type: 'string' },
  backend: { type: 'string' },
} as const;

/**
 * The preset training settings that a flag replaces, with how each flag's value is read; shared
 * by the parser and by `sparling compare`, which turns a run.json back into these flags.
 */
export const TRAINING_FLAGS = [
  ['maxSamples', 'max-samples', { integer: true, min: 1 }],
  ['validateEvery', 'validate-every', { integer: true, min: 1 }],
  ['validationItems', 'validation-items', { integer: true, min: 1 }],
  ['batchSize', 'batch-size', { integer: true, min: 1 }],
  ['learningRate', 'learning-rate', { min: 0 }],
] as const satisfies readonly (readonly [keyof PresetTraining, keyof typeof RUN_FLAGS, { integer?: boolean; min?: number }])[];

/**
 * The usage paragraph of commands that take {@link RUN_FLAGS} (except --out, which each documents
 * itself), built from the flags so that a new train flag shows up everywhere.
 */
export function runFlagsHelp(width = 96): string {
  const words = ['Train', 'options', '(see', 'sparling', 'train', '--help):', ...Object.keys(RUN_FLAGS).filter((k) => k !== 'out').map((k, i, all) => `--${k}${i === all.length - 1 ? '.' : ','}`)];
  const lines: string[] = [];
  for (const word of words) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.join('\n');
}

export type RunFlagValues = { readonly [K in keyof typeof RUN_FLAGS]?: (typeof RUN_FLAGS)[K]['type'] extends 'boolean' ? boolean : string };

/** A run as the command line describes it, before any training. */
export interface RunSetup {
  readonly domainName: DomainName;
  readonly presetName: PresetName;
  readonly domain: Domain;
  readonly model: SparlingModelConfig;
  readonly training: PresetTraining;
  readonly workers: number;
  readonly replicas: number;
  readonly backend: BackendRequest | undefined;
  /** --out, or the command's default folder. */
  readonly runDir: string;
}

/** The {@link RUN_FLAGS} checked, before the domain exists. */
interface RunFlags {
  readonly domainName: DomainName;
  readonly presetName: PresetName;
  readonly domainOptions: Record<string, unknown>;
  readonly bottleneck: NonNullable<SparlingModelOverrides['bottleneck']>;
  /** --motif-width, when given. */
  readonly motifWidth: number | undefined;
  /** --min-update-interval, when given. */
  readonly minUpdateInterval: number | undefined;
  /** --settle-samples, when given. */
  readonly settleSamples: number | undefined;
  /** The preset's training settings that flags replace. */
  readonly training: Partial<PresetTraining>;
  readonly workers: number;
  readonly replicas: number;
  readonly backend: BackendRequest | undefined;
  readonly runDir: string;
}

/**
 * Validates the domain positional and the {@link RUN_FLAGS}. Kept apart from building the domain,
 * which may render speech: `train --resume` needs only the folder and rebuilds its domain from
 * run.json.
 */
function parseRunFlags(
  positionals: readonly string[],
  values: RunFlagValues,
  defaultRunDir: (domainName: DomainName, presetName: PresetName) => string,
): RunFlags {
  const domainName = onePositional(positionals, `domain (${domainNames.join(', ')})`);
  if (!isDomainName(domainName)) throw new UsageError(`unknown domain ${JSON.stringify(domainName)}; expected one of ${domainNames.join(', ')}`);
  const presetName = (values.preset ?? 'cpu') as PresetName;
  if (!(presetName in presets)) throw new UsageError(`--preset: expected one of ${Object.keys(presets).join(', ')}, received ${JSON.stringify(values.preset)}`);
  const bottleneckKind = values.bottleneck ?? 'sparling';
  if (!BOTTLENECKS.includes(bottleneckKind as (typeof BOTTLENECKS)[number])) throw new UsageError(`--bottleneck: expected one of ${BOTTLENECKS.join(', ')}, received ${JSON.stringify(bottleneckKind)}`);
  const mode = values.mode ?? 'per-channel';
  if (!MODES.includes(mode as (typeof MODES)[number])) throw new UsageError(`--mode: expected one of ${MODES.join(', ')}, received ${JSON.stringify(mode)}`);
  const lambda = parseNumberFlag('lambda', values.lambda, { min: 0 });
  if ((bottleneckKind === 'l1' || bottleneckKind === 'kl') && lambda === undefined) throw new UsageError(`--lambda is required with --bottleneck ${bottleneckKind}`);
  const klTarget = parseNumberFlag('kl-target', values['kl-target']);
  if (klTarget !== undefined && !(klTarget > 0 && klTarget < 1)) throw new UsageError(`--kl-target: expected a number between 0 and 1, exclusive, received ${values['kl-target']}`);
  if (klTarget !== undefined && bottleneckKind !== 'kl') throw new UsageError(`--kl-target: expected only with --bottleneck kl, received it with --bottleneck ${bottleneckKind}`);
  const backend = parseBackend(values.backend);
  const domainOptions = parseDomainOptions(values['domain-options']) ?? (presetName === 'cpu' && domainName === 'digit-circle' ? { ...CPU_DIGIT_CIRCLE } : {});
  const startDensity = parseNumberFlag('start-density', values['start-density'], { min: Number.MIN_VALUE, max: 1 });
  const bottleneck = {
    kind: bottleneckKind as (typeof BOTTLENECKS)[number],
    mode: mode as (typeof MODES)[number],
    ...(values['no-batchnorm'] ? { batchNorm: false } : {}),
    ...(lambda !== undefined ? { lambda } : {}),
    ...(klTarget !== undefined ? { targetDensity: klTarget } : {}),
    ...(startDensity !== undefined ? { density: startDensity } : {}),
  };
  const motifWidth = parseNumberFlag('motif-width', values['motif-width'], { integer: true, min: 1 });
  const minUpdateInterval = parseNumberFlag('min-update-interval', values['min-update-interval'], { integer: true, min: 0 });
  const settleSamples = parseNumberFlag('settle-samples', values['settle-samples'], { integer: true, min: 0 });
  const given = TRAINING_FLAGS.map(([key, flag, opts]) => [key, parseNumberFlag(flag, values[flag], opts)] as const);
  const training = Object.fromEntries(given.filter(([, v]) => v !== undefined)) as Partial<PresetTraining>;
  const workers = parseNumberFlag('workers', values.workers, { integer: true, min: 0 }) ?? 1;
  const replicas = parseReplicas(values.replicas);
  const runDir = values.out ?? defaultRunDir(domainName, presetName);
  return { domainName, presetName, domainOptions, bottleneck, motifWidth, minUpdateInterval, settleSamples, training, workers, replicas, backend, runDir };
}

/**
 * Validates the domain positional and the {@link RUN_FLAGS} and builds the run they describe;
 * audio-mnist-sequence without a `speech` option gets the built-in synthetic speech, rendered
 * once with a progress bar on `io`'s stderr (see {@link resolveDomainOptions}).
 */
export async function parseRunSetup(
  positionals: readonly string[],
  values: RunFlagValues,
  defaultRunDir: (domainName: DomainName, presetName: PresetName) => string,
  io: CliIo,
): Promise<RunSetup> {
  const { domainName, presetName, domainOptions, bottleneck, motifWidth, minUpdateInterval, settleSamples, training: given, workers, replicas, backend, runDir } = parseRunFlags(positionals, values, defaultRunDir);
  const domain = createDomainFromFlag(domainName, await resolveDomainOptions(domainName, domainOptions, io));
  const preset = presets[presetName](domain);
  const model: SparlingModelConfig = withOverrides(preset.model, { bottleneck, ...(motifWidth !== undefined ? { motif: { width: motifWidth } } : {}) });
  const { settleSamples: presetSettle, ...presetTraining } = preset.training;
  const settle = settleSamples ?? presetSettle ?? 0;
  // 0 is the default, so it is left out: run.json is then the same as before the option existed.
  const training: PresetTraining = {
    ...presetTraining,
    ...given,
    ...(minUpdateInterval !== undefined ? { annealer: { ...preset.training.annealer, minUpdateInterval } } : {}),
    ...(settle > 0 ? { settleSamples: settle } : {}),
  };
  checkReplicas(replicas, training.batchSize);
  return { domainName, presetName, domain, model, training, workers, replicas, backend, runDir };
}

/** What {@link trainOrResume} did with a run folder. */
export interface TrainingOutcome {
  readonly training: 'trained' | 'resumed' | 'skipped';
  readonly samplesSeen: number;
  readonly stopReason: StopReason | null;
}

/**
 * Trains `setup` with `seed` into `runDir`, resuming the run if the folder holds one and leaving
 * it alone if it finished; `position` prefixes the messages (e.g. "seed 2 (2 of 3)").
 */
export async function trainOrResume(io: CliIo, tableIo: CliIo, setup: RunSetup, seed: number, runDir: string, position: string): Promise<TrainingOutcome> {
  const { domain, model, training, presetName, workers, replicas } = setup;
  let resume = false;
  if (existsSync(join(runDir, 'run.json'))) {
    const stored = await readRunConfig(runDir);
    // Continuing a run under other settings would report a result of nothing in particular.
    const differs = runConfigDifference(stored, { version: 1, domain: { name: domain.name, options: domain.options }, model, training, seed });
    if (differs !== null) throw new Error(`${join(runDir, 'run.json')} has a different ${differs} than these options; rerun with the options the run started with, or pick another --out`);
    const progress = (await readCheckpoint(runDir))?.progress;
    if (progress?.finished) {
      io.stderr(`${position}: ${runDir} finished at ${progress.samplesSeen} samples; not retraining\n`);
      return { training: 'skipped', samplesSeen: progress.samplesSeen, stopReason: progress.stopReason };
    }
    resume = true;
    io.stderr(`${position}: resuming ${runDir}\n`);
  } else {
    io.stderr(`${position}: training -> ${runDir}\n`);
  }
  const result = await runTraining(tableIo, { domain, model, training, seed, runDir, preset: presetName, workers, replicas, resume });
  if (result.stopReason !== 'interrupted') tableIo.stdout(summary(result, domain.minimumDensity));
  return { training: resume ? 'resumed' : 'trained', samplesSeen: result.samplesSeen, stopReason: result.stopReason };
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a SPARLING model on a domain, with checkpoints, snapshots and --resume',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        ...RUN_FLAGS,
        seed: { type: 'string' },
        resume: { type: 'boolean', default: false },
        until: { type: 'string' },
      },
    });
    const seed = parseNumberFlag('seed', values.seed, { integer: true }) ?? 1;
    const until = parseNumberFlag('until', values.until, { integer: true, min: 1 });
    const defaultRunDir = (d: DomainName, p: PresetName): string => join('runs', `${d}-${p}-seed${seed}`);
    if (values.resume) {
      // A resumed run continues exactly as recorded in run.json; other flags are ignored, and no
      // domain is built from them (for audio that could render speech the run does not use).
      const { workers, replicas, backend, runDir } = parseRunFlags(positionals, values, defaultRunDir);
      const stored = await readRunConfig(runDir);
      checkReplicas(replicas, stored.training.batchSize);
      await startBackend(io, backend);
      const storedDomain = domainOf(stored);
      io.stderr(`resuming ${runDir} (${stored.domain.name}, seed ${stored.seed})\n`);
      const result = await runTraining(io, {
        domain: storedDomain, model: stored.model, training: stored.training, seed: stored.seed, runDir, resume: true, workers, replicas,
        ...(until !== undefined ? { until } : {}),
        ...(stored.preset !== undefined ? { preset: stored.preset } : {}),
      });
      io.stdout(summary(result, storedDomain.minimumDensity));
      return 0;
    }
    const { domainName, presetName, domain, model, training, workers, replicas, backend, runDir } = await parseRunSetup(positionals, values, defaultRunDir, io);
    await startBackend(io, backend);
    io.stderr(`training ${domainName} (${JSON.stringify(domain.options)}), preset ${presetName}, seed ${seed}, bottleneck ${model.bottleneck.kind} -> ${runDir}\n`);
    const result = await runTraining(io, { domain, model, training, seed, runDir, preset: presetName, workers, replicas, ...(until !== undefined ? { until } : {}) });
    io.stdout(summary(result, domain.minimumDensity));
    return 0;
  },
};
