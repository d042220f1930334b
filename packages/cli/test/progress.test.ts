import { describe, expect, it } from 'vitest';
import { parseNumberFlag as parseNumberFlagForTest } from '../src/args.js';
import { ProgressBar, formatDuration, formatNumber } from '../src/progress.js';

describe('ProgressBar', () => {
  it('prints one line per interval when not interactive, with rate and fields', () => {
    let out = '';
    let t = 0;
    const bar = new ProgressBar(
      { stdout: () => {}, stderr: (s) => (out += s), interactive: false },
      { total: 100, label: 'train', unit: 'samples', intervalMs: 1000, now: () => t },
    );
    t = 1000;
    bar.update(50, { loss: 0.5 });
    t = 1500;
    bar.update(60);
    t = 2000;
    bar.finish({ loss: 0.25 });
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('train [############------------] 50/100 50.00 samples/s eta 1s  loss 0.5000');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('60/100');
    expect(lines[2]).toContain('loss 0.2500');
  });
  it('shows no rate until a second has passed, instead of a count over a few milliseconds', () => {
    let out = '';
    let t = 0;
    const bar = new ProgressBar({ stdout: () => {}, stderr: (s) => (out += s), interactive: false }, { total: 100, label: 'eval', intervalMs: 100, now: () => t });
    t = 3;
    bar.update(64);
    t = 2000;
    bar.update(80);
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('eval [###############---------] 64/100 -- items/s eta --');
    expect(lines[1]).toBe('eval [###################-----] 80/100 40.00 items/s eta 1s');
  });
  it('redraws in place on a terminal', () => {
    let out = '';
    const bar = new ProgressBar({ stdout: () => {}, stderr: (s) => (out += s), interactive: true }, { total: 10, label: 'x', now: () => 0 });
    bar.update(5);
    bar.finish();
    expect(out.startsWith('\r\x1b[2K')).toBe(true);
    expect(out.endsWith('\n')).toBe(true);
  });
  it('formats numbers and durations', () => {
    expect(formatNumber(12345.6)).toBe('12346');
    expect(formatNumber(0.00001234)).toBe('1.234e-5');
    expect(formatDuration(3725)).toBe('1h02m');
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(Infinity)).toBe('--');
  });
  it('rejects bad numeric flags naming the flag and value', () => {
    expect(() => parseNumberFlagForTest('seed', 'abc', { integer: true })).toThrow('--seed: expected an integer, received "abc"');
    expect(() => parseNumberFlagForTest('count', '0', { integer: true, min: 1 })).toThrow('--count: expected an integer >= 1, received 0');
    expect(parseNumberFlagForTest('density', '0.25')).toBe(0.25);
  });
});
