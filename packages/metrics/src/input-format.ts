import { fail } from './errors.js';
import { Categorizer } from './internal/categorizer.js';
import type { SparseMotifMap, TrueMotif } from './motif-map.js';

/**
 * One item of the `sparling metrics` JSON format.
 *
 * @example
 * ```ts
 * const item: MetricsInputItem = {
 *   map: { kind: 'sparse', shape: [8, 8], channels: 3, activations: [] },
 *   motifs: [{ symbol: '1', footprint: { start: [0, 0], end: [3, 3] } }],
 * };
 * ```
 */
export interface MetricsInputItem {
  readonly map: SparseMotifMap;
  readonly motifs: readonly TrueMotif[];
}

/**
 * Checks parsed JSON of the `sparling metrics` input format and converts it to items ready for
 * {@link evaluateMotifs}:
 *
 * ```json
 * { "items": [ { "shape": [8, 8], "channels": 3,
 *     "activations": [ { "channel": 0, "position": [1, 1], "value": 0.9 } ],
 *     "motifs": [ { "symbol": "1", "footprint": { "start": [0, 0], "end": [3, 3] } } ] } ] }
 * ```
 *
 * `shape` has one entry per spatial axis (length 1 for audio). Every item needs the same
 * `channels`. Keys not listed are ignored. Activations must lie inside the map; footprints are
 * clipped to it.
 *
 * @param data - the result of `JSON.parse`.
 * @throws {@link MotifInputError} whose `path` is the JSON path of the first problem, e.g.
 * `items[3].activations[0].position[1]: expected an integer in [0, 100), received 100`.
 * @example
 * ```ts
 * const items = parseMetricsInput(JSON.parse(text));
 * const metrics = evaluateMotifs(items);
 * ```
 */
export function parseMetricsInput(data: unknown): MetricsInputItem[] {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail('(top level)', 'an object { "items": [...] }', data);
  const items: unknown = (data as { items?: unknown }).items;
  if (!Array.isArray(items)) fail('items', 'an array of items', items);
  const checker = new Categorizer();
  let channels: number | undefined;
  return items.map((raw: unknown, i): MetricsInputItem => {
    const at = `items[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(at, 'an object { shape, channels, activations, motifs }', raw);
    const { shape, channels: c, activations, motifs } = raw as Record<string, unknown>;
    if (channels !== undefined && c !== channels) fail(`${at}.channels`, `${channels} like items[0].channels`, c);
    const map = { kind: 'sparse', shape, channels: c, activations } as SparseMotifMap;
    // The JSON paths of the map's fields are the item's own keys, so the map path is the item path.
    checker.run(map, motifs as TrueMotif[], at, `${at}.motifs`);
    channels = map.channels;
    return { map, motifs: motifs as TrueMotif[] };
  });
}
