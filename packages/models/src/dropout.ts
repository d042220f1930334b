/**
 * Explicitly seeded dropout. A resumed training run must draw the dropout masks an
 * uninterrupted run draws, so every training-mode dropout call gets its seed from a
 * {@link DropoutSeeds} stream created per forward pass: the masks are then a pure function of
 * (model seed, step, call order), without relying on any global random state.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

/** FNV-1a over the text, then a 32-bit avalanche: a well-mixed seed for {@link DropoutSeeds}. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A deterministic stream of 32-bit integer seeds (mulberry32) for the dropout calls of one
 * training-mode forward pass: the k-th {@link dropout} call of the pass gets the k-th seed, so
 * equal stream seeds and an equal call order give equal masks.
 *
 * @example
 * const seeds = new DropoutSeeds(hashSeed(`sparling-dropout:${seed}:${step}`));
 * encoder.apply(x, true, undefined, seeds);
 */
export class DropoutSeeds {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next seed, an integer in [0, 2^32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}

/**
 * Dropout at `rate` in training mode, the identity otherwise or at rate 0. With `seeds` the mask
 * comes from `seeds.next()`; without them (a building block used on its own) it comes from
 * `tf.dropout`'s own unseeded randomness, so such passes are not reproducible.
 *
 * @example
 * dropout(x, 0.1, true, seeds); // same stream seed and call order → same mask
 */
export function dropout(x: tf.Tensor, rate: number, training: boolean, seeds?: DropoutSeeds): tf.Tensor {
  if (!training || rate === 0) return x;
  return tf.dropout(x, rate, undefined, seeds?.next());
}
