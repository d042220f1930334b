import { createHash } from 'node:crypto';
import { fail } from '@sparling/errors';

function checkInteger(value: number | bigint, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail('computeSeed', what, 'a safe integer or a bigint', value);
  return BigInt(value);
}

/**
 * The reference's per-item seed (`latex_decompiler/utils.py::compute_seed`):
 * `int(sha256(str((seed, index)))) mod 2^32`, where `str((1, 0))` is the Python tuple text
 * `"(1, 0)"`. Any integer seed works, negative ones included (validation uses −1, test −2).
 * With `looping`, `index` is first reduced modulo it (Python's `%`, never negative). Feed the
 * result to `new RandomState(...)` to draw item `index` of dataset `seed`.
 *
 * @param looping - a positive integer, or omitted for none (the paper's runs use none).
 * @example
 * ```ts
 * computeSeed(1, 0); // 3993328244
 * computeSeed(-2, 0); // 4270960298
 * computeSeed(1, 10, 10) === computeSeed(1, 0); // true
 * ```
 */
export function computeSeed(seed: number | bigint, index: number | bigint, looping?: number | bigint): number {
  const s = checkInteger(seed, 'seed');
  let i = checkInteger(index, 'index');
  if (looping !== undefined) {
    const l = checkInteger(looping, 'looping');
    if (l <= 0n) fail('computeSeed', 'looping', 'a positive integer', looping);
    i = ((i % l) + l) % l;
  }
  const digest = createHash('sha256').update(`(${s}, ${i})`, 'ascii').digest();
  return digest.readUInt32BE(digest.length - 4);
}
