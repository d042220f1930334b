import type { CliIo } from './io.js';

export interface ProgressOptions {
  readonly total: number;
  readonly label: string;
  /** Unit shown in the rate, e.g. "samples". */
  readonly unit?: string;
  /** Minimum milliseconds between redraws (non-interactive output prints a line per interval). */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

const MIN_RATE_SECONDS = 1;

/**
 * A progress bar on stderr: redrawn in place on a terminal, one line per interval otherwise
 * (so CI logs stay readable). Extra fields (loss, density...) are shown after the bar.
 */
export class ProgressBar {
  private readonly io: CliIo;
  private readonly opts: Required<Omit<ProgressOptions, 'now'>> & { now: () => number };
  private readonly start: number;
  private lastDraw = -Infinity;
  private done = 0;
  private fields: Record<string, string> = {};

  constructor(io: CliIo, options: ProgressOptions) {
    this.io = io;
    this.opts = { unit: 'items', intervalMs: io.interactive ? 100 : 5000, now: () => Date.now(), ...options };
    this.start = this.opts.now();
  }

  /** Sets the completed count and extra fields; redraws if the interval has passed. */
  update(done: number, fields: Record<string, string | number> = {}): void {
    this.done = done;
    for (const [k, v] of Object.entries(fields)) this.fields[k] = typeof v === 'number' ? formatNumber(v) : v;
    const now = this.opts.now();
    if (now - this.lastDraw >= this.opts.intervalMs) {
      this.lastDraw = now;
      this.draw(now);
    }
  }

  /** Draws the final state and ends the line. */
  finish(fields: Record<string, string | number> = {}): void {
    this.update(this.done, fields);
    this.draw(this.opts.now());
    if (this.io.interactive) this.io.stderr('\n');
  }

  private draw(now: number): void {
    const { total, label, unit } = this.opts;
    const frac = total > 0 ? Math.min(1, this.done / total) : 0;
    const width = 24;
    const filled = Math.round(frac * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    const seconds = (now - this.start) / 1000;
    // Callers create the bar on their first report, after that work was done: a rate over a
    // few milliseconds would read as billions per second.
    const rate = seconds >= MIN_RATE_SECONDS ? this.done / seconds : NaN;
    const eta = rate > 0 ? (total - this.done) / rate : Infinity;
    const extra = Object.entries(this.fields).map(([k, v]) => `${k} ${v}`).join('  ');
    const line = `${label} [${bar}] ${this.done}/${total} ${Number.isNaN(rate) ? '--' : formatNumber(rate)} ${unit}/s eta ${formatDuration(eta)}${extra ? '  ' + extra : ''}`;
    this.io.stderr(this.io.interactive ? `\r\x1b[2K${line}` : `${line}\n`);
  }
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(0);
  if (a >= 1) return v.toFixed(2);
  if (a >= 1e-3) return v.toFixed(4);
  return v.toExponential(3);
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}
