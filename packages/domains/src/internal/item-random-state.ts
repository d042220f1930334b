import { fail } from '@sparling/errors';
import { computeSeed, RandomState } from '@sparling/random';

/** The generator of item `index` of dataset `seed` (any safe integer; index ≥ 0), as every domain draws it. */
export function itemRandomState(where: string, seed: number, index: number): RandomState {
  if (!Number.isSafeInteger(seed)) fail(where, 'seed', 'a safe integer', seed);
  if (!Number.isSafeInteger(index) || index < 0) fail(where, 'index', 'a non-negative safe integer', index);
  return new RandomState(computeSeed(seed, index));
}

/** `RandomState(rngSeed)` for a domain's `sampleRaw`, numpy's seed range checked. */
export function rawRandomState(where: string, rngSeed: number): RandomState {
  if (!Number.isInteger(rngSeed) || rngSeed < 0 || rngSeed > 0xffffffff) fail(where, 'rngSeed', 'an integer in [0, 4294967295]', rngSeed);
  return new RandomState(rngSeed);
}
