import { linearSumAssignment } from '../assignment.js';
import { channelNames as defaultChannelNames, checkChannelNames } from '../channel-names.js';
import type { MotifMetrics } from '../dataset-metrics.js';
import { fail } from '../errors.js';
import type { MotifMap, TrueMotif } from '../motif-map.js';
import { Categorizer } from './categorizer.js';

/**
 * Streaming sums behind `MotifEvaluator` and `evaluateMotifs`: per true symbol a row of counts
 * per channel plus a false-negative cell, per channel its false positives, and the totals. An
 * item that fails validation leaves the sums untouched.
 */
export class Accumulator {
  private readonly categorizer = new Categorizer();
  private readonly givenNames: readonly string[] | undefined;
  private names: readonly string[] = [];
  private channels = 0;
  /** Per true symbol, in first-seen order: counts per channel, then false negatives. */
  private readonly bySymbol = new Map<string, Float64Array>();
  /** Per channel, the symbols of the footprints it covered in first-seen order (majority ties). */
  private firstSeen: string[][] = [];
  private falsePositivesByChannel = new Float64Array(0);
  private items = 0;
  private trueMotifs = 0;
  private covered = 0;
  private falsePositives = 0;
  private activations = 0;
  private entries = 0;

  constructor(names: readonly string[] | undefined, where: string) {
    if (names !== undefined) {
      if (!Array.isArray(names)) fail('options.channelNames', 'an array of names', names, where);
      this.givenNames = checkChannelNames(names, names.length, 'options.channelNames', where);
    }
  }

  add(map: MotifMap, motifs: readonly TrueMotif[], mapPath: string, motifsPath: string, where: string): void {
    const cat = this.categorizer;
    cat.run(map, motifs, mapPath, motifsPath, where);
    const list = cat.list;
    const C = list.channels;
    if (this.channels === 0) this.start(C, mapPath, where);
    else if (C !== this.channels) fail(`${mapPath}.channels`, `${this.channels} (the channel count of the first item)`, C, where);

    for (let k = 0; k < cat.motifCount; k++) {
      const symbol = motifs[k]!.symbol;
      let row = this.bySymbol.get(symbol);
      if (row === undefined) {
        row = new Float64Array(C + 1);
        this.bySymbol.set(symbol, row);
      }
      const c = cat.motifChannel[k]!;
      if (c < 0) {
        row[C]!++;
      } else {
        if (row[c] === 0) this.firstSeen[c]!.push(symbol);
        row[c]!++;
        this.covered++;
      }
    }
    for (let i = 0; i < list.count; i++) {
      if (cat.unclaimed[i] === 1) this.falsePositivesByChannel[list.channel[i]!]!++;
    }
    this.items++;
    this.trueMotifs += cat.motifCount;
    this.falsePositives += cat.falsePositives;
    this.activations += list.count;
    this.entries += list.positions * C;
  }

  private start(C: number, mapPath: string, where: string): void {
    if (this.givenNames !== undefined && this.givenNames.length !== C) {
      fail('options.channelNames', `${C} names (${mapPath}.channels is ${C})`, this.givenNames, where);
    }
    this.channels = C;
    this.names = this.givenNames ?? defaultChannelNames(C);
    this.firstSeen = Array.from({ length: C }, () => []);
    this.falsePositivesByChannel = new Float64Array(C);
  }

  get itemCount(): number {
    return this.items;
  }

  result(): MotifMetrics {
    const C = this.channels;
    const symbols = [...this.bySymbol.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const rowOf = (s: string): Float64Array => this.bySymbol.get(s)!;
    const counts = [...symbols.map((s) => Array.from(rowOf(s))), [...Array.from(this.falsePositivesByChannel), 0]];
    const { trueMotifs, covered, falsePositives, activations } = this;
    const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

    const assignment: (string | null)[] = new Array<string | null>(C).fill(null);
    let ce: number | null = null;
    if (covered > 0) {
      const hits = symbols.map((s) => Array.from(rowOf(s).subarray(0, C)));
      const solved = linearSumAssignment(hits, { maximize: true });
      solved.rowIndices.forEach((i, k) => {
        if (hits[i]![solved.columnIndices[k]!]! > 0) assignment[solved.columnIndices[k]!] = symbols[i]!;
      });
      // A ratio of counts like every other metric (the reference's `1 - matched / total` can
      // differ in the last bit), so ce and ceMajority compare exactly when they agree.
      ce = (covered - solved.total) / covered;
    }

    const majority: (string | null)[] = [];
    let confused = 0;
    for (let c = 0; c < C; c++) {
      let best: string | null = null;
      let bestCount = 0;
      let columnTotal = 0;
      for (const s of this.firstSeen[c]!) {
        const n = rowOf(s)[c]!;
        columnTotal += n;
        // Strictly greater: Counter.most_common keeps the first-seen symbol on ties.
        if (n > bestCount) {
          bestCount = n;
          best = s;
        }
      }
      majority.push(best);
      confused += columnTotal - bestCount;
    }

    return {
      fne: ratio(trueMotifs - covered, trueMotifs),
      fpe: ratio(falsePositives, falsePositives + covered),
      fpePaper: ratio(falsePositives, activations),
      ce,
      ceMajority: ratio(confused, covered),
      density: ratio(activations, this.entries),
      counts: { items: this.items, trueMotifs, covered, falsePositives, activations },
      confusion: { rows: [...symbols, 'none'], columns: [...this.names, 'none'], counts },
      channelNames: [...this.names],
      assignment,
      majority,
    };
  }
}
