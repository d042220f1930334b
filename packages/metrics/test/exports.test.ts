import { describe, expect, it } from 'vitest';
import * as metrics from '../src/index.js';

describe('public API', () => {
  it('exports exactly these runtime values (a change here is an API change)', () => {
    const manifest = Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, typeof v]));
    expect(manifest).toEqual({
      MotifEvaluator: 'function',
      MotifInputError: 'function',
      bernoulliEntropy: 'function',
      bootstrapMeanCI: 'function',
      categorize: 'function',
      channelNames: 'function',
      editDistance: 'function',
      endToEndError: 'function',
      entropyBound: 'function',
      evaluateMotifs: 'function',
      fneBySymbol: 'function',
      linearSumAssignment: 'function',
      motifDensity: 'function',
      normalizedEditDistance: 'function',
      parseMetricsInput: 'function',
      realignConfusion: 'function',
      renderConfusionPng: 'function',
      renderConfusionSvg: 'function',
      symbolChannels: 'function',
    });
  });

  it('names channels as the reference does (spec 12.8)', () => {
    expect(metrics.channelNames(3)).toEqual(['A', 'B', 'C']);
    expect(metrics.channelNames(32)).toHaveLength(32);
    expect(metrics.channelNames(32)[31]).toBe('#31');
    expect(metrics.channelNames(2, 'numbered')).toEqual(['#0', '#1']);
    expect(() => metrics.channelNames(27, 'letters')).toThrow("channelNames: count: expected at most 26 channels for style 'letters' (use 'numbered'), received 27");
  });
});
