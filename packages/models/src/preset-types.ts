/**
 * The shape of a training preset: what `presets.paper(domain)` / `presets.cpu(domain)` return.
 * The model half fills these; `train.ts` consumes `PresetTraining`.
 */
import type { SparlingModelConfig } from './contract.js';

/** Options of the adaptive density annealer (spec 2.1, `DensityAnnealer` in @sparling/layer). */
export interface PresetAnnealerOptions {
  /** T₀, the starting accuracy target (1 in the paper). */
  readonly initialTarget: number;
  /** Lower clamp of the target (0 in the paper). */
  readonly minTarget: number;
  /** Upper clamp of the target (1 in the paper). */
  readonly maxTarget: number;
  /** Linear decrease of the target per training *sample* (1e-7 in the paper). */
  readonly targetDecreasePerSample: number;
  /** δ_update: factor applied to the density after a successful validation (0.75). */
  readonly densityMultiplier: number;
  /**
   * The reference's `minimal_update_frequency` (0 in the paper, the default): validations fewer
   * than this many samples after the last one the annealer processed are ignored (no cut, no
   * decrease of the target), so the density is cut at most once per this many samples.
   */
  readonly minUpdateInterval?: number;
}

/** Training hyper-parameters of a preset (spec 2.2, 2.3, 6.5). */
export interface PresetTraining {
  /** Items per optimizer step (10 for DigitCircle in the paper). */
  readonly batchSize: number;
  /** Adam learning rate (1e-5 in the paper); PyTorch-default betas/epsilon, no schedule. */
  readonly learningRate: number;
  /** Validate (and maybe anneal) every this many training samples (20,000 in the paper). */
  readonly validateEvery: number;
  /** Validation items, taken from seed −1 starting at index 0 (10,000 in the paper). */
  readonly validationItems: number;
  /** Dataset seed of the validation items (−1 in the paper). */
  readonly validationSeed: number;
  /** Greedy decoding length used for validation accuracy, `</s>` included (30 in the paper). */
  readonly validationMaxLength: number;
  /** Sample budget: stop after this many training samples (6×10⁶ for DigitCircle). */
  readonly maxSamples: number;
  readonly annealer: PresetAnnealerOptions;
  /**
   * Stop once the density falls below this multiple of the domain's minimum density
   * (`domain.minimumDensity`); the paper's `done_at_density` is exactly 1× for DigitCircle.
   */
  readonly stopAtDensity: number;
  /**
   * Samples trained at the final density (default 0, the reference: stop at once). When a cut
   * would take the density below the stopping density, the density is kept instead and training
   * goes on for this many samples; each validation whose accuracy beats the annealer's target
   * (which follows as on a cut) replaces that density's snapshot, and the first validation this
   * many samples after the kept cut stops the run.
   */
  readonly settleSamples?: number;
}

/** A complete preset: the model configuration plus its training hyper-parameters. */
export interface Preset {
  readonly model: SparlingModelConfig;
  readonly training: PresetTraining;
}
