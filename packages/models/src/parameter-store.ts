/**
 * Named, seeded model parameters: the variables of the building blocks and the weights
 * of the tfjs layers they use, under stable names for `getState` / `setState`.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import type { NamedArray } from './contract.js';
import { invalid } from './internal/errors.js';

/** How a parameter starts: uniform in [−bound, bound], normal with `std`, or a constant. */
export type Initializer =
  | { readonly kind: 'uniform'; readonly bound: number }
  | { readonly kind: 'normal'; readonly std: number }
  | { readonly kind: 'constant'; readonly value: number };

/** Uniform initialiser in [−bound, bound] (PyTorch's Linear/Conv/LSTM defaults are of this kind). */
export const uniform = (bound: number): Initializer => ({ kind: 'uniform', bound });
/** Normal initialiser with mean 0 (PyTorch's Embedding default is std 1). */
export const normal = (std: number): Initializer => ({ kind: 'normal', std });
/** Constant initialiser. */
export const constant = (value: number): Initializer => ({ kind: 'constant', value });

/** One stored parameter. */
export interface ParameterEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly trainable: boolean;
  /** The underlying variable (for layer weights, the variable the layer reads). */
  readonly variable: tf.Variable;
}

/**
 * A registry of named parameters. Each variable's initial value is drawn with a seed
 * derived from the store's seed and the parameter's name, so the same seed gives the same
 * weights, and adding a parameter never changes the others.
 *
 * @example
 * const store = new ParameterStore(1);
 * const w = store.variable('dense/kernel', [4, 2], uniform(0.5));
 * store.getState()[0].name; // 'dense/kernel'
 */
export class ParameterStore {
  readonly seed: number;
  private readonly entries = new Map<string, ParameterEntry>();

  constructor(seed = 0) {
    if (!Number.isFinite(seed)) invalid('ParameterStore: argument "seed"', seed, 'a finite number');
    this.seed = seed;
  }

  /** Creates and registers a variable; names must be unique within the store. */
  variable(name: string, shape: readonly number[], init: Initializer, trainable = true): tf.Variable {
    this.checkNew(name);
    const seed = nameSeed(this.seed, name);
    const initial = tf.tidy(() => {
      switch (init.kind) {
        case 'uniform':
          return tf.randomUniform([...shape], -init.bound, init.bound, 'float32', seed);
        case 'normal':
          return tf.randomNormal([...shape], 0, init.std, 'float32', seed);
        case 'constant':
          return tf.fill([...shape], init.value, 'float32');
      }
    });
    const variable = tf.variable(initial, trainable);
    initial.dispose();
    this.entries.set(name, { name, shape: [...shape], trainable, variable });
    return variable;
  }

  /**
   * Builds a tfjs layer for inputs with `channels` channels and registers its weights as
   * `<prefix>/<weight name>` (e.g. `g/unit0/bn1/running_mean`).
   */
  layer(prefix: string, layer: tf.layers.Layer, channels: number): void {
    if (!layer.built) layer.build([null, channels]);
    for (const weight of layer.weights) {
      const short = weight.originalName.split('/').pop() ?? weight.originalName;
      const name = `${prefix}/${short}`;
      this.checkNew(name);
      const variable = weight.read() as tf.Variable;
      this.entries.set(name, { name, shape: [...weight.shape] as number[], trainable: weight.trainable, variable });
    }
  }

  /** Every entry, in registration order. */
  list(): ParameterEntry[] {
    return [...this.entries.values()];
  }

  /** Trainable variables whose names satisfy `include`. */
  trainableVariables(include: (name: string) => boolean = () => true): tf.Variable[] {
    return this.list()
      .filter((e) => e.trainable && include(e.name))
      .map((e) => e.variable);
  }

  /**
   * Copies the parameters out, by name: every one, or with `trainable` only those whose flag
   * equals it (`false`: batch-norm running statistics and thresholds).
   */
  async getState(options: { trainable?: boolean } = {}): Promise<NamedArray[]> {
    const entries = options.trainable === undefined ? this.list() : this.list().filter((e) => e.trainable === options.trainable);
    // Every read is started before the first is awaited, so a GPU backend maps them together.
    const values = await Promise.all(entries.map((e) => e.variable.data() as Promise<Float32Array>));
    return entries.map((e, i) => ({ name: e.name, shape: [...e.shape], values: Float32Array.from(values[i] as Float32Array) }));
  }

  /**
   * Restores parameters. Every parameter of the store must be present with its shape, unless
   * `partial` (the missing ones keep their values); entries the store does not know throw
   * unless `ignoreUnknown`.
   */
  setState(state: readonly NamedArray[], options: { ignoreUnknown?: boolean; partial?: boolean } = {}): void {
    const byName = new Map<string, NamedArray>();
    for (const item of state) {
      if (!this.entries.has(item.name)) {
        if (options.ignoreUnknown === true) continue;
        invalid('setState: argument "state"', item.name, `only known parameter names (or { ignoreUnknown: true })`);
      }
      byName.set(item.name, item);
    }
    const missing = this.list().filter((e) => !byName.has(e.name)).map((e) => e.name);
    if (missing.length > 0 && options.partial !== true) invalid('setState: argument "state"', `${missing.length} missing names`, `an entry for ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}`);
    const given = this.list().filter((e) => byName.has(e.name));
    for (const entry of given) {
      const item = byName.get(entry.name) as NamedArray;
      const size = entry.shape.reduce((a, b) => a * b, 1);
      if (item.shape.length !== entry.shape.length || item.shape.some((d, i) => d !== entry.shape[i]) || item.values.length !== size) {
        invalid(`setState: shape of "${entry.name}"`, [...item.shape], `[${entry.shape.join(', ')}] with ${size} values`);
      }
    }
    for (const entry of given) {
      const item = byName.get(entry.name) as NamedArray;
      const value = tf.tensor(item.values, [...entry.shape], 'float32');
      entry.variable.assign(value);
      value.dispose();
    }
  }

  /** Disposes every variable, including the registered layers' weights. */
  dispose(): void {
    for (const entry of this.entries.values()) {
      if (!entry.variable.isDisposed) entry.variable.dispose();
    }
    this.entries.clear();
  }

  private checkNew(name: string): void {
    if (this.entries.has(name)) invalid('ParameterStore: parameter name', name, 'a name not used before');
  }
}

/** FNV-1a of `seed:name`, as a non-negative 31-bit integer seed. */
function nameSeed(seed: number, name: string): number {
  let hash = 0x811c9dc5;
  const text = `${seed}:${name}`;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 1) & 0x7fffffff;
}
