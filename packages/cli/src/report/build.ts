/**
 * Builds a run's report: evaluates what is missing, draws the figures and writes the page with
 * its PNGs beside it.
 */
import { basename, dirname, extname, join, resolve } from 'node:path';
import { KL_DEFAULT_TARGET_DENSITY } from '@sparling/layer';
import { fneBySymbol, realignConfusion, renderConfusionPng, symbolChannels, type ConfusionMatrix, type SymbolChannel } from '@sparling/metrics';
import { domainOf, predictMotifs, readLog, readRunConfig, writeFileAtomic, type RunConfig, type ValidationRecord } from '@sparling/models';
import { encodePng, type RgbImage } from '@sparling/raster';
import { sharedGroups } from '../commands/eval.js';
import type { CliIo } from '../io.js';
import { formatDuration, formatNumber } from '../progress.js';
import { formatTick, lineChart, type ChartMarker } from './charts.js';
import { collectEvaluations, type ReportEvaluation } from './evaluations.js';
import { reportHtml, type HtmlImage, type HtmlSection, type HtmlTable } from './html.js';
import { sampleGrid } from './sample-grid.js';

export interface ReportOptions {
  /** The HTML file; the PNGs go beside it. */
  readonly out: string;
  /** Items per snapshot for the metrics (stored results with at least this many are reused). */
  readonly count: number;
  readonly workers: number;
  readonly io: CliIo;
}

export interface ReportFiles {
  readonly html: string;
  readonly images: readonly string[];
}

/** Items in the Figure 2 grid: two rows of four. */
const FIGURE2_ITEMS = 8;
/** Lines in the per-symbol FNE chart: more would need more colours than a reader can tell apart. */
const MAX_SYMBOL_LINES = 10;
/** Distinct line colours for the per-symbol FNE chart (the Tableau 10 palette). */
const SYMBOL_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const COLORS = { fpe: '#d62728', fne: '#1f77b4', ce: '#2ca02c', e2ee: '#9467bd', accuracy: '#1f77b4', target: '#ff7f0e', loss: '#d62728', density: '#2ca02c', minimum: '#6b7280' };

const pct = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : `${(100 * v).toFixed(2)}%`);
const percentTick = (v: number): string => `${Number((100 * v).toPrecision(3))}%`;
const density = (v: number | null): string => (v === null ? 'n/a' : formatNumber(v));
const times = (v: number | null, minimum: number): string => (v === null ? 'n/a' : `${(v / minimum).toFixed(2)}×`);

/** Width and height from a PNG's IHDR chunk (bytes 16–23, big-endian). */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * Training time from log.jsonl. `seconds` counts from the start of each `train` call, so a
 * resumed run starts again from 0: the segments' last values add up.
 */
export function trainingSeconds(log: readonly ValidationRecord[]): number {
  let total = 0;
  let last = 0;
  for (const r of log) {
    if (r.seconds < last) total += last;
    last = r.seconds;
  }
  return total + last;
}

function configRows(runDir: string, config: RunConfig, minimumDensity: number): string[][] {
  const { model, training } = config;
  const b = model.bottleneck;
  const bottleneck =
    b.kind === 'none'
      ? 'none'
      : `${b.kind}, ${b.mode}${b.batchNorm ? ', batch norm' : ''}, start density ${b.density}${b.kind === 'l1' || b.kind === 'kl' ? `, λ ${b.lambda}` : ''}${b.kind === 'kl' ? `, KL target density ${b.targetDensity ?? `${KL_DEFAULT_TARGET_DENSITY} (the reference's)`}` : ''}`;
  const p = model.post;
  return [
    ['run folder', resolve(runDir)],
    ['domain', `${config.domain.name} ${JSON.stringify(config.domain.options)}`],
    ['preset', config.preset ?? 'none'],
    ['seed', String(config.seed)],
    ['motif model g', `${model.motif.dims}-D, width ${model.motif.width}, ${model.motif.residualUnits} residual units, kernel ${model.motif.kernelSize}, ${model.motifChannels} motif channels`],
    ['bottleneck', bottleneck],
    [
      'model h',
      `width ${p.width}, pool ${p.pool}${p.rowLstm ? ', row LSTM' : ''}, ${p.positionalEncoding ?? 'row'} positional encoding${p.coordinates ? `, ${p.coordinates === true ? '' : `${p.coordinates} `}coordinates` : ''}, ${p.encoderLayers} encoder + ${p.decoderLayers} decoder layers, ${p.heads} heads`,
    ],
    [
      'training',
      `batch ${training.batchSize}, learning rate ${training.learningRate}, budget ${training.maxSamples} samples, validation every ${training.validateEvery} samples on ${training.validationItems} items`,
    ],
    [
      'annealer',
      `density ×${training.annealer.densityMultiplier} per cut, ${training.stopAtDensity > 0 ? `stop below ${training.stopAtDensity}× the minimum density${training.settleSamples ? `, after ${training.settleSamples} more samples at the last density above it` : ''}` : 'no stop on density'}`,
    ],
    ...(config.retrain ? [['retrained from', `${config.retrain.source} at density ${formatNumber(config.retrain.density)}`]] : []),
    ['theoretical minimum density', formatNumber(minimumDensity)],
  ];
}

function itemsText(r: ReportEvaluation): string {
  const motifSeed = r.motifSeed === 'raw' ? 'RandomState(i)' : `seed ${r.motifSeed}`;
  return r.motifItems > 0 ? `${r.items} for E2EE (seed -2), ${r.motifItems} for motif metrics (${motifSeed})` : `${r.items} for E2EE (seed -2)`;
}

type Picture = (name: string, image: RgbImage | Uint8Array, alt: string, caption: string) => HtmlImage;

/**
 * Which symbols the channels miss, and from which density on: each symbol's FNE at every
 * snapshot, and a table of the final result's. A symbol that lost (or never had) a channel of its
 * own climbs towards 1 while the others stay near 0, which the dataset's FNE alone does not show.
 */
function missedSymbolsSection(
  curve: readonly (ReportEvaluation & { density: number })[],
  final: ReportEvaluation,
  picture: Picture,
  minimumMarker: ChartMarker,
): HtmlSection {
  const heading = 'Missed symbols';
  if (!final.confusion) return { id: 'missed-symbols', heading, paragraphs: ['No motif metrics for these weights (the model has no bottleneck), so no symbol is missed or found.'] };
  const finalRows = fneBySymbol(final.confusion);
  const table: HtmlTable = {
    caption: `FNE of each symbol, final result (${final.source})`,
    numeric: true,
    head: ['symbol', 'footprints', 'missed', 'FNE'],
    rows: finalRows.map((s) => [s.symbol, String(s.footprints), String(s.missed), pct(s.fne)]),
  };
  const points = curve.flatMap((r) => (r.confusion ? [{ density: r.density, bySymbol: new Map(fneBySymbol(r.confusion).map((s) => [s.symbol, s.fne])) }] : []));
  if (points.length === 0) return { id: 'missed-symbols', heading, tables: [table] };
  const peak = (symbol: string): number => Math.max(0, ...points.map((p) => p.bySymbol.get(symbol) ?? 0));
  const symbols = finalRows.map((s) => s.symbol);
  const shown = [...symbols].sort((a, b) => peak(b) - peak(a) || symbols.indexOf(a) - symbols.indexOf(b)).slice(0, MAX_SYMBOL_LINES);
  shown.sort((a, b) => symbols.indexOf(a) - symbols.indexOf(b));
  const which = shown.length < symbols.length ? `the ${shown.length} symbols with the highest FNE at any snapshot, of ${symbols.length}` : 'every symbol';
  return {
    id: 'missed-symbols',
    heading,
    images: [
      picture(
        'symbol-fne',
        lineChart({
          title: 'FNE of each symbol against density',
          x: { label: 'density (log scale, reversed: training runs left to right)', log: true, reversed: true },
          y: { label: 'share of the symbol\'s footprints missed', include: [0, 1], format: percentTick },
          series: shown.map((symbol, i) => ({
            name: symbol,
            color: SYMBOL_COLORS[i] ?? COLORS.minimum,
            points: points.map((p) => [p.density, p.bySymbol.get(symbol) ?? null] as const),
          })),
          xMarkers: [minimumMarker],
        }),
        'Line chart of the FNE of each symbol against density',
        `One line per symbol (${which}), one point per snapshot: the share of that symbol's footprints in which no channel fired. A symbol whose line climbs to 100% has no channel of its own from that density on.`,
      ),
    ],
    tables: [table],
  };
}

/**
 * A symbol's main channel and its share, e.g. "C 98%", starred when another symbol's main channel
 * is the same; no-break spaces keep each cell on one line in a table of many columns.
 */
function channelCell(s: SymbolChannel): string {
  return s.channel === null ? 'none\u00a0found' : `${s.channel}\u00a0${Math.round(100 * (s.share ?? 0))}%${s.sharedWith.length > 0 ? '\u00a0*' : ''}`;
}

/** "I holds 6 (98%) and 8 (57%)" for each channel that is the main channel of two or more symbols. */
function sharedChannelsText(bySymbol: readonly SymbolChannel[]): string[] {
  return sharedGroups(bySymbol).map((members) => `${members[0]?.channel} holds ${members.map((m) => `${m.symbol} (${Math.round(100 * (m.share ?? 0))}%)`).join(' and ')}`);
}

/** A channel with at least this share of its counted motifs outside every footprint detects background. */
const BACKGROUND_SHARE = 0.9;

/**
 * The channels that are no symbol's main channel, by what was counted for them: "D E J
 * background" (at least 90% of their motifs outside every footprint), "B none counted" (it never
 * fired, or only where a stronger channel did: a footprint counts its largest activation only),
 * and any other as "G 21% outside".
 */
export function otherChannels(confusion: ConfusionMatrix, bySymbol: readonly SymbolChannel[]): string[] {
  const held = new Set(bySymbol.map((s) => s.channel));
  const none = confusion.counts[confusion.rows.length - 1]!;
  const background: string[] = [];
  const silent: string[] = [];
  const mixed: string[] = [];
  confusion.columns.slice(0, -1).forEach((channel, j) => {
    if (held.has(channel)) return;
    const counted = confusion.counts.reduce((a, row) => a + row[j]!, 0);
    const outside = none[j]!;
    if (counted === 0) silent.push(channel);
    else if (outside >= BACKGROUND_SHARE * counted) background.push(channel);
    else mixed.push(`${channel} ${Math.floor((100 * outside) / counted)}% outside`);
  });
  return [...(background.length > 0 ? [`${background.join(' ')} background`] : []), ...(silent.length > 0 ? [`${silent.join(' ')} none counted`] : []), ...mixed];
}

/**
 * Which channel each symbol lives in, and which symbols share one: the cause of a one-to-one CE
 * that FNE and the confusion matrix's diagonal leave implicit. The final result gets a table with
 * the shared channels and the channels no symbol holds; every snapshot gets a row of main
 * channels, so a symbol moving between channels while the density is cut shows up.
 */
function symbolChannelsSection(curve: readonly (ReportEvaluation & { density: number })[], final: ReportEvaluation, minimum: number): HtmlSection {
  const id = 'symbol-channels';
  const heading = 'Channels of each symbol';
  if (!final.confusion) return { id, heading, paragraphs: ['No motif metrics for these weights (the model has no bottleneck), so no symbol has a channel.'] };
  const finalRows = symbolChannels(final.confusion);
  const shared = sharedChannelsText(finalRows);
  const others = otherChannels(final.confusion, finalRows);
  const paragraphs = [
    `Final result (${final.source}): ${shared.length === 0 ? 'every symbol found has a channel of its own' : `${shared.join('; ')}. The one-to-one assignment gives each shared channel to one symbol, so the footprints of the others all count in CE`}.${others.length > 0 ? ` Channels that are no symbol's main channel: ${others.join('; ')}.` : ''}`,
    `Counted motifs are the largest activation inside each footprint and every activation outside all footprints. "Background": at least ${100 * BACKGROUND_SHARE}% of a channel's counted motifs are outside every footprint. "None counted": the channel never fired, or only where a stronger one did.`,
  ];
  const tables: HtmlTable[] = [
    {
      caption: `Main channel of each symbol, final result (${final.source})`,
      head: ['symbol', 'found', 'main channel', 'share of found', 'shared with'],
      rows: finalRows.map((s) => [s.symbol, String(s.found), s.channel ?? 'none', pct(s.share), s.sharedWith.join(' ') || '-']),
    },
  ];
  const points = curve.flatMap((r) => (r.confusion ? [{ density: r.density, confusion: r.confusion, bySymbol: symbolChannels(r.confusion) }] : []));
  if (points.length > 0) {
    const symbols = finalRows.map((s) => s.symbol);
    const sharedCount = (symbol: string): number => points.filter((p) => (p.bySymbol.find((s) => s.symbol === symbol)?.sharedWith.length ?? 0) > 0).length;
    const shown = [...symbols].sort((a, b) => sharedCount(b) - sharedCount(a) || symbols.indexOf(a) - symbols.indexOf(b)).slice(0, MAX_SYMBOL_LINES);
    shown.sort((a, b) => symbols.indexOf(a) - symbols.indexOf(b));
    const which = shown.length < symbols.length ? `the ${shown.length} symbols that shared a channel at the most snapshots, of ${symbols.length}` : 'every symbol';
    tables.push({
      caption: `Main channel of each symbol at each snapshot (${which}); * another symbol's main channel too. Last column: the channels that are no symbol's main channel, and what was counted for them`,
      head: ['density', '× minimum', ...shown, 'other channels'],
      rows: points.map((p) => [
        density(p.density),
        times(p.density, minimum),
        ...shown.map((symbol) => {
          const s = p.bySymbol.find((x) => x.symbol === symbol);
          return s ? channelCell(s) : 'n/a';
        }),
        otherChannels(p.confusion, p.bySymbol).join('; ') || '-',
      ]),
    });
  }
  return { id, heading, paragraphs, tables };
}

/** Writes the report; returns the paths written (PNGs first, the page last). */
export async function buildReport(runDir: string, options: ReportOptions): Promise<ReportFiles> {
  const config = await readRunConfig(runDir);
  const domain = domainOf(config);
  const minimum = domain.minimumDensity;
  const log = await readLog(runDir);
  const evaluations = await collectEvaluations(runDir, { count: options.count, workers: options.workers, io: options.io });
  const final = evaluations[evaluations.length - 1];
  if (!final) throw new Error(`${runDir} has nothing to evaluate`);

  const outDir = dirname(options.out);
  const stem = basename(options.out, extname(options.out));
  // Beside index.html the pictures keep plain names; beside any other page, its name prefixes them.
  const prefix = stem === 'index' ? '' : `${stem}-`;
  const pngs: { path: string; bytes: Uint8Array }[] = [];
  const picture: Picture = (name, image, alt, caption) => {
    const bytes = image instanceof Uint8Array ? image : encodePng(image);
    const src = `${prefix}${name}.png`;
    pngs.push({ path: join(outDir, src), bytes });
    return { src, ...pngSize(bytes), alt, caption };
  };

  const metricsTable: HtmlTable = {
    caption: final.source === 'checkpoints/latest' ? 'Final result: the latest checkpoint (the run has no snapshots)' : 'Final result: the lowest-density snapshot',
    head: ['metric', 'value'],
    rows: [
      ['weights', final.source],
      ['density', density(final.density)],
      ['× minimum density', times(final.density, minimum)],
      ['measured density', density(final.measuredDensity)],
      ['FPE', pct(final.fpe)],
      ['FNE', pct(final.fne)],
      ['CE', pct(final.ce)],
      ['CE (majority)', pct(final.ceMajority)],
      ['E2EE', pct(final.e2ee)],
      ['exact accuracy', pct(final.accuracy)],
      ['items', itemsText(final)],
      ['samples seen', String(final.samplesSeen)],
      ['wall time (training)', log.length > 0 ? `${formatDuration(trainingSeconds(log))} over ${log.length} validations` : 'n/a (no log.jsonl)'],
    ],
  };
  const snapshotTable: HtmlTable = {
    caption: 'Every snapshot (the data of Figure 5)',
    numeric: true,
    head: ['density', '× min', 'FPE', 'FNE', 'CE', 'CE maj', 'E2EE', 'exact', 'items', 'samples seen', 'result'],
    rows: evaluations.map((r) => [
      density(r.density),
      times(r.density, minimum),
      pct(r.fpe),
      pct(r.fne),
      pct(r.ce),
      pct(r.ceMajority),
      pct(r.e2ee),
      pct(r.accuracy),
      String(r.items),
      String(r.samplesSeen),
      r.reused ? 'stored' : 'evaluated',
    ]),
  };
  const reused = evaluations.filter((r) => r.reused).length;
  const sections: HtmlSection[] = [
    {
      id: 'metrics',
      heading: 'Metrics',
      paragraphs: [
        `${evaluations.length} result(s) of at least ${options.count} items each: ${reused} read from the run's eval-<density>.json files, ${evaluations.length - reused} evaluated now.`,
      ],
      tables: [metricsTable, { caption: 'Run configuration', head: ['setting', 'value'], rows: configRows(runDir, config, minimum) }, snapshotTable],
    },
  ];

  const curve = evaluations.filter((r): r is ReportEvaluation & { density: number } => r.density !== null);
  const minimumMarker = { value: minimum, label: `minimum ${formatTick(minimum)}`, color: COLORS.minimum };
  sections.push({
    id: 'figure-5',
    heading: 'Errors against density (Figure 5)',
    ...(curve.length > 0
      ? {
          images: [
            picture(
              'figure5',
              lineChart({
                title: 'FPE, FNE, CE and E2EE against density',
                x: { label: 'density (log scale, reversed: training runs left to right)', log: true, reversed: true },
                y: { label: 'error', include: [0], format: percentTick },
                series: (
                  [
                    ['FPE', 'fpe'],
                    ['FNE', 'fne'],
                    ['CE', 'ce'],
                    ['E2EE', 'e2ee'],
                  ] as const
                ).map(([name, key]) => ({ name, color: COLORS[key], points: curve.map((r) => [r.density, r[key]] as const) })),
                xMarkers: [minimumMarker],
              }),
              'Line chart of FPE, FNE, CE and E2EE against density',
              `One point per snapshot; the dashed line is the theoretical minimum density ${formatNumber(minimum)}.`,
            ),
          ],
        }
      : { paragraphs: ['The run has no density snapshots (no annealed bottleneck), so there is no curve to draw.'] }),
  });

  const confusion = final.confusion ?? null;
  sections.push({
    id: 'figure-4',
    heading: 'Confusion matrix (Figure 4)',
    ...(confusion
      ? {
          images: [
            picture(
              'confusion',
              renderConfusionPng(realignConfusion(confusion), { title: `${final.source}, ${final.motifItems} items` }),
              'Confusion matrix of true symbols against motif channels',
              'Rows: true symbols (and "none" for activations outside every footprint), labelled with their share of all results; cells: fraction of the row; columns: channels, permuted onto the diagonal.',
            ),
          ],
        }
      : { paragraphs: ['No motif metrics for these weights (the model has no bottleneck), so there is no confusion matrix.'] }),
  });

  sections.push(missedSymbolsSection(curve, final, picture, minimumMarker));
  sections.push(symbolChannelsSection(curve, final, minimum));

  // Images are [rows, columns, channels]; sequences (audio) [frames, features], drawn as spectrograms.
  const sequence = domain.inputShape.length === 2;
  const drawable = config.model.bottleneck.kind !== 'none' && (domain.inputShape.length === 3 || sequence);
  if (drawable) {
    const figure = await predictMotifs(runDir, {
      density: final.source === 'checkpoints/latest' || final.density === null ? 'latest' : final.density,
      count: FIGURE2_ITEMS,
      confusion,
    });
    const named = figure.channelSymbols.flatMap((s, c) => (s === null ? [] : [`${String.fromCharCode(65 + c)}→${s}`]));
    const seed = figure.seed === 'raw' ? 'RandomState(i)' : `seed ${figure.seed}`;
    sections.push({
      id: 'figure-2',
      heading: 'Motifs on inputs (Figure 2)',
      paragraphs: [`Channel assignment from the confusion matrix: ${named.length > 0 ? named.join(', ') : 'none'}.`],
      images: [
        picture(
          'samples',
          sampleGrid(figure.items, { inverted: domain.background === 1 }),
          'Inputs with true footprints and predicted motifs',
          `Items 0-${figure.items.length - 1} of ${seed}, ${figure.source}. ${sequence ? 'Spectrograms (time to the right, mel bands upwards). ' : ''}Boxes: true footprints tagged with their symbol. Red dots${sequence ? ' (under each spectrogram, at the frame they fire at)' : ''}: maximal motifs (local maxima of each channel of the sparse layer), tagged with the symbol the confusion matrix assigns to their channel, or the channel's letter when it has none.`,
        ),
      ],
    });
  } else {
    sections.push({
      id: 'figure-2',
      heading: 'Motifs on inputs (Figure 2)',
      paragraphs: [config.model.bottleneck.kind === 'none' ? 'The model has no bottleneck, so it predicts no motifs to draw.' : 'Figure 2 is drawn for image and sequence domains only.'],
    });
  }

  const training: HtmlImage[] = [];
  if (log.length > 0) {
    training.push(
      picture(
        'loss',
        lineChart({
          title: 'Training loss',
          x: { label: 'samples seen' },
          y: { label: 'loss (last batch before each validation)', include: [0] },
          series: [{ name: 'loss', color: COLORS.loss, points: log.map((r) => [r.samplesSeen, r.loss] as const) }],
        }),
        'Line chart of the training loss against samples seen',
        'Cross-entropy (plus any auxiliary bottleneck loss) of the last training batch before each validation.',
      ),
      picture(
        'accuracy',
        lineChart({
          title: 'Validation accuracy',
          x: { label: 'samples seen' },
          y: { label: 'exact-match accuracy', include: [0, 1], format: percentTick },
          // The target first, so the accuracy is drawn over it where they meet.
          series: [
            { name: 'annealer target', color: COLORS.target, dashed: true, points: log.map((r) => [r.samplesSeen, r.target] as const) },
            { name: 'accuracy', color: COLORS.accuracy, points: log.map((r) => [r.samplesSeen, r.accuracy] as const) },
          ],
        }),
        'Line chart of validation accuracy and the annealer target against samples seen',
        'The annealer cuts the density whenever the accuracy reaches its target.',
      ),
    );
    if (log.some((r) => r.density !== null)) {
      training.push(
        picture(
          'density',
          lineChart({
            title: 'Density',
            x: { label: 'samples seen' },
            y: { label: 'density (log scale)', log: true },
            series: [{ name: 'density', color: COLORS.density, points: log.map((r) => [r.samplesSeen, r.density] as const) }],
            yMarkers: [minimumMarker],
          }),
          'Line chart of the density against samples seen',
          `The density each validation ran at; the dashed line is the theoretical minimum ${formatNumber(minimum)}.`,
        ),
      );
    }
  }
  sections.push({
    id: 'training',
    heading: 'Training',
    ...(training.length > 0 ? { images: training } : { paragraphs: ['log.jsonl has no validations yet.'] }),
  });

  const html = reportHtml({
    title: `SPARLING run report: ${basename(resolve(runDir))}`,
    intro: [`Run ${resolve(runDir)}, ${final.samplesSeen} samples, report written ${new Date().toISOString()} by sparling report.`],
    sections,
  });
  // Pictures first, the page last: the page never points at a picture not yet written.
  for (const png of pngs) await writeFileAtomic(png.path, png.bytes);
  await writeFileAtomic(options.out, html);
  return { html: options.out, images: pngs.map((p) => p.path) };
}
