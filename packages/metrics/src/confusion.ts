import { fail } from './errors.js';

/**
 * Raw counts of (true symbol, predicted channel) results over a dataset. Rows are the true
 * symbols in code-point order plus a last `"none"` row holding each channel's false positives;
 * columns are the channels in index order plus a last `"none"` column holding each symbol's
 * false negatives (uncovered footprints). The none/none cell is always 0.
 *
 * @example
 * ```ts
 * const m: ConfusionMatrix = {
 *   rows: ['1', '2', 'none'],
 *   columns: ['A', 'B', 'none'],
 *   counts: [[2, 0, 1], [0, 3, 0], [1, 0, 0]],
 * };
 * ```
 */
export interface ConfusionMatrix {
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  readonly counts: readonly (readonly number[])[];
}

/**
 * A confusion matrix arranged for display (the paper's Figure 4): empty rows and columns
 * dropped, each row normalised to sum 1, and columns reordered so the mass sits on the diagonal,
 * `"none"` last.
 *
 * @example
 * ```ts
 * const shown = realignConfusion(metrics.confusion);
 * shown.rows[0]; // first true symbol
 * shown.rowShares[0]; // its share of all results
 * ```
 */
export interface RealignedConfusion {
  readonly rows: readonly string[];
  /** Channel names; with `join`, channels that share a majority symbol are one column `"A/C"`. */
  readonly columns: readonly string[];
  /** Raw counts in this order. */
  readonly counts: readonly (readonly number[])[];
  /** `counts` with each row divided by its sum. */
  readonly fractions: readonly (readonly number[])[];
  /** Each row's sum divided by the total of all cells. */
  readonly rowShares: readonly number[];
}

/**
 * Options of {@link realignConfusion}.
 *
 * @example
 * ```ts
 * const options: RealignOptions = { join: true, majority: metrics.majority };
 * ```
 */
export interface RealignOptions {
  /**
   * Sum the channels that map to the same true symbol into one column named by joining their
   * names with "/" (the reference's `rename="join"`, used for its 32-channel LaTeX display).
   * Channels that cover no footprint keep their own column. Default `false`.
   */
  readonly join?: boolean;
  /**
   * The true symbol each channel maps to, in channel order (e.g. `MotifMetrics.majority`, whose
   * ties go to the symbol the channel met first). Default: each channel column's largest true
   * symbol row, ties to the earlier row.
   */
  readonly majority?: readonly (string | null)[];
}

/**
 * Arranges a confusion matrix for display like the reference's `realign_confusion`: rows and
 * columns without any count are dropped; rows are normalised to sum 1 and labelled with their
 * share of all results; columns are stably sorted by (index of the true-symbol row where the
 * column's normalised value is largest, that value), starting from name order, with `"none"`
 * last.
 *
 * @param confusion - e.g. `MotifMetrics.confusion`; its last row and column must be `"none"`.
 * @example
 * ```ts
 * const shown = realignConfusion(metrics.confusion, { join: true, majority: metrics.majority });
 * ```
 */
export function realignConfusion(confusion: ConfusionMatrix, options: RealignOptions = {}): RealignedConfusion {
  const where = 'realignConfusion';
  checkConfusion(confusion, where);
  const { rows, columns, counts } = confusion;
  const symbolRows = rows.length - 1;
  const channels = columns.length - 1;

  // Columns as (name, counts per row), optionally merged by majority symbol.
  let merged: { name: string; cells: number[] }[] = [];
  const column = (j: number): number[] => counts.map((r) => r[j]!);
  if (options.join) {
    const majority = options.majority ?? defaultMajority(confusion);
    if (majority.length !== channels) fail('options.majority', `${channels} entries (one per channel)`, majority, where);
    const groups = new Map<string, number[]>();
    for (let j = 0; j < channels; j++) {
      const symbol = majority[j];
      if (symbol === null || symbol === undefined) merged.push({ name: columns[j]!, cells: column(j) });
      else groups.set(symbol, [...(groups.get(symbol) ?? []), j]);
    }
    for (const members of groups.values()) {
      const cells = new Array<number>(rows.length).fill(0);
      for (const j of members) for (let i = 0; i < rows.length; i++) cells[i]! += counts[i]![j]!;
      merged.push({ name: members.map((j) => columns[j]!).join('/'), cells });
    }
  } else {
    for (let j = 0; j < channels; j++) merged.push({ name: columns[j]!, cells: column(j) });
  }
  merged = merged.filter((c) => c.cells.some((v) => v !== 0));
  merged.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const none = { name: 'none', cells: column(channels) };
  const all = none.cells.some((v) => v !== 0) ? [...merged, none] : merged;

  const keptRows: number[] = [];
  const rowSums: number[] = [];
  rows.forEach((_, i) => {
    const sum = all.reduce((s, c) => s + c.cells[i]!, 0);
    if (sum !== 0) {
      keptRows.push(i);
      rowSums.push(sum);
    }
  });
  const total = rowSums.reduce((a, b) => a + b, 0);
  const fractionOf = (c: { cells: number[] }, k: number): number => c.cells[keptRows[k]!]! / rowSums[k]!;
  const symbolRowCount = keptRows.filter((i) => i < symbolRows).length;
  const sortKey = (c: { name: string; cells: number[] }): [number, number] => {
    if (c === none) return [Infinity, Infinity];
    let best = 0;
    let bestValue = -Infinity;
    for (let k = 0; k < symbolRowCount; k++) {
      const f = fractionOf(c, k);
      if (f > bestValue) {
        bestValue = f;
        best = k;
      }
    }
    return [best, symbolRowCount === 0 ? 0 : bestValue];
  };
  const keyed = all.map((c) => ({ c, key: sortKey(c) }));
  keyed.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1]);
  const ordered = keyed.map((k) => k.c);
  return {
    rows: keptRows.map((i) => rows[i]!),
    columns: ordered.map((c) => c.name),
    counts: keptRows.map((i) => ordered.map((c) => c.cells[i]!)),
    fractions: keptRows.map((_, k) => ordered.map((c) => fractionOf(c, k))),
    rowShares: rowSums.map((s) => s / total),
  };
}

/**
 * One true symbol's false negatives, from its row of a {@link ConfusionMatrix}.
 *
 * @example
 * ```ts
 * const worst = fneBySymbol(metrics.confusion).filter((s) => (s.fne ?? 0) > 0.05);
 * ```
 */
export interface SymbolFne {
  readonly symbol: string;
  /** This symbol's footprints: its whole row, "none" column included (each footprint is one result). */
  readonly footprints: number;
  /** Of those, the footprints no channel covered (the row's "none" cell). */
  readonly missed: number;
  /** `missed / footprints`, or null when the symbol has no footprint. */
  readonly fne: number | null;
}

/**
 * The FNE of each true symbol: which symbols the channels miss, where the dataset's FNE (the
 * sum of `missed` over the sum of `footprints`) only says how many. A symbol that no channel
 * learned shows up here as an FNE near 1 while the others stay near 0.
 *
 * @param confusion - e.g. `MotifMetrics.confusion`; its last row and column must be `"none"`.
 * @returns one entry per true symbol, in the matrix's row order (the "none" row left out).
 * @example
 * ```ts
 * fneBySymbol({ rows: ['1', '2', 'none'], columns: ['A', 'B', 'none'], counts: [[2, 0, 1], [0, 3, 0], [1, 0, 0]] });
 * // [{ symbol: '1', footprints: 3, missed: 1, fne: 1 / 3 }, { symbol: '2', footprints: 3, missed: 0, fne: 0 }]
 * ```
 */
export function fneBySymbol(confusion: ConfusionMatrix): SymbolFne[] {
  checkConfusion(confusion, 'fneBySymbol');
  const none = confusion.columns.length - 1;
  return confusion.rows.slice(0, -1).map((symbol, i) => {
    const row = confusion.counts[i]!;
    const footprints = row.reduce((a, b) => a + b, 0);
    const missed = row[none]!;
    return { symbol, footprints, missed, fne: footprints === 0 ? null : missed / footprints };
  });
}

/**
 * Where one true symbol's found footprints went, from its row of a {@link ConfusionMatrix}.
 *
 * @example
 * ```ts
 * const shared = symbolChannels(metrics.confusion).filter((s) => s.sharedWith.length > 0);
 * ```
 */
export interface SymbolChannel {
  readonly symbol: string;
  /** Footprints some channel covered: the symbol's row without its "none" cell. */
  readonly found: number;
  /** The channel covering most of them (the first in column order on a tie), or null when `found` is 0. */
  readonly channel: string | null;
  /** That channel's share of `found`, or null when `found` is 0. */
  readonly share: number | null;
  /** The other symbols whose `channel` is this one too, in row order. */
  readonly sharedWith: readonly string[];
}

/**
 * Each true symbol's most frequent channel, and which symbols share one. The one-to-one CE
 * counts every footprint outside its symbol's assigned channel, so two symbols with the same
 * main channel put the smaller one's footprints into CE however well both are found; this says
 * which symbols those are, and `sharedWith` empty for every symbol means each has a channel of
 * its own.
 *
 * @param confusion - e.g. `MotifMetrics.confusion`; its last row and column must be `"none"`.
 * @returns one entry per true symbol, in the matrix's row order (the "none" row left out).
 * @example
 * ```ts
 * symbolChannels({ rows: ['1', '2', 'none'], columns: ['A', 'B', 'none'], counts: [[3, 1, 0], [0, 2, 0], [0, 0, 0]] });
 * // [{ symbol: '1', found: 4, channel: 'A', share: 0.75, sharedWith: [] },
 * //  { symbol: '2', found: 2, channel: 'B', share: 1, sharedWith: [] }]
 * ```
 */
export function symbolChannels(confusion: ConfusionMatrix): SymbolChannel[] {
  checkConfusion(confusion, 'symbolChannels');
  const channels = confusion.columns.length - 1;
  const main = confusion.rows.slice(0, -1).map((symbol, i) => {
    const row = confusion.counts[i]!;
    let found = 0;
    let best = -1;
    for (let j = 0; j < channels; j++) {
      found += row[j]!;
      if (row[j]! > 0 && (best < 0 || row[j]! > row[best]!)) best = j;
    }
    return { symbol, found, best, share: best < 0 ? null : row[best]! / found };
  });
  return main.map((m) => ({
    symbol: m.symbol,
    found: m.found,
    channel: m.best < 0 ? null : confusion.columns[m.best]!,
    share: m.share,
    sharedWith: m.best < 0 ? [] : main.filter((o) => o !== m && o.best === m.best).map((o) => o.symbol),
  }));
}

/** Checks the shape every confusion matrix has: a last "none" row and column, full rows of counts. */
function checkConfusion(confusion: ConfusionMatrix, where: string): void {
  if (confusion === null || typeof confusion !== 'object') fail('confusion', 'an object { rows, columns, counts }', confusion, where);
  const { rows, columns, counts } = confusion;
  if (!Array.isArray(rows) || rows[rows.length - 1] !== 'none') fail('confusion.rows', 'a list ending with "none"', rows, where);
  if (!Array.isArray(columns) || columns[columns.length - 1] !== 'none') fail('confusion.columns', 'a list ending with "none"', columns, where);
  if (!Array.isArray(counts) || counts.length !== rows.length) fail('confusion.counts', `${rows.length} rows`, counts, where);
  counts.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== columns.length) fail(`confusion.counts[${i}]`, `${columns.length} counts`, r, where);
    r.forEach((v, j) => {
      if (!(Number.isFinite(v) && v >= 0)) fail(`confusion.counts[${i}][${j}]`, 'a finite number >= 0', v, where);
    });
  });
}

function defaultMajority({ rows, columns, counts }: ConfusionMatrix): (string | null)[] {
  return columns.slice(0, -1).map((_, j) => {
    let best: string | null = null;
    let bestCount = 0;
    for (let i = 0; i < rows.length - 1; i++) {
      if (counts[i]![j]! > bestCount) {
        bestCount = counts[i]![j]!;
        best = rows[i]!;
      }
    }
    return best;
  });
}
