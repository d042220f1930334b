// Every package's benchmark writes through here, so all results describe the machine the same
// way (including the load average before and after, without which a figure on this shared
// 2-core machine cannot be trusted) and no result file is ever half-written.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));

/** Call before measuring; pass the result to {@link writeBenchResult}. */
export function startBench() {
  return { loadBefore: os.loadavg()[0] ?? 0 };
}

/**
 * Writes `report` to bench/results/<name>.json (temp file, then rename) with a `machine` entry
 * (cpu, cores, memory, platform, node, date, load average before/after) merged under any
 * `report.machine` fields the benchmark adds. Returns the path written.
 */
export function writeBenchResult(name, report, { loadBefore }) {
  const round = (x, digits) => Number(x.toFixed(digits));
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    platform: `${os.platform()}-${os.arch()} ${os.release()}`,
    node: process.version,
    date: new Date().toISOString(),
    loadAverage1m: { before: round(loadBefore, 2), after: round(os.loadavg()[0] ?? 0, 2) },
    ...report.machine,
  };
  mkdirSync(resultsDir, { recursive: true });
  const file = `${resultsDir}${name}.json`;
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ ...report, machine }, null, 2)}\n`);
  renameSync(tmp, file);
  return file;
}
