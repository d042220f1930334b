/**
 * A `model.fit` callback that drives a {@link DensityAnnealer} (the training
 * loop of spec §2.3).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs';

import type { DensityAnnealer, DensityAnnealerUpdate } from './annealer.js';
import { checkFinite, invalid } from './internal/errors.js';

/**
 * Anything whose sparsity the annealer sets, e.g. a {@link SpatialSparsity} layer.
 * @example
 * const holder: SparsityHolder = bottleneck.sparsityLayer!; // a SpatialSparsity
 */
export interface SparsityHolder {
  sparsity: number;
}

/**
 * Passed to {@link AnnealerCallbackOptions.onValidation}.
 * @example
 * onValidation: (e) => console.log(e.samples, e.accuracy, e.previousDensity, '->', e.density)
 */
export interface AnnealerValidationEvent extends DensityAnnealerUpdate {
  /** Training samples seen when validating. */
  samples: number;
  /** The accuracy `validate` returned. */
  accuracy: number;
  /** Density before this validation. */
  previousDensity: number;
}

/**
 * Options of {@link annealerCallback}.
 * @example
 * const options: AnnealerCallbackOptions = { annealer, every: 20_000, layers: [layer], validate };
 */
export interface AnnealerCallbackOptions {
  /** The schedule to drive. */
  annealer: DensityAnnealer;
  /**
   * Returns the validation accuracy (exact match in the paper). Called every
   * `every` samples; run the model in inference mode inside it (`predict` does).
   */
  validate: () => number | Promise<number>;
  /** Validation period M in samples (20,000 in the reference runs). */
  every: number;
  /** Sparsity layers to keep at the annealer's density (their `sparsity` is assigned). */
  layers?: readonly SparsityHolder[];
  /** Called with the new density and sparsity whenever the annealer reduces it. */
  onDensity?: (density: number, sparsity: number) => void;
  /**
   * Called after every validation, *before* a reduced density is applied to
   * `layers`: saving the model here snapshots the weights trained at the old
   * density (the reference's "model at density d", spec §2.3).
   */
  onValidation?: (event: AnnealerValidationEvent) => void | Promise<void>;
  /** Stop training once the density falls below this (the reference's `done_at_density`). */
  stopBelowDensity?: number;
  /** Samples per batch when the fit loop does not report `logs.size`. */
  batchSize?: number;
  /** Samples already seen before this fit (when resuming). Default 0. */
  initialSamples?: number;
}

/**
 * The callback class returned by {@link annealerCallback}.
 * @example
 * const cb = annealerCallback({ annealer, every: 20_000, layers: [layer], validate });
 * cb.syncLayers(); // start the layers at the annealer's density
 * await model.fit(xs, ys, { batchSize: 10, callbacks: [cb] });
 * cb.samplesSeen; // samples counted so far
 */
export class AnnealerCallback extends tf.Callback {
  private readonly options: AnnealerCallbackOptions;
  private samples: number;
  private lastValidation: number;

  /** @internal Use {@link annealerCallback}. */
  constructor(options: AnnealerCallbackOptions) {
    super();
    const where = (name: string) => `annealerCallback: option "${name}"`;
    if (typeof options !== 'object' || options === null) {
      invalid('annealerCallback: argument "options"', options, 'an options object');
    }
    if (typeof options.annealer?.update !== 'function') {
      invalid(where('annealer'), options.annealer, 'a DensityAnnealer');
    }
    if (typeof options.validate !== 'function') {
      invalid(where('validate'), options.validate, 'a function returning the accuracy');
    }
    const every = checkFinite(where('every'), options.every);
    if (every <= 0) invalid(where('every'), every, 'a number of samples > 0');
    if (options.batchSize !== undefined) {
      const b = checkFinite(where('batchSize'), options.batchSize);
      if (b <= 0) invalid(where('batchSize'), b, 'a number > 0');
    }
    if (options.stopBelowDensity !== undefined) {
      checkFinite(where('stopBelowDensity'), options.stopBelowDensity);
    }
    this.options = options;
    this.samples = checkFinite(where('initialSamples'), options.initialSamples ?? 0);
    this.lastValidation = this.samples;
  }

  /** Training samples counted so far. */
  get samplesSeen(): number {
    return this.samples;
  }

  /**
   * Applies the annealer's current density to the layers (also done after
   * every reduction). Call it before training to start the layers at the
   * annealer's density.
   */
  syncLayers(): void {
    for (const layer of this.options.layers ?? []) layer.sparsity = this.options.annealer.sparsity;
  }

  /** @internal */
  override async onBatchEnd(_batch: number, logs?: Parameters<tf.Callback['onBatchEnd']>[1]): Promise<void> {
    const size = logs?.['size'] ?? this.options.batchSize;
    if (typeof size !== 'number' || !(size > 0)) {
      throw new TypeError(
        `annealerCallback: the fit loop reported no batch size (logs.size = ${String(size)}); ` +
          `pass the "batchSize" option.`,
      );
    }
    this.samples += size;
    if (this.samples - this.lastValidation < this.options.every) return;
    this.lastValidation = this.samples;
    const { annealer } = this.options;
    const previousDensity = annealer.density;
    const accuracy = await this.options.validate();
    const update = annealer.update(this.samples, accuracy);
    await this.options.onValidation?.({
      ...update,
      samples: this.samples,
      accuracy,
      previousDensity,
    });
    if (update.reduced) {
      this.syncLayers();
      this.options.onDensity?.(update.density, update.sparsity);
    }
    const stopBelow = this.options.stopBelowDensity;
    if (stopBelow !== undefined && update.density < stopBelow) this.model.stopTraining = true;
  }
}

/**
 * A `model.fit` callback that counts training samples (from `logs.size`),
 * calls `validate()` every `every` samples, feeds the accuracy to the
 * annealer and, when it reduces the density, sets it on `layers` (by
 * assigning the exact `sparsity`) and calls `onDensity`.
 *
 * @example
 * const annealer = new DensityAnnealer();
 * await model.fit(xs, ys, {
 *   batchSize: 10,
 *   callbacks: [annealerCallback({
 *     annealer, every: 20_000, layers: [sparsityLayer],
 *     validate: async () => exactMatchAccuracy(model, validationSet),
 *   })],
 * });
 */
export function annealerCallback(options: AnnealerCallbackOptions): AnnealerCallback {
  return new AnnealerCallback(options);
}
