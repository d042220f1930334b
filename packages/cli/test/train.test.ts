import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomain } from '@sparling/domains';
import { loadRun, readRunConfig, train } from '@sparling/models';
import { main } from '../src/index.js';
import { validationLine } from '../src/commands/train.js';
import { capture } from './capture.js';

const tiny = JSON.stringify({ size: 32, minRadius: 1, jitter: 1, minDigits: 3, maxDigits: 3 });
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sparling-cli-train-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('validationLine', () => {
  it('says which validations cut the density and which settle at the final one', () => {
    const record = { samplesSeen: 256224, accuracy: 0.672, target: 0.672, density: 2.116528e-4, newDensity: 1.587396e-4, reduced: true, loss: 0.3056, seconds: 1 };
    expect(validationLine(record)).toBe('   256224    0.6720   0.6720     2.117e-4    0.3056  reduced to 1.587e-4\n');
    const kept = { ...record, newDensity: 2.116528e-4, reduced: false };
    expect(validationLine({ ...kept, settling: { snapshot: true } })).toBe('   256224    0.6720   0.6720     2.117e-4    0.3056  settling, snapshot\n');
    expect(validationLine({ ...kept, accuracy: 0.6, settling: { snapshot: false } })).toBe('   256224    0.6000   0.6720     2.117e-4    0.3056  settling\n');
    expect(validationLine(kept)).toBe('   256224    0.6720   0.6720     2.117e-4    0.3056\n');
  });
});

describe('sparling train / eval / retrain', () => {
  it('trains and evaluates a tiny run from the command line', async () => {
    const out = join(root, 'run');
    const common = ['--domain-options', tiny, '--out', out, '--batch-size', '16', '--validate-every', '32', '--validation-items', '16', '--backend', 'wasm', '--workers', '0'];
    const io = capture();
    expect(await main(['train', 'digit-circle', ...common, '--max-samples', '32'], io), io.err).toBe(0);
    expect(io.err).toMatch(/^backend wasm/);
    expect(io.out).toContain('samples  accuracy   target');
    expect(io.out).toMatch(/samples +32 \(/);
    expect(existsSync(join(out, 'checkpoints', 'latest', 'weights.bin'))).toBe(true);
    expect(existsSync(join(out, 'log.jsonl'))).toBe(true);

    const ev = capture();
    expect(await main(['eval', out, '--count', '8', '--json', '--backend', 'wasm', '--workers', '0'], ev), ev.err).toBe(0);
    const parsed = JSON.parse(ev.out) as Record<string, unknown>;
    for (const key of ['density', 'minimumDensity', 'fpe', 'fne', 'ce', 'ceMajority', 'e2ee', 'accuracy', 'items']) expect(parsed).toHaveProperty(key);
    expect(parsed.items).toBe(8);
    // The cpu preset starts DigitCircle at 0.5 · 0.75⁶; eval reports 1 − sparsity, so compare closely.
    expect(parsed.density).toBeCloseTo(0.5 * 0.75 ** 6, 12);

    const table = capture();
    expect(await main(['eval', out, '--count', '8', '--density', 'latest', '--backend', 'wasm', '--workers', '0'], table), table.err).toBe(0);
    expect(table.out).toContain('FPE');
    expect(table.out).toContain('checkpoints/latest');
  });

  it('maps the comparison flags into run.json', async () => {
    const flags = ['--domain-options', tiny, '--max-samples', '16', '--batch-size', '16', '--validate-every', '1000', '--backend', 'wasm', '--workers', '0'];
    const l1 = join(root, 'l1');
    const io = capture();
    expect(await main(['train', 'digit-circle', ...flags, '--out', l1, '--bottleneck', 'l1', '--lambda', '0.5', '--seed', '7', '--learning-rate', '0.005'], io), io.err).toBe(0);
    const a = await readRunConfig(l1);
    expect(a).toMatchObject({ seed: 7, preset: 'cpu', domain: { name: 'digit-circle', options: { size: 32 } } });
    expect(a.model.bottleneck).toMatchObject({ kind: 'l1', lambda: 0.5, mode: 'per-channel', batchNorm: true, density: 0.5 * 0.75 ** 6 });
    expect(a.training).toMatchObject({ maxSamples: 16, batchSize: 16, validateEvery: 1000, learningRate: 0.005 });

    const ablation = join(root, 'ablation');
    const io2 = capture();
    expect(await main(['train', 'digit-circle', ...flags, '--out', ablation, '--mode', 'global', '--no-batchnorm', '--start-density', '0.01', '--validation-items', '4', '--motif-width', '4', '--min-update-interval', '10000', '--settle-samples', '0'], io2), io2.err).toBe(0);
    const b = await readRunConfig(ablation);
    expect(b.model.bottleneck).toMatchObject({ kind: 'sparling', mode: 'global', batchNorm: false, density: 0.01 });
    expect(b.model.motif).toMatchObject({ width: 4, residualUnits: 4 });
    expect(b.training.annealer).toMatchObject({ minUpdateInterval: 10000, initialTarget: 0.2, densityMultiplier: 0.75 });
    expect(b.training.validationItems).toBe(4);
    // 0 is the default, so run.json leaves it out.
    expect('settleSamples' in b.training).toBe(false);
    expect(a.training.settleSamples).toBe(45000);
    expect((await loadRun(ablation)).checkpoint?.annealer?.density).toBeCloseTo(0.01, 12);

    const kl = join(root, 'kl');
    const io3 = capture();
    expect(await main(['train', 'digit-circle', ...flags, '--out', kl, '--bottleneck', 'kl', '--lambda', '2'], io3), io3.err).toBe(0);
    expect((await readRunConfig(kl)).model.bottleneck).toMatchObject({ kind: 'kl', lambda: 2 });
    expect(io3.out).toContain('n/a (no sparsity layer)');
  });

  it('pauses with --until and continues from the checkpoint with --resume', async () => {
    const out = join(root, 'resume');
    const common = ['--backend', 'wasm', '--workers', '0'];
    const io = capture();
    expect(await main(['train', 'digit-circle', '--domain-options', tiny, '--out', out, '--batch-size', '16', '--validate-every', '32', '--validation-items', '8', '--max-samples', '64', '--until', '32', ...common], io), io.err).toBe(0);
    expect(io.out).toMatch(/samples +32 \(32 in .*paused \(resume with --resume\)/);
    const progress = async () => JSON.parse(await readFile(join(out, 'checkpoints', 'latest', 'progress.json'), 'utf8')) as { samplesSeen: number; finished: boolean };
    expect(await progress()).toMatchObject({ samplesSeen: 32, finished: false });

    const again = capture();
    // Settings come from run.json: a conflicting --batch-size is ignored on --resume.
    expect(await main(['train', 'digit-circle', '--out', out, '--resume', '--batch-size', '4', ...common], again), again.err).toBe(0);
    expect(again.err).toContain(`resuming ${out}`);
    expect(again.out).toMatch(/samples +64 \(32 in .*used the sample budget/);
    expect(await progress()).toMatchObject({ samplesSeen: 64, finished: true });
    const run = await loadRun(out);
    expect(run.log.map((r) => r.samplesSeen)).toEqual([32, 64]);
    expect(run.checkpoint?.optimizer.iterations).toBe(4);
  });

  it('splits each batch over --replicas, records the count, and resumes under another one', async () => {
    const out = join(root, 'replicas');
    const common = ['--backend', 'wasm', '--workers', '0'];
    const io = capture();
    const args = ['train', 'digit-circle', '--domain-options', tiny, '--out', out, '--batch-size', '16', '--validate-every', '32', '--validation-items', '8', '--max-samples', '64', '--until', '32', ...common];
    expect(await main([...args, '--replicas', '2'], io), io.err).toBe(0);
    expect(io.out).toMatch(/samples +32 \(32 in .*paused/);
    expect(await readRunConfig(out)).toMatchObject({ replicas: 2, training: { batchSize: 16 } });

    const again = capture();
    expect(await main(['train', 'digit-circle', '--out', out, '--resume', '--replicas', '4', ...common], again), again.err).toBe(0);
    expect(again.out).toMatch(/samples +64 \(32 in .*used the sample budget/);
    expect((await loadRun(out)).checkpoint?.optimizer.iterations).toBe(4);

    const usage: [string[], string][] = [
      [[...args, '--replicas', '0'], '--replicas: expected an integer >= 1, received 0'],
      [[...args, '--replicas', '1.5'], '--replicas: expected an integer, received "1.5"'],
      [[...args, '--replicas', '3'], '--replicas: expected a divisor of the batch size (16), received 3'],
      [['train', 'digit-circle', '--out', out, '--resume', '--replicas', '3', ...common], '--replicas: expected a divisor of the batch size (16), received 3'],
    ];
    for (const [argv, message] of usage) {
      const bad = capture();
      expect(await main(argv, bad), argv.join(' ')).toBe(2);
      expect(bad.err).toContain(message);
    }
  });

  // About 9 s on 2 busy cores: the paper's 120x360 canvas, 4 samples, 2 validation items.
  it('trains latex-ocr with the cpu preset on its own canvas', async () => {
    const out = join(root, 'latex');
    const io = capture();
    const args = ['train', 'latex-ocr', '--preset', 'cpu', '--out', out, '--max-samples', '4', '--batch-size', '2', '--validate-every', '4', '--validation-items', '2', '--backend', 'wasm', '--workers', '0'];
    expect(await main(args, io), io.err).toBe(0);
    expect(io.err).toContain(`training latex-ocr ({"height":120,"width":360,`);
    expect(io.out).toMatch(/samples +4 \(4 in .*used the sample budget/);
    const config = await readRunConfig(out);
    // The cpu preset's 48x48 canvas is DigitCircle's; LaTeX-OCR keeps the paper's.
    expect(config).toMatchObject({ preset: 'cpu', domain: { name: 'latex-ocr', options: { height: 120, width: 360, noise: 0.25 } } });
    expect(config.model.inputShape).toEqual([120, 360, 1]);
    expect(config.model.vocabulary).toEqual(createDomain('latex-ocr').vocabulary);
  });

  it('retrains h from a snapshot with the bottleneck removed, and evaluates the result', async () => {
    const source = join(root, 'source');
    const domain = createDomain('digit-circle', JSON.parse(tiny) as never);
    await train({
      domain,
      model: {
        inputShape: domain.inputShape,
        vocabulary: domain.vocabulary,
        motifChannels: 10,
        motif: { dims: 2, width: 4, residualUnits: 1, kernelSize: 3 },
        bottleneck: { kind: 'sparling', density: 0.5, mode: 'per-channel', batchNorm: true, affine: true, lambda: 0, accumulate: false },
        post: { width: 8, pool: 4, rowLstm: false, heads: 2, encoderLayers: 1, decoderLayers: 1, feedForward: 16, dropout: 0.1 },
        maxLength: domain.maxLabelLength + 1,
      },
      // An annealer whose target is below any accuracy at the first validation: one cut, one snapshot at 0.5.
      training: {
        batchSize: 16, learningRate: 1e-2, validateEvery: 16, validationItems: 8, validationSeed: -1, validationMaxLength: domain.maxLabelLength + 1, maxSamples: 16,
        annealer: { initialTarget: 1, minTarget: -1, maxTarget: 1, targetDecreasePerSample: 0.1, densityMultiplier: 0.75 },
        stopAtDensity: 0,
      },
      seed: 2,
      runDir: source,
      workers: 0,
    });
    const io = capture();
    expect(await main(['retrain', source, '--density', '0.5', '--max-samples', '32', '--backend', 'wasm', '--workers', '0'], io), io.err).toBe(0);
    const out = join(source, 'retrain-density-5.000000e-01');
    expect(io.err).toContain(`-> ${out}`);
    const run = await loadRun(out);
    expect(run.config.model.bottleneck.kind).toBe('none');
    expect(run.config.retrain).toEqual({ source, density: 0.5 });
    expect(run.checkpoint?.progress).toMatchObject({ samplesSeen: 32, finished: true });

    const ev = capture();
    expect(await main(['eval', out, '--count', '8', '--json', '--backend', 'wasm', '--workers', '0'], ev), ev.err).toBe(0);
    expect(JSON.parse(ev.out)).toMatchObject({ source: 'checkpoints/latest', density: null, fpe: null, items: 8, motifItems: 0 });
  });

  it('rejects bad flags with usage errors', async () => {
    const cases: string[][] = [
      ['train'],
      ['train', 'nope'],
      ['train', 'digit-circle', '--preset', 'huge'],
      ['train', 'digit-circle', '--bottleneck', 'l1'],
      ['train', 'digit-circle', '--mode', 'sideways'],
      ['train', 'digit-circle', '--motif-width', '0'],
      ['train', 'digit-circle', '--motif-width', '8.5'],
      ['train', 'digit-circle', '--min-update-interval', '2.5'],
      ['train', 'digit-circle', '--min-update-interval=-1'],
      ['train', 'digit-circle', '--settle-samples', '1.5'],
      ['train', 'latex-ocr', '--domain-options', '{"size":48}'],
      ['eval'],
      ['eval', 'x', '--density', 'abc'],
      ['retrain', 'x'],
    ];
    for (const args of cases) {
      const io = capture();
      expect(await main(args, io), args.join(' ')).toBe(2);
      expect(io.out).toBe('');
    }
    const named: [string[], string][] = [
      [['train', 'digit-circle', '--bottleneck', 'kl', '--lambda', '1', '--kl-target', '0'], '--kl-target: expected a number between 0 and 1, exclusive, received 0'],
      [['train', 'digit-circle', '--bottleneck', 'kl', '--lambda', '1', '--kl-target', '1'], '--kl-target: expected a number between 0 and 1, exclusive, received 1'],
      [['train', 'digit-circle', '--bottleneck', 'l1', '--lambda', '1', '--kl-target', '0.001'], '--kl-target: expected only with --bottleneck kl, received it with --bottleneck l1'],
      [['train', 'digit-circle', '--kl-target', '0.001'], '--kl-target: expected only with --bottleneck kl, received it with --bottleneck sparling'],
      [['train'], 'expected exactly one domain (digit-circle, latex-ocr, audio-mnist-sequence), received none'],
      [['train', 'digit-circle', 'latex-ocr'], 'expected exactly one domain (digit-circle, latex-ocr, audio-mnist-sequence), received "digit-circle" "latex-ocr"'],
      [['eval'], 'expected exactly one run folder, received none'],
      [['report', 'a', 'b'], 'expected exactly one run folder, received "a" "b"'],
      [['retrain', '--density', '1e-4'], 'expected exactly one run folder, received none'],
    ];
    for (const [args, message] of named) {
      const io = capture();
      expect(await main(args, io), args.join(' ')).toBe(2);
      expect(io.err).toContain(message);
    }
  });

  it('lists the commands in order', async () => {
    const io = capture();
    await main(['--help'], io);
    const names = [...io.out.matchAll(/^ {2}(\w+) /gm)].map((m) => m[1]);
    expect(names).toEqual(['bench', 'compare', 'demo', 'eval', 'metrics', 'report', 'reproduce', 'retrain', 'sample', 'sweep', 'train']);
  });
});
