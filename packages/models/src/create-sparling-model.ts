/**
 * Builds a model from a domain and a preset name.
 *
 * @module
 */
import type { Domain } from '@sparling/domains';

import { type PresetName, presets } from './presets.js';
import { SparlingModel, type SparlingModelOverrides, withOverrides } from './sparling-model.js';
import { invalid } from './internal/errors.js';

/**
 * `new SparlingModel(withOverrides(presets[preset](domain).model, overrides), { seed })`.
 *
 * @example
 * const model = createSparlingModel(domain, 'cpu', { bottleneck: { kind: 'l1', lambda: 1 } }, { seed: 3 });
 */
export function createSparlingModel(
  domain: Domain,
  preset: PresetName,
  overrides: SparlingModelOverrides = {},
  options: { seed?: number } = {},
): SparlingModel {
  if (!(preset in presets)) invalid('createSparlingModel: argument "preset"', preset, `one of ${Object.keys(presets).join(', ')}`);
  return new SparlingModel(withOverrides(presets[preset](domain).model, overrides), options);
}
