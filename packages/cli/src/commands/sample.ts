import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { createDomain, domainNames, isDomainName, writeSamplePng, type Domain, type Sample } from '@sparling/domains';
import { computeSeed } from '@sparling/random';
import { parseNumberFlag } from '../args.js';
import type { Command } from '../command.js';
import { UsageError } from '../io.js';

const usage = `usage: sparling sample DOMAIN (--seed S [--index I] | --raw-seed R) [--count N] [--json] [--png FILE] [--scale K]

Draws items of a data domain exactly as the reference implementation does. Domains: ${domainNames.join(', ')}.

options:
  --seed S       dataset seed, any integer (the paper trains on 1-9, validates on -1, tests on -2);
                 item I is drawn from RandomState(compute_seed(S, I))
  --index I      index of the first item; default 0
  --raw-seed R   draw from RandomState(R) directly, R in 0..4294967295, as the reference's motif
                 evaluation does (RandomState(6) is the paper's Figure 1); instead of --seed/--index
  --count N      draw N consecutive items (indices, or raw seeds, counting up); default 1
  --json         print one JSON object per item and line:
                 {"seed", "index", "rngSeed", "label": [...], "shape": [H, W], "onPixels": [flat
                 row-major indices of pixels equal to 1], "motifs": [{"symbol", "position": [r, c],
                 "footprint": {"start": [r0, c0], "end": [r1, c1]}}]} (ends exclusive; seed and
                 index are null with --raw-seed)
  --png FILE     also draw each item as a PNG (true footprints boxed); with --count above 1 each file
                 gets the item's index (or raw seed) before the extension: a.png -> a-0.png, a-1.png
  --scale K      PNG pixels per input pixel, 1-32; default 4
`;

/** One item to draw: where its RandomState seed comes from. */
interface Item {
  readonly seed: number | null;
  readonly index: number | null;
  readonly rngSeed: number;
}

const NUMBER_FLAGS = new Set(['--seed', '--index', '--raw-seed', '--count', '--scale']);

/**
 * parseArgs reads `--seed -1` as a missing value followed by an unknown option; negative seeds
 * are the validation and test sets, so a negative number after a number flag is joined to it.
 */
function joinNegativeNumbers(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (NUMBER_FLAGS.has(arg) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function spatialShape(sample: Sample): number[] {
  const shape = [...sample.shape];
  return shape.length > 1 && shape[shape.length - 1] === 1 ? shape.slice(0, -1) : shape;
}

function onPixels(sample: Sample): number[] {
  const on: number[] = [];
  sample.input.forEach((v, k) => {
    if (v === 1) on.push(k);
  });
  return on;
}

function describe(domain: Domain, item: Item, sample: Sample): string {
  const where = item.seed === null ? `RandomState(${item.rngSeed})` : `seed ${item.seed} index ${item.index} (RandomState(${item.rngSeed}))`;
  const on = onPixels(sample).length;
  const lines = [`${domain.name} ${where}: ${sample.label.join(' ')}`, `  ${on} of ${sample.input.length} pixels on; motifs in placement order:`];
  for (const m of sample.motifs) {
    const ranges = m.footprint.start.map((s, axis) => `${s}-${m.footprint.end[axis]! - 1}`);
    lines.push(`    ${m.symbol.padEnd(3)} at (${m.position.join(', ')})  footprint rows ${ranges[0]}, cols ${ranges[1]}`);
  }
  return `${lines.join('\n')}\n`;
}

function pngPath(file: string, item: Item, many: boolean): string {
  if (!many) return file;
  const ext = extname(file);
  const suffix = item.index ?? item.rngSeed;
  return `${file.slice(0, file.length - ext.length)}-${suffix}${ext}`;
}

export const sampleCommand: Command = {
  name: 'sample',
  summary: 'draw data-domain items exactly as the reference does, as text, JSON lines or PNG',
  usage,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args: joinNegativeNumbers(args),
        allowPositionals: true,
        options: {
          seed: { type: 'string' },
          index: { type: 'string' },
          'raw-seed': { type: 'string' },
          count: { type: 'string' },
          json: { type: 'boolean' },
          png: { type: 'string' },
          scale: { type: 'string' },
        },
      });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { values, positionals } = parsed;
    if (positionals.length !== 1) {
      throw new UsageError(`expected exactly one DOMAIN (${domainNames.join(', ')}), received ${positionals.length === 0 ? 'none' : positionals.map((p) => JSON.stringify(p)).join(' ')}`);
    }
    const name = positionals[0]!;
    if (!isDomainName(name)) throw new UsageError(`unknown domain ${JSON.stringify(name)}; expected one of ${domainNames.join(', ')}`);

    const seed = parseNumberFlag('seed', values.seed, { integer: true, min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
    const rawSeed = parseNumberFlag('raw-seed', values['raw-seed'], { integer: true, min: 0, max: 0xffffffff });
    const index = parseNumberFlag('index', values.index, { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER });
    const count = parseNumberFlag('count', values.count, { integer: true, min: 1, max: 1_000_000 }) ?? 1;
    const scale = parseNumberFlag('scale', values.scale, { integer: true, min: 1, max: 32 }) ?? 4;
    if (values.scale !== undefined && values.png === undefined) throw new UsageError('--scale sets the PNG size; add --png FILE');
    if (rawSeed !== undefined && (seed !== undefined || index !== undefined)) throw new UsageError('--raw-seed replaces --seed and --index; give one or the other');
    if (rawSeed === undefined && seed === undefined) throw new UsageError('expected --seed S (with --index I) or --raw-seed R');
    if (rawSeed !== undefined && rawSeed + count - 1 > 0xffffffff) throw new UsageError(`--count: raw seeds would pass 4294967295 (--raw-seed ${rawSeed} + ${count} items)`);

    const domain = createDomain(name);
    for (let k = 0; k < count; k++) {
      const item: Item =
        rawSeed !== undefined
          ? { seed: null, index: null, rngSeed: rawSeed + k }
          : { seed: seed!, index: (index ?? 0) + k, rngSeed: computeSeed(seed!, (index ?? 0) + k) };
      const sample = item.seed === null ? domain.sampleRaw(item.rngSeed) : domain.sample(item.seed, item.index!);
      let written: string | undefined;
      if (values.png !== undefined) {
        const where = item.seed === null ? `RandomState(${item.rngSeed})` : `seed ${item.seed} index ${item.index}`;
        const path = pngPath(values.png, item, count > 1);
        await writeSamplePng(path, sample, { scale, title: `${where}: ${sample.label.join(' ')}` });
        written = path;
      }
      if (values.json) {
        const { seed: s, index: i, rngSeed } = item;
        io.stdout(`${JSON.stringify({ seed: s, index: i, rngSeed, label: sample.label, shape: spatialShape(sample), onPixels: onPixels(sample), motifs: sample.motifs })}\n`);
      } else {
        io.stdout(describe(domain, item, sample) + (written === undefined ? '' : `  wrote ${written}\n`));
      }
    }
    return 0;
  },
};
