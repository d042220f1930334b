import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import {
  domainNames,
  encodeWav,
  isDomainName,
  TEST_SPEAKERS,
  TRAINING_SPEAKERS,
  writeSamplePng,
  writeSpectrogramPng,
  type AudioMnistSequence,
  type AudioMnistSequenceSample,
  type DigitPlacement,
  type Domain,
  type Sample,
} from '@sparling/domains';
import { writeFileAtomic } from '@sparling/models';
import { computeSeed } from '@sparling/random';
import { onePositional, parseNumberFlag } from '../args.js';
import type { Command } from '../command.js';
import { createDomainFromFlag, parseDomainOptions } from '../domain-flag.js';
import { UsageError } from '../io.js';
import { resolveDomainOptions } from '../speech.js';

/** Inputs wider than this default to scale 2, not 4: latex-ocr's 360 columns at 4 would be 1,440 pixels wide. */
const WIDE_INPUT = 200;
/** renderSpectrogram's largest scale: 642 frames at 16 are already 10,000 pixels wide. */
const MAX_SPECTROGRAM_SCALE = 16;

const usage = `usage: sparling sample DOMAIN (--seed S [--index I] | --raw-seed R) [--count N] [--json] [--png FILE] [--scale K] [--wav FILE] [--domain-options JSON]

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
                 onPixels hold about 3/4 of the canvas); footprint ends are exclusive.
                 audio-mnist-sequence (a spectrogram, shape [frames, mel bands], values in dB) has
                 no onPixels or inkPixels but "placements": [{"digit", "speaker", "take", "start",
                 "length"}] in time order (start and length in samples at 8 kHz); its footprints
                 are frame spans, {"start": [f0], "end": [f1]}
  --png FILE     also draw each item as a PNG (true footprints boxed; audio as its spectrogram);
                 with --count above 1 each file gets the item's index (or raw seed) before the
                 extension: a.png -> a-0.png, a-1.png
  --scale K      PNG pixels per input pixel, 1-32 (spectrograms: per frame and band, 1-${MAX_SPECTROGRAM_SCALE});
                 default 4, or 2 for spectrograms and for inputs wider than ${WIDE_INPUT} pixels
                 (latex-ocr's 360), which keeps latex-ocr under 800 pixels wide
  --wav FILE     audio-mnist-sequence only: also write each item's clip (the audio the spectrogram
                 was computed from) as a 16-bit WAV file, named per item as --png
  --domain-options JSON
                 domain options as in sparling train, e.g. '{"noise":0}' for latex-ocr items without
                 the random ink; default the domain's own (the paper's canvas). audio-mnist-sequence
                 takes its speech from '{"speech":"/path/to/AudioMNIST/data"}', or else from the
                 optional package @sparling/speech-espeak (rendered once into its cache, ~45 s)
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

/** Where an audio-mnist-sequence item's digits came from; other domains' samples have none. */
function placementsOf(sample: Sample): readonly DigitPlacement[] | undefined {
  const placements = (sample as Sample & { placements?: unknown }).placements;
  return Array.isArray(placements) ? (placements as DigitPlacement[]) : undefined;
}

/** The LaTeX code of a latex-ocr item; other domains' samples have none. */
function latexOf(sample: Sample): string | undefined {
  const latex = (sample as Sample & { latex?: unknown }).latex;
  return typeof latex === 'string' ? latex : undefined;
}

/**
 * The text of a sequence item (one axis of time, the rest features): its motifs' frame spans and,
 * for audio, which speakers said the digits, at what time.
 */
function describeSequence(domain: Domain, where: string, sample: Sample): string {
  const placements = placementsOf(sample) ?? [];
  const rate = (domain.options as { sampleRate?: unknown }).sampleRate;
  const lines = [`${domain.name} ${where}: ${sample.label.join(' ')}`];
  if (placements.length > 0) {
    const speakers = [...new Set(placements.map((p) => p.speaker))].sort((a, b) => a - b);
    // Test speakers are never heard in training; seed -2 draws from them alone.
    const [group, set] = speakers.every((s) => TEST_SPEAKERS.includes(s)) ? ['test', TEST_SPEAKERS] : ['training', TRAINING_SPEAKERS];
    lines.push(`  ${placements.length} digits by ${group} speakers ${set[0]}-${set[set.length - 1]}: ${speakers.join(', ')}`);
  }
  lines.push(`  ${sample.shape[0]} frames; motifs in time order:`);
  sample.motifs.forEach((m, i) => {
    const frames = `frames ${m.footprint.start[0]}-${m.footprint.end[0]! - 1}`;
    const p = placements[i];
    const said = p === undefined ? '' : `  speaker ${p.speaker} take ${p.take}${typeof rate === 'number' ? `, ${(p.start / rate).toFixed(2)}-${((p.start + p.length) / rate).toFixed(2)} s` : ''}`;
    lines.push(`    ${m.symbol.padEnd(3)} ${frames.padEnd(16)}${said}`);
  });
  return `${lines.join('\n')}\n`;
}

function describe(domain: Domain, item: Item, sample: Sample): string {
  const where = item.seed === null ? `RandomState(${item.rngSeed})` : `seed ${item.seed} index ${item.index} (RandomState(${item.rngSeed}))`;
  if (isSequence(domain)) return describeSequence(domain, where, sample);
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

/** One spatial axis (time) with the features as channels, as audio-mnist-sequence's [frames, bands]. */
function isSequence(domain: Domain): boolean {
  return domain.inputShape.length === 2;
}

/** The file of one item: `file` itself, or with --count above 1 the item's index (or raw seed) before the extension. */
function itemPath(file: string, item: Item, many: boolean): string {
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
          wav: { type: 'string' },
          'domain-options': { type: 'string' },
        },
      });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { values, positionals } = parsed;
    const name = onePositional(positionals, `DOMAIN (${domainNames.join(', ')})`);
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

    const options = parseDomainOptions(values['domain-options']) ?? {};
    // Checked before the speech is resolved, which may take 45 s to render.
    if (values.wav !== undefined && name !== 'audio-mnist-sequence') throw new UsageError(`--wav: ${name} items have no audio; expected an audio domain (audio-mnist-sequence), or leave out --wav`);
    const domain = createDomainFromFlag(name, await resolveDomainOptions(name, options, io));
    const sequence = isSequence(domain);
    if (sequence && scale !== undefined && scale > MAX_SPECTROGRAM_SCALE) {
      throw new UsageError(`--scale: expected an integer <= ${MAX_SPECTROGRAM_SCALE} for ${name}'s spectrogram (${domain.inputShape[0]} frames), received ${scale}`);
    }
    const width = domain.inputShape[1] ?? 0;
    const pngScale = scale ?? (sequence || width > WIDE_INPUT ? 2 : 4);
    for (let k = 0; k < count; k++) {
      const item: Item =
        rawSeed !== undefined
          ? { seed: null, index: null, rngSeed: rawSeed + k }
          : { seed: seed!, index: (index ?? 0) + k, rngSeed: computeSeed(seed!, (index ?? 0) + k) };
      const sample = item.seed === null ? domain.sampleRaw(item.rngSeed) : domain.sample(item.seed, item.index!);
      const written: string[] = [];
      if (values.png !== undefined) {
        const where = item.seed === null ? `RandomState(${item.rngSeed})` : `seed ${item.seed} index ${item.index}`;
        const path = itemPath(values.png, item, count > 1);
        const title = `${where}: ${sample.label.join(' ')}`;
        if (sequence) await writeSpectrogramPng(path, sample, { scale: pngScale, title });
        else await writeSamplePng(path, sample, { scale: pngScale, title, inverted: domain.background === 1 });
        written.push(path);
      }
      if (values.wav !== undefined) {
        const path = itemPath(values.wav, item, count > 1);
        // --wav was checked to come with audio-mnist-sequence, whose items carry their clip.
        const { audio } = sample as AudioMnistSequenceSample;
        await writeFileAtomic(path, encodeWav(audio, (domain as AudioMnistSequence).options.sampleRate));
        written.push(path);
      }
      if (values.json) {
        const { seed: s, index: i, rngSeed } = item;
        const latex = latexOf(sample);
        const placements = placementsOf(sample);
        const line = {
          seed: s,
          index: i,
          rngSeed,
          label: sample.label,
          ...(latex === undefined ? {} : { latex }),
          shape: spatialShape(sample),
          // A spectrogram holds dB values: no pixel is "on" or "ink".
          ...(sequence ? {} : { onPixels: onPixels(sample), inkPixels: inkPixels(domain, sample) }),
          ...(placements === undefined ? {} : { placements }),
          motifs: sample.motifs,
        };
        io.stdout(`${JSON.stringify(line)}\n`);
      } else {
        io.stdout(describe(domain, item, sample) + written.map((path) => `  wrote ${path}\n`).join(''));
      }
    }
    return 0;
  },
};
