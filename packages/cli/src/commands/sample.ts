import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { domainNames, isDomainName, writeSamplePng, type Domain, type Sample } from '@sparling/domains';
import { computeSeed } from '@sparling/random';
import { parseNumberFlag } from '../args.js';
import type { Command } from '../command.js';
import { createDomainFromFlag, parseDomainOptions } from '../domain-flag.js';
import { UsageError } from '../io.js';

/** Inputs wider than this default to scale 2, not 4: latex-ocr's 360 columns at 4 would be 1,440 pixels wide. */
const WIDE_INPUT = 200;

const usage = `usage: sparling sample DOMAIN (--seed S [--index I] | --raw-seed R) [--count N] [--json] [--png FILE] [--scale K] [--domain-options JSON]

Draws items of a data domain exactly as the reference implementation does. Domains: ${domainNames.join(', ')}.

options:
  --seed S       dataset seed, any integer (the paper trains on 1-9, validates on -1, tests on -2);
                 item I is drawn from RandomState(compute_seed(S, I))
  --index I      index of the first item; default 0
  --raw-seed R   draw from RandomState(R) directly, R in 0..4294967295, as the reference's motif
                 evaluation does (RandomState(6) is the paper's Figure 1); instead of --seed/--index
  --count N      draw N consecutive items (indices, or raw seeds, counting up); default 1
  --json         print one JSON object per item and line:
                 {"seed", "index", "rngSeed", "label": [...], "latex", "shape": [H, W], "onPixels",
                 "inkPixels", "motifs": [{"symbol", "position": [r, c], "footprint": {"start":
                 [r0, c0], "end": [r1, c1]}}]}. seed and index are null with --raw-seed; "label"
                 holds the output tokens; "latex" (latex-ocr only) is the LaTeX code they spell;
                 "onPixels" lists the flat row-major indices of pixels equal to 1 and "inkPixels"
                 those of pixels that are not background: the same list for digit-circle (0 is
                 background), the pixels equal to 0 for latex-ocr (1 is background, so its
                 onPixels hold about 3/4 of the canvas); footprint ends are exclusive
  --png FILE     also draw each item as a PNG (true footprints boxed); with --count above 1 each file
                 gets the item's index (or raw seed) before the extension: a.png -> a-0.png, a-1.png
  --scale K      PNG pixels per input pixel, 1-32; default 4, or 2 for inputs wider than
                 ${WIDE_INPUT} pixels (latex-ocr's 360), which keeps the picture under 800 pixels wide
  --domain-options JSON
                 domain options as in sparling train, e.g. '{"noise":0}' for latex-ocr items without
                 the random ink; default the domain's own (the paper's canvas)
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

/** Flat indices of the pixels for which `keep` holds. */
function pixelsWhere(sample: Sample, keep: (value: number) => boolean): number[] {
  const found: number[] = [];
  sample.input.forEach((v, k) => {
    if (keep(v)) found.push(k);
  });
  return found;
}

function onPixels(sample: Sample): number[] {
  return pixelsWhere(sample, (v) => v === 1);
}

function inkPixels(domain: Domain, sample: Sample): number[] {
  const background = domain.background ?? 0;
  return pixelsWhere(sample, (v) => v !== background);
}

/** The LaTeX code of a latex-ocr item; other domains' samples have none. */
function latexOf(sample: Sample): string | undefined {
  const latex = (sample as Sample & { latex?: unknown }).latex;
  return typeof latex === 'string' ? latex : undefined;
}

function describe(domain: Domain, item: Item, sample: Sample): string {
  const where = item.seed === null ? `RandomState(${item.rngSeed})` : `seed ${item.seed} index ${item.index} (RandomState(${item.rngSeed}))`;
  const ink = inkPixels(domain, sample).length;
  // Where 1 is background, "pixels on" would count the blank canvas, not the drawing.
  const count = domain.background === 1 ? `${ink} of ${sample.input.length} pixels are ink (0; 1 is background)` : `${ink} of ${sample.input.length} pixels on`;
  const latex = latexOf(sample);
  const lines = [`${domain.name} ${where}: ${sample.label.join(' ')}`, ...(latex === undefined ? [] : [`  latex ${latex}`]), `  ${count}; motifs in placement order:`];
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
          'domain-options': { type: 'string' },
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
    const scale = parseNumberFlag('scale', values.scale, { integer: true, min: 1, max: 32 });
    if (values.scale !== undefined && values.png === undefined) throw new UsageError('--scale sets the PNG size; add --png FILE');
    if (rawSeed !== undefined && (seed !== undefined || index !== undefined)) throw new UsageError('--raw-seed replaces --seed and --index; give one or the other');
    if (rawSeed === undefined && seed === undefined) throw new UsageError('expected --seed S (with --index I) or --raw-seed R');
    if (rawSeed !== undefined && rawSeed + count - 1 > 0xffffffff) throw new UsageError(`--count: raw seeds would pass 4294967295 (--raw-seed ${rawSeed} + ${count} items)`);

    const domain = createDomainFromFlag(name, parseDomainOptions(values['domain-options']) ?? {});
    const width = domain.inputShape[1] ?? 0;
    const pngScale = scale ?? (width > WIDE_INPUT ? 2 : 4);
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
        await writeSamplePng(path, sample, { scale: pngScale, title: `${where}: ${sample.label.join(' ')}`, inverted: domain.background === 1 });
        written = path;
      }
      if (values.json) {
        const { seed: s, index: i, rngSeed } = item;
        const latex = latexOf(sample);
        const line = {
          seed: s,
          index: i,
          rngSeed,
          label: sample.label,
          ...(latex === undefined ? {} : { latex }),
          shape: spatialShape(sample),
          onPixels: onPixels(sample),
          inkPixels: inkPixels(domain, sample),
          motifs: sample.motifs,
        };
        io.stdout(`${JSON.stringify(line)}\n`);
      } else {
        io.stdout(describe(domain, item, sample) + (written === undefined ? '' : `  wrote ${written}\n`));
      }
    }
    return 0;
  },
};
