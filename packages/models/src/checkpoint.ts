/**
 * Run folders: configuration, the latest checkpoint, per-density snapshots and the validation log.
 *
 * ```
 * <run>/run.json                       RunConfig (domain, model, training, seed, bottleneck flags)
 * <run>/log.jsonl                      one ValidationRecord per line
 * <run>/checkpoints/latest/            manifest.json + weights.bin (model state),
 *                                      optimizer.json + optimizer.bin (Adam), annealer.json, progress.json
 * <run>/snapshots/density-<%.6e>/      manifest.json + weights.bin + snapshot.json (the model at that density)
 * <run>/eval-<%.6e>.json               evaluation results (written by evaluateRun)
 * ```
 *
 * Every folder is written to `<dir>.tmp-<pid>` and renamed into place. An existing target is
 * first renamed aside to `<dir>.old-<pid>` and removed after the swap; readers fall back to the
 * aside copy, so a crash at any moment leaves one complete checkpoint.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile, appendFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DensityAnnealerState } from '@sparling/layer';
import type { NamedArray, SparlingModelConfig } from './contract.js';
import type { PresetTraining } from './preset-types.js';

/** What `run.json` holds: everything needed to rebuild the model and continue the run. */
export interface RunConfig {
  readonly version: 1;
  readonly domain: { readonly name: string; readonly options: Readonly<Record<string, unknown>> };
  readonly model: SparlingModelConfig;
  readonly training: PresetTraining;
  readonly seed: number;
  /** Preset name the run started from, if any (informational). */
  readonly preset?: string;
  /** The Retrained setting (spec 8.7): g frozen and loaded from `source` at `density`, no bottleneck. */
  readonly retrain?: { readonly source: string; readonly density: number };
  /**
   * `train`'s `replicas` when the run started, if above 1 (informational, like `preset`: a run
   * may be resumed with another count, and run.json is not rewritten then).
   */
  readonly replicas?: number;
}

/** Position of the run, stored in `progress.json`. */
export interface TrainProgressState {
  readonly samplesSeen: number;
  readonly lastValidated: number;
  readonly lastAccuracy: number | null;
  readonly lastLoss: number | null;
  readonly validations: number;
  readonly finished: boolean;
  readonly stopReason: StopReason | null;
  /** Samples seen when the run began to settle at its final density (`training.settleSamples`). */
  readonly settleFrom?: number;
}

export type StopReason = 'density' | 'budget' | 'paused' | 'interrupted';

/** Adam's state: the iteration counter, the bias-correction powers and the moments, in order. */
export interface OptimizerState {
  readonly iterations: number;
  /** β₁ᵗ⁺¹ and β₂ᵗ⁺¹ exactly as the optimizer holds them (float32), for bit-exact resume. */
  readonly accBeta1: number;
  readonly accBeta2: number;
  readonly variables: readonly NamedArray[];
}

export interface Checkpoint {
  readonly state: NamedArray[];
  readonly optimizer: OptimizerState;
  readonly annealer: DensityAnnealerState | null;
  readonly progress: TrainProgressState;
}

export interface SnapshotInfo {
  readonly density: number;
  readonly sparsity: number;
  readonly samplesSeen: number;
  readonly accuracy: number | null;
}

export interface Snapshot extends SnapshotInfo {
  readonly dir: string;
  readonly name: string;
}

/** One line of `log.jsonl`. */
export interface ValidationRecord {
  readonly samplesSeen: number;
  readonly accuracy: number;
  /** Annealer target after the update (null without an annealer). */
  readonly target: number | null;
  /** Density the model was trained and validated at. */
  readonly density: number | null;
  /** Density after the update (lower when `reduced`). */
  readonly newDensity: number | null;
  readonly reduced: boolean;
  /** Present while the run settles at its final density: whether this validation was snapshotted. */
  readonly settling?: { readonly snapshot: boolean };
  readonly loss: number | null;
  readonly seconds: number;
}

/** Formats a density like Python's `%.6e` (`5.022621e-05`), as the reference's folder names do. */
export function formatDensity(density: number): string {
  const [mantissa, exponent = '0'] = density.toExponential(6).split('e');
  const sign = exponent.startsWith('-') ? '-' : '+';
  const digits = exponent.replace(/^[-+]/, '').padStart(2, '0');
  return `${mantissa}e${sign}${digits}`;
}

export const RUN_FILE = 'run.json';
export const LOG_FILE = 'log.jsonl';
export const LATEST_DIR = join('checkpoints', 'latest');
export const SNAPSHOTS_DIR = 'snapshots';

/** Writes a folder atomically (see the module comment). */
export async function writeDirAtomic(target: string, files: Readonly<Record<string, string | Uint8Array>>): Promise<void> {
  const tmp = `${target}.tmp-${process.pid}`;
  const aside = `${target}.old-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(join(tmp, name), content);
  await rm(aside, { recursive: true, force: true });
  if (existsSync(target)) await rename(target, aside);
  await rename(tmp, target);
  await rm(aside, { recursive: true, force: true });
}

/** Writes one file atomically (temporary file, then rename). */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

/** The folder to read: `dir`, or the copy renamed aside if a swap was interrupted. */
async function resolveDir(dir: string): Promise<string | null> {
  if (existsSync(dir)) return dir;
  const parent = dirname(dir);
  if (!existsSync(parent)) return null;
  const base = dir.slice(parent.length + 1);
  const aside = (await readdir(parent)).filter((n) => n.startsWith(`${base}.old-`)).sort();
  return aside.length > 0 ? join(parent, aside[aside.length - 1] as string) : null;
}

interface ManifestEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly offset: number;
  readonly length: number;
}

/** Packs named float32 arrays into one buffer plus a manifest of names, shapes and byte offsets. */
export function packArrays(arrays: readonly NamedArray[]): { manifest: ManifestEntry[]; data: Uint8Array } {
  const total = arrays.reduce((s, a) => s + a.values.length, 0);
  const data = new Float32Array(total);
  const manifest: ManifestEntry[] = [];
  let at = 0;
  for (const a of arrays) {
    const expected = a.shape.reduce((p, d) => p * d, 1);
    if (expected !== a.values.length) throw new Error(`packArrays: "${a.name}" has shape [${a.shape.join(', ')}] but ${a.values.length} values`);
    data.set(a.values, at);
    manifest.push({ name: a.name, shape: [...a.shape], offset: at * 4, length: a.values.length });
    at += a.values.length;
  }
  return { manifest, data: new Uint8Array(data.buffer) };
}

export function unpackArrays(manifest: readonly ManifestEntry[], bytes: Uint8Array): NamedArray[] {
  // Copy into an aligned buffer: a Buffer from readFile may start at any byte offset.
  const aligned = new Uint8Array(bytes.length);
  aligned.set(bytes);
  const all = new Float32Array(aligned.buffer);
  return manifest.map((e) => {
    if (e.offset % 4 !== 0 || e.offset / 4 + e.length > all.length) throw new Error(`checkpoint: entry "${e.name}" lies outside the weights file`);
    return { name: e.name, shape: [...e.shape], values: all.slice(e.offset / 4, e.offset / 4 + e.length) };
  });
}

function weightFiles(state: readonly NamedArray[]): Record<string, string | Uint8Array> {
  const { manifest, data } = packArrays(state);
  return { 'manifest.json': `${JSON.stringify({ version: 1, weights: manifest }, null, 1)}\n`, 'weights.bin': data };
}

async function readWeights(dir: string): Promise<NamedArray[]> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { weights: ManifestEntry[] };
  return unpackArrays(manifest.weights, await readFile(join(dir, 'weights.bin')));
}

export async function writeRunConfig(runDir: string, config: RunConfig): Promise<void> {
  await writeFileAtomic(join(runDir, RUN_FILE), `${JSON.stringify(config, null, 2)}\n`);
}

export async function readRunConfig(runDir: string): Promise<RunConfig> {
  const path = join(runDir, RUN_FILE);
  if (!existsSync(path)) throw new Error(`${runDir} is not a run folder: ${RUN_FILE} is missing`);
  const config = JSON.parse(await readFile(path, 'utf8')) as RunConfig;
  if (config.version !== 1) throw new Error(`${path}: unsupported version ${String(config.version)}`);
  return config;
}

export async function writeCheckpoint(runDir: string, checkpoint: Checkpoint): Promise<void> {
  const opt = packArrays(checkpoint.optimizer.variables);
  const optimizerJson = { version: 1, iterations: checkpoint.optimizer.iterations, accBeta1: checkpoint.optimizer.accBeta1, accBeta2: checkpoint.optimizer.accBeta2, variables: opt.manifest };
  await writeDirAtomic(join(runDir, LATEST_DIR), {
    ...weightFiles(checkpoint.state),
    'optimizer.json': `${JSON.stringify(optimizerJson, null, 1)}\n`,
    'optimizer.bin': opt.data,
    'annealer.json': `${JSON.stringify(checkpoint.annealer)}\n`,
    'progress.json': `${JSON.stringify(checkpoint.progress, null, 2)}\n`,
  });
}

/** The latest checkpoint of a run, or null if it has none yet. */
export async function readCheckpoint(runDir: string): Promise<Checkpoint | null> {
  const dir = await resolveDir(join(runDir, LATEST_DIR));
  if (dir === null) return null;
  const optimizerJson = JSON.parse(await readFile(join(dir, 'optimizer.json'), 'utf8')) as {
    iterations: number;
    accBeta1: number;
    accBeta2: number;
    variables: ManifestEntry[];
  };
  return {
    state: await readWeights(dir),
    optimizer: {
      iterations: optimizerJson.iterations,
      accBeta1: optimizerJson.accBeta1,
      accBeta2: optimizerJson.accBeta2,
      variables: unpackArrays(optimizerJson.variables, await readFile(join(dir, 'optimizer.bin'))),
    },
    annealer: JSON.parse(await readFile(join(dir, 'annealer.json'), 'utf8')) as DensityAnnealerState | null,
    progress: JSON.parse(await readFile(join(dir, 'progress.json'), 'utf8')) as TrainProgressState,
  };
}

export function snapshotName(density: number): string {
  return `density-${formatDensity(density)}`;
}

export async function writeSnapshot(runDir: string, info: SnapshotInfo, state: readonly NamedArray[]): Promise<string> {
  const dir = join(runDir, SNAPSHOTS_DIR, snapshotName(info.density));
  await writeDirAtomic(dir, { ...weightFiles(state), 'snapshot.json': `${JSON.stringify(info, null, 2)}\n` });
  return dir;
}

/** Every snapshot of a run, highest density first. */
export async function listSnapshots(runDir: string): Promise<Snapshot[]> {
  const root = join(runDir, SNAPSHOTS_DIR);
  if (!existsSync(root)) return [];
  const names = new Set<string>();
  for (const entry of await readdir(root)) {
    const m = /^(density-[^.]+?(?:\.\d+)?e[-+]\d+)(?:\.old-\d+)?$/.exec(entry);
    if (m?.[1]) names.add(m[1]);
  }
  const snapshots: Snapshot[] = [];
  for (const name of names) {
    const dir = await resolveDir(join(root, name));
    if (dir === null || !existsSync(join(dir, 'snapshot.json'))) continue;
    const info = JSON.parse(await readFile(join(dir, 'snapshot.json'), 'utf8')) as SnapshotInfo;
    snapshots.push({ ...info, dir, name });
  }
  return snapshots.sort((a, b) => b.density - a.density);
}

export async function readSnapshotState(snapshot: Snapshot): Promise<NamedArray[]> {
  return readWeights(snapshot.dir);
}

/**
 * The snapshot for a target density: the one within 1% (relative) of it, as the reference's
 * `step_for_sparsity` matches densities; throws listing the available ones otherwise.
 */
export function findSnapshot(snapshots: readonly Snapshot[], density: number): Snapshot {
  let best: Snapshot | undefined;
  for (const s of snapshots) {
    const rel = Math.abs(s.density - density) / density;
    if (rel <= 0.01 && (best === undefined || rel < Math.abs(best.density - density) / density)) best = s;
  }
  if (best === undefined) {
    const list = snapshots.map((s) => formatDensity(s.density)).join(', ') || 'none';
    throw new Error(`no snapshot within 1% of density ${formatDensity(density)}; available: ${list}`);
  }
  return best;
}

export async function appendLog(runDir: string, record: ValidationRecord): Promise<void> {
  await appendFile(join(runDir, LOG_FILE), `${JSON.stringify(record)}\n`);
}

export async function readLog(runDir: string): Promise<ValidationRecord[]> {
  const path = join(runDir, LOG_FILE);
  if (!existsSync(path)) return [];
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ValidationRecord);
}

/** Drops log lines written after the checkpoint a resumed run continues from. */
export async function truncateLog(runDir: string, samplesSeen: number): Promise<void> {
  const records = await readLog(runDir);
  const kept = records.filter((r) => r.samplesSeen <= samplesSeen);
  if (kept.length !== records.length) {
    await writeFileAtomic(join(runDir, LOG_FILE), kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
}

/** Everything stored in a run folder. */
export interface LoadedRun {
  readonly dir: string;
  readonly config: RunConfig;
  readonly checkpoint: Checkpoint | null;
  readonly snapshots: Snapshot[];
  readonly log: ValidationRecord[];
}

export async function loadRun(dir: string): Promise<LoadedRun> {
  const config = await readRunConfig(dir);
  return { dir, config, checkpoint: await readCheckpoint(dir), snapshots: await listSnapshots(dir), log: await readLog(dir) };
}
