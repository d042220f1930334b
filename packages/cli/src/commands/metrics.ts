import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import {
  channelNames,
  evaluateMotifs,
  MotifInputError,
  parseMetricsInput,
  realignConfusion,
  renderConfusionPng,
  renderConfusionSvg,
  type MetricsInputItem,
  type MotifMetrics,
} from '@sparling/metrics';
import type { Command } from '../command.js';
import { onePositional } from '../args.js';
import { UsageError } from '../io.js';

const usage = `usage: sparling metrics FILE [--json] [--svg FILE] [--png FILE] [--join] [--names letters|numbered]

Motif metrics (FNE, FPE, CE) of predicted motif maps against the true motifs, read from a JSON file:
  { "items": [ { "shape": [H, W], "channels": C,
      "activations": [ { "channel": 3, "position": [r, c], "value": 0.7 } ],
      "motifs": [ { "symbol": "4", "footprint": { "start": [r0, c0], "end": [r1, c1] } } ] } ] }
"shape" has one entry per spatial axis (one for audio); footprint ends are exclusive.

options:
  --json          print exactly one JSON object: fne, fpe, fpePaper, ce, ceMajority (fractions in
                  [0, 1], null where undefined), counts and confusion (raw counts)
  --svg FILE      also write the realigned confusion matrix as an SVG picture
  --png FILE      also write it as a PNG picture
  --join          in the pictures, merge channels that share a majority symbol into one column
  --names STYLE   channel names: letters (A, B, ...; the default up to 26 channels) or numbered (#0, #1, ...)
`;

async function readInput(file: string): Promise<MetricsInputItem[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new Error(`cannot read ${file}: ${reason}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  try {
    return parseMetricsInput(data);
  } catch (err) {
    if (err instanceof MotifInputError) throw new Error(`${file}: ${err.message}`);
    throw err;
  }
}

/** Writes every file to a temporary name first and renames only when all writes succeeded. */
async function writeAll(files: readonly { path: string; data: string | Uint8Array }[]): Promise<void> {
  const temps = files.map((f) => `${f.path}.${process.pid}.tmp`);
  try {
    await Promise.all(files.map((f, i) => writeFile(temps[i]!, f.data)));
  } catch (err) {
    await Promise.all(temps.map((t) => unlink(t).catch(() => undefined)));
    throw new Error(`cannot write ${files.map((f) => f.path).join(' / ')}: ${(err as Error).message}`);
  }
  await Promise.all(files.map((f, i) => rename(temps[i]!, f.path)));
}

function parseOptions(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        svg: { type: 'string' },
        png: { type: 'string' },
        join: { type: 'boolean' },
        names: { type: 'string' },
      },
    });
  } catch (err) {
    // parseArgs reports unknown options and missing values; both are usage mistakes.
    throw new UsageError((err as Error).message);
  }
}

function percent(v: number | null): string {
  return v === null ? 'n/a' : `${(100 * v).toFixed(2)}%`;
}

function table(file: string, m: MotifMetrics): string {
  const { counts } = m;
  const rows: [string, number | null, string][] = [
    ['FNE', m.fne, 'uncovered footprints / true motifs'],
    ['FPE', m.fpe, 'false positives / (false positives + covered footprints)'],
    ['FPE (paper)', m.fpePaper, 'false positives / all activations'],
    ['CE', m.ce, 'best one-to-one channel-symbol assignment'],
    ['CE (majority)', m.ceMajority, 'each channel read as its most common symbol'],
  ];
  const lines = [
    `${file}: ${counts.items} item${counts.items === 1 ? '' : 's'}, ${m.channelNames.length} channels`,
    '',
    ...rows.map(([name, v, what]) => `  ${name.padEnd(14)}${percent(v).padStart(8)}   ${what}`),
    '',
    `  true motifs ${counts.trueMotifs}, covered footprints ${counts.covered}, false positives ${counts.falsePositives}, activations ${counts.activations}`,
    '',
    'confusion (rows: true symbol, columns: channel; raw counts)',
  ];
  const { rows: symbols, columns, counts: cells } = m.confusion;
  const labelWidth = Math.max(...symbols.map((s) => s.length));
  const widths = columns.map((c, j) => Math.max(c.length, ...cells.map((r) => String(r[j]).length)));
  lines.push(`  ${''.padEnd(labelWidth)}  ${columns.map((c, j) => c.padStart(widths[j]!)).join('  ')}`);
  symbols.forEach((s, i) => lines.push(`  ${s.padEnd(labelWidth)}  ${cells[i]!.map((v, j) => String(v).padStart(widths[j]!)).join('  ')}`));
  return `${lines.join('\n')}\n`;
}

export const metricsCommand: Command = {
  name: 'metrics',
  summary: 'motif metrics (FNE, FPE, CE) and confusion matrix of motif maps in a JSON file',
  usage,
  async run(args, io) {
    const { values, positionals } = parseOptions(args);
    const file = onePositional(positionals, 'input FILE');
    const style = values.names;
    if (style !== undefined && style !== 'letters' && style !== 'numbered') {
      throw new UsageError(`--names: expected letters or numbered, received ${JSON.stringify(style)}`);
    }

    if (values.join && values.svg === undefined && values.png === undefined) throw new UsageError('--join changes the pictures only; add --svg FILE or --png FILE');

    const items = await readInput(file);
    let names: string[] | undefined;
    const channels = items[0]?.map.channels;
    if (style !== undefined && channels !== undefined) {
      if (style === 'letters' && channels > 26) throw new UsageError(`--names letters: at most 26 channels, but ${file} has ${channels}`);
      names = channelNames(channels, style);
    }
    const m = evaluateMotifs(items, { channelNames: names });

    const pictures: { path: string; data: string | Uint8Array }[] = [];
    if (values.svg !== undefined || values.png !== undefined) {
      const shown = realignConfusion(m.confusion, { join: values.join ?? false, majority: m.majority });
      const title = `${basename(file)}: ${m.counts.items} ${m.counts.items === 1 ? 'item' : 'items'}`;
      if (values.svg !== undefined) pictures.push({ path: values.svg, data: renderConfusionSvg(shown, { title }) });
      if (values.png !== undefined) pictures.push({ path: values.png, data: renderConfusionPng(shown, { title }) });
      await writeAll(pictures);
    }

    if (values.json) {
      const { fne, fpe, fpePaper, ce, ceMajority, counts, confusion } = m;
      io.stdout(`${JSON.stringify({ fne, fpe, fpePaper, ce, ceMajority, counts, confusion })}\n`);
    } else {
      io.stdout(table(file, m) + pictures.map((p) => `wrote ${p.path}\n`).join(''));
    }
    return 0;
  },
};
