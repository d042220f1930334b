import { describe, expect, it } from 'vitest';
import { evaluateMotifs, MotifInputError, parseMetricsInput } from '../src/index.js';
import { worked } from './helpers.js';

const good = {
  items: [
    { shape: [8, 8], channels: 3, activations: worked.map.activations, motifs: worked.motifs, id: 'extra keys are ignored' },
    { shape: [4, 4], channels: 3, activations: [], motifs: [] },
  ],
};

describe('parseMetricsInput', () => {
  it('turns the JSON format into items for evaluateMotifs', () => {
    const items = parseMetricsInput(JSON.parse(JSON.stringify(good)));
    expect(items[0]!.map).toEqual(worked.map);
    expect(evaluateMotifs(items).fne).toBe(0.25);
  });

  const bad = (mutate: (d: any) => void): unknown => {
    const d = JSON.parse(JSON.stringify(good));
    mutate(d);
    return d;
  };
  const cases: [string, unknown, string, string][] = [
    ['not an object', [], '(top level)', '(top level): expected an object { "items": [...] }, received an array of length 0'],
    ['no items', {}, 'items', 'items: expected an array of items, received nothing'],
    ['an item that is not an object', { items: [3] }, 'items[0]', 'items[0]: expected an object { shape, channels, activations, motifs }, received 3'],
    ['a missing shape', bad((d) => delete d.items[1].shape), 'items[1].shape', 'items[1].shape: expected a non-empty array of positive integers, received nothing'],
    ['an activation off the map', bad((d) => (d.items[0].activations[3].position[1] = 8)), 'items[0].activations[3].position[1]', 'items[0].activations[3].position[1]: expected an integer in [0, 8), received 8'],
    ['a fractional position', bad((d) => (d.items[0].activations[0].position[0] = 1.5)), 'items[0].activations[0].position[0]', 'expected an integer in [0, 8), received 1.5'],
    ['a string value', bad((d) => (d.items[0].activations[2].value = '0.7')), 'items[0].activations[2].value', 'received "0.7"'],
    ['a numeric symbol', bad((d) => (d.items[0].motifs[1].symbol = 2)), 'items[0].motifs[1].symbol', 'items[0].motifs[1].symbol: expected a string, received 2'],
    ['a footprint without an end', bad((d) => delete d.items[0].motifs[2].footprint.end), 'items[0].motifs[2].footprint.end', 'expected an array of 2 integers (one per spatial axis), received nothing'],
    ['a channel count that changes', bad((d) => (d.items[1].channels = 4)), 'items[1].channels', 'items[1].channels: expected 3 like items[0].channels, received 4'],
    ['missing motifs', bad((d) => delete d.items[1].motifs), 'items[1].motifs', 'items[1].motifs: expected an array of { symbol, footprint }, received nothing'],
  ];
  it.each(cases)('rejects %s with the JSON path', (_, data, path, message) => {
    let error: unknown;
    try {
      parseMetricsInput(data);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MotifInputError);
    expect((error as MotifInputError).path).toBe(path);
    expect((error as MotifInputError).message).toContain(message);
  });
});
