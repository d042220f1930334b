import { fail } from '../errors.js';
import type { MotifMap, TrueMotif } from '../motif-map.js';
import { ActivationList } from './activation-list.js';

function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/**
 * Spec 7.2 `categorize_relationships` on one item, writing into reusable typed arrays: for each
 * true motif in order, the channel of the largest activation still unclaimed inside its
 * (clipped) footprint, ties to the lowest channel, -1 when there is none; the footprint then
 * claims every activation in it. Activations left unclaimed are the false positives.
 */
export class Categorizer {
  readonly list = new ActivationList();
  /** Per true motif: the predicted channel, or -1 when the footprint holds no activation. */
  motifChannel = new Int32Array(16);
  /** Per true motif: the value of the maximal activation (0 when none). */
  motifValue = new Float64Array(16);
  motifCount = 0;
  /** Per activation of `list`: 1 when no footprint claimed it (a false positive). */
  unclaimed = new Uint8Array(64);
  falsePositives = 0;
  private box = new Int32Array(8);

  run(map: MotifMap, motifs: readonly TrueMotif[], mapPath: string, motifsPath: string, where?: string): void {
    const list = this.list.load(map, mapPath, where);
    if (!Array.isArray(motifs)) fail(motifsPath, 'an array of { symbol, footprint }', motifs, where);
    const { count, rank, shape, coords, channel, value } = list;
    if (this.motifChannel.length < motifs.length) {
      this.motifChannel = new Int32Array(motifs.length * 2);
      this.motifValue = new Float64Array(motifs.length * 2);
    }
    if (this.unclaimed.length < count) this.unclaimed = new Uint8Array(count * 2);
    if (this.box.length < 2 * rank) this.box = new Int32Array(2 * rank);
    const unclaimed = this.unclaimed;
    const box = this.box;
    unclaimed.fill(1, 0, count);
    let left = count;
    for (let k = 0; k < motifs.length; k++) {
      this.clippedBox(motifs[k], `${motifsPath}[${k}]`, rank, shape, where);
      let bestValue = 0;
      let bestChannel = -1;
      for (let i = 0; left > 0 && i < count; i++) {
        if (unclaimed[i] === 0) continue;
        let inside = true;
        for (let d = 0, o = i * rank; d < rank; d++) {
          const x = coords[o + d]!;
          if (x < box[d]! || x >= box[rank + d]!) {
            inside = false;
            break;
          }
        }
        if (!inside) continue;
        unclaimed[i] = 0;
        left--;
        const v = value[i]!;
        const c = channel[i]!;
        if (v > bestValue || (v === bestValue && c < bestChannel)) {
          bestValue = v;
          bestChannel = c;
        }
      }
      this.motifChannel[k] = bestChannel;
      this.motifValue[k] = bestValue;
    }
    this.motifCount = motifs.length;
    this.falsePositives = left;
  }

  /** Validates one true motif and writes its footprint, clipped to the map, into `box`. */
  private clippedBox(motif: unknown, at: string, rank: number, shape: readonly number[], where: string | undefined): void {
    if (typeof motif !== 'object' || motif === null || Array.isArray(motif)) fail(at, 'an object { symbol, footprint }', motif, where);
    const { symbol, footprint } = motif as { symbol?: unknown; footprint?: unknown };
    if (typeof symbol !== 'string') fail(`${at}.symbol`, 'a string', symbol, where);
    if (symbol === 'none') fail(`${at}.symbol`, 'a symbol other than "none" (it names the confusion matrix\'s none row)', symbol, where);
    if (typeof footprint !== 'object' || footprint === null || Array.isArray(footprint)) {
      fail(`${at}.footprint`, 'an object { start, end }', footprint, where);
    }
    const { start, end } = footprint as { start?: unknown; end?: unknown };
    const coordinates = `an array of ${rank} integer${rank === 1 ? '' : 's'} (one per spatial axis)`;
    if (!Array.isArray(start) || start.length !== rank) fail(`${at}.footprint.start`, coordinates, start, where);
    if (!Array.isArray(end) || end.length !== rank) fail(`${at}.footprint.end`, coordinates, end, where);
    for (let d = 0; d < rank; d++) {
      const s: unknown = start[d];
      const e: unknown = end[d];
      if (!isInteger(s)) fail(`${at}.footprint.start[${d}]`, 'an integer', s, where);
      if (!isInteger(e) || e < s) fail(`${at}.footprint.end[${d}]`, `an integer >= start[${d}] = ${s} (end is exclusive)`, e, where);
      const size = shape[d]!;
      this.box[d] = Math.min(Math.max(0, s), size);
      this.box[rank + d] = Math.max(0, Math.min(size, e));
    }
  }
}
