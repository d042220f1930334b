/**
 * Adaptive sparsity annealing (paper Algorithm 1; reference
 * `LinearThresholdAdaptiveSUO`, spec §2.1 and §12.4).
 *
 * @module
 */
import { checkFinite, invalid } from './internal/errors.js';
import { SparsityValue } from './internal/sparsity-value.js';

/**
 * Options of {@link DensityAnnealer}. Defaults are the paper runs' (spec §2.2).
 * @example
 * const options: DensityAnnealerOptions = { targetDecreasePerSample: 0 }; // the "Non-Sparse" run
 */
export interface DensityAnnealerOptions {
  /** Initial accuracy target T₀. Default 1. */
  initialTarget?: number;
  /** Lower clamp of the target. Default 0. */
  minTarget?: number;
  /** Upper clamp of the target. Default 1. Must be >= `minTarget`. */
  maxTarget?: number;
  /** d_T: how much the target drops per training *sample*. Default 1e-7. May be negative. */
  targetDecreasePerSample?: number;
  /** Calls fewer than this many samples after the last processed one are ignored. Default 0. */
  minUpdateInterval?: number;
  /** δ_update: a successful check multiplies the density by this, `0 < m <= 1`. Default 0.75. */
  densityMultiplier?: number;
  /** Starting density, `0 < density <= 1`. Default 0.5. */
  density?: number;
  /** Exact alternative to `density` (`sparsity = 1 − density`), as the reference stores it. */
  sparsity?: number;
  /** Sample count of the (virtual) previous update, the reference's `initial_step`. Default 0. */
  initialSamples?: number;
}

/**
 * Result of {@link DensityAnnealer.update}.
 * @example
 * const { density, target, reduced } = annealer.update(20_000, 0.999);
 */
export interface DensityAnnealerUpdate {
  /** Density after this call. */
  density: number;
  /** Sparsity after this call (`1 − density`, the exact stored value). */
  sparsity: number;
  /** Accuracy target after this call (may exceed `maxTarget` through the ratchet). */
  target: number;
  /** Whether this call multiplied the density. */
  reduced: boolean;
  /** `false` when ignored because of `minUpdateInterval` (then nothing changed). */
  processed: boolean;
}

/**
 * JSON-serialisable state of a {@link DensityAnnealer} (options plus progress).
 * @example
 * const state: DensityAnnealerState = annealer.toJSON();
 */
export interface DensityAnnealerState {
  version: 1;
  initialTarget: number;
  minTarget: number;
  maxTarget: number;
  targetDecreasePerSample: number;
  minUpdateInterval: number;
  densityMultiplier: number;
  /** Current density (as reported by `density`). */
  density: number;
  /** Current exact sparsity. */
  sparsity: number;
  /** Current accuracy target T. */
  target: number;
  /** Sample count of the last processed update. */
  lastSamples: number;
}

/**
 * Adaptive density schedule: the accuracy target T decays linearly with the
 * number of training samples; whenever validation accuracy beats it, the
 * density is multiplied by `densityMultiplier` and T is raised to that
 * accuracy. Reproduces the reference's arithmetic exactly (double precision,
 * clamping before the comparison, ratchet after it, sparsity stored and
 * updated as `s ← 1 − (1 − s)·multiplier`).
 *
 * @example
 * const annealer = new DensityAnnealer(); // paper defaults
 * annealer.update(20_000, 0.999); // { density: 0.375, target: 0.999, reduced: true, ... }
 * annealer.update(40_000, 0.996); // { density: 0.375, target: 0.997, reduced: false, ... }
 */
export class DensityAnnealer {
  private readonly initialTarget: number;
  private readonly minTarget: number;
  private readonly maxTarget: number;
  private readonly targetDecreasePerSample: number;
  private readonly minUpdateInterval: number;
  private readonly densityMultiplier: number;
  private readonly value: SparsityValue;
  private target_: number;
  private lastSamples_: number;

  constructor(options: DensityAnnealerOptions = {}) {
    const where = (name: string) => `DensityAnnealer: option "${name}"`;
    this.initialTarget = checkFinite(where('initialTarget'), options.initialTarget ?? 1);
    this.minTarget = checkFinite(where('minTarget'), options.minTarget ?? 0);
    this.maxTarget = checkFinite(where('maxTarget'), options.maxTarget ?? 1);
    if (this.maxTarget < this.minTarget) {
      invalid(where('maxTarget'), this.maxTarget, `>= minTarget (${this.minTarget})`);
    }
    this.targetDecreasePerSample = checkFinite(
      where('targetDecreasePerSample'),
      options.targetDecreasePerSample ?? 1e-7,
    );
    const interval = checkFinite(where('minUpdateInterval'), options.minUpdateInterval ?? 0);
    if (interval < 0) invalid(where('minUpdateInterval'), interval, 'a finite number >= 0');
    this.minUpdateInterval = interval;
    const multiplier = options.densityMultiplier ?? 0.75;
    if (typeof multiplier !== 'number' || !(multiplier > 0 && multiplier <= 1)) {
      invalid(where('densityMultiplier'), multiplier, 'a number with 0 < value <= 1');
    }
    this.densityMultiplier = multiplier;
    this.value = new SparsityValue('DensityAnnealer', options.density, options.sparsity);
    const initialSamples = checkFinite(where('initialSamples'), options.initialSamples ?? 0);
    if (initialSamples < 0) invalid(where('initialSamples'), initialSamples, 'a finite number >= 0');
    this.lastSamples_ = initialSamples;
    this.target_ = this.initialTarget;
  }

  /** Current density: the `density` option until the first reduction, then `1 − sparsity`. */
  get density(): number {
    return this.value.density;
  }

  /** Current exact sparsity; assign it to `SpatialSparsity.sparsity` for bit-exact thresholds. */
  get sparsity(): number {
    return this.value.sparsity;
  }

  /** Current accuracy target T. */
  get target(): number {
    return this.target_;
  }

  /** Sample count of the last processed update. */
  get lastSamples(): number {
    return this.lastSamples_;
  }

  /**
   * Reports a validation accuracy measured after `samplesSeen` training
   * samples. If fewer than `minUpdateInterval` samples passed since the last
   * processed call nothing changes. Otherwise the target drops by
   * `targetDecreasePerSample` per sample since then, is clamped to
   * `[minTarget, maxTarget]`, the density is multiplied by `densityMultiplier`
   * if `accuracy > target` (strictly), and the target is raised to `accuracy`
   * if that is higher.
   *
   * @param samplesSeen Total training samples so far, >= the last processed count.
   * @param accuracy Validation accuracy (exact match in the paper), not NaN.
   * @example
   * const { density, reduced } = annealer.update(samples, await validate());
   * if (reduced) layer.sparsity = annealer.sparsity;
   */
  update(samplesSeen: number, accuracy: number): DensityAnnealerUpdate {
    if (typeof samplesSeen !== 'number' || !Number.isFinite(samplesSeen)) {
      invalid('DensityAnnealer.update: argument "samplesSeen"', samplesSeen, 'a finite number');
    }
    if (typeof accuracy !== 'number' || Number.isNaN(accuracy)) {
      invalid('DensityAnnealer.update: argument "accuracy"', accuracy, 'a number (not NaN)');
    }
    const elapsed = samplesSeen - this.lastSamples_;
    if (elapsed < 0) {
      invalid(
        'DensityAnnealer.update: argument "samplesSeen"',
        samplesSeen,
        `>= the last processed sample count (${this.lastSamples_})`,
      );
    }
    if (elapsed < this.minUpdateInterval) return this.result(false, false);
    this.lastSamples_ = samplesSeen;
    let target = this.target_ - this.targetDecreasePerSample * elapsed;
    if (this.minTarget > target) target = this.minTarget;
    if (this.maxTarget < target) target = this.maxTarget;
    const reduced = accuracy > target;
    if (reduced) this.value.multiplyDensity(this.densityMultiplier);
    if (accuracy > target) target = accuracy;
    this.target_ = target;
    return this.result(reduced, true);
  }

  /**
   * The complete state (options and progress) as a plain JSON-able object;
   * `JSON.stringify(annealer)` uses it.
   * @example
   * const saved = JSON.stringify(annealer);
   * const restored = DensityAnnealer.fromJSON(JSON.parse(saved));
   */
  toJSON(): DensityAnnealerState {
    return {
      version: 1,
      initialTarget: this.initialTarget,
      minTarget: this.minTarget,
      maxTarget: this.maxTarget,
      targetDecreasePerSample: this.targetDecreasePerSample,
      minUpdateInterval: this.minUpdateInterval,
      densityMultiplier: this.densityMultiplier,
      density: this.value.density,
      sparsity: this.value.sparsity,
      target: this.target_,
      lastSamples: this.lastSamples_,
    };
  }

  /**
   * Restores an annealer from {@link toJSON}'s output.
   * @example
   * const annealer = DensityAnnealer.fromJSON(JSON.parse(text));
   */
  static fromJSON(state: DensityAnnealerState): DensityAnnealer {
    if (typeof state !== 'object' || state === null || state.version !== 1) {
      invalid(
        'DensityAnnealer.fromJSON: argument "state"',
        state,
        'an object from DensityAnnealer.toJSON() with version 1',
      );
    }
    const annealer = new DensityAnnealer({
      initialTarget: state.initialTarget,
      minTarget: state.minTarget,
      maxTarget: state.maxTarget,
      targetDecreasePerSample: state.targetDecreasePerSample,
      minUpdateInterval: state.minUpdateInterval,
      densityMultiplier: state.densityMultiplier,
      density: state.density,
      sparsity: state.sparsity,
      initialSamples: state.lastSamples,
    });
    annealer.target_ = checkFinite('DensityAnnealer.fromJSON: field "target"', state.target);
    return annealer;
  }

  private result(reduced: boolean, processed: boolean): DensityAnnealerUpdate {
    return {
      density: this.density,
      sparsity: this.value.sparsity,
      target: this.target_,
      reduced,
      processed,
    };
  }
}
