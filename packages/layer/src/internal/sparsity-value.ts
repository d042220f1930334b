import { checkInRange, invalid } from './errors.js';

/**
 * A target sparsity stored the way the reference stores it (`sparsity`, a
 * double), plus the density exactly as the user gave it, if they did.
 *
 * All arithmetic uses `sparsity` and `1 − sparsity`, reproducing the
 * reference's doubles; the `density` getter returns the user's value when one
 * was set (so `density = 0.2` reads back 0.2, not 1 − 0.8 = 0.19999999999999996)
 * and `1 − sparsity` otherwise.
 */
export class SparsityValue {
  private sparsity_: number;
  private densityAsSet: number | null;

  constructor(where: string, density: number | undefined, sparsity: number | undefined) {
    if (sparsity === undefined) {
      const d = checkDensity(`${where}: option "density"`, density ?? 0.5);
      this.sparsity_ = 1 - d;
      this.densityAsSet = d;
      return;
    }
    this.sparsity_ = checkSparsity(`${where}: option "sparsity"`, sparsity);
    this.densityAsSet = null;
    if (density !== undefined) {
      const d = checkDensity(`${where}: option "density"`, density);
      if (Math.abs(d - (1 - sparsity)) > 1e-12) {
        invalid(
          `${where}: option "density"`,
          d,
          `1 - sparsity (${1 - sparsity}) when both "density" and "sparsity" are given`,
        );
      }
      if (1 - d === sparsity) this.densityAsSet = d;
    }
  }

  get sparsity(): number {
    return this.sparsity_;
  }

  get density(): number {
    return this.densityAsSet ?? 1 - this.sparsity_;
  }

  /** The density used in arithmetic (`1 − sparsity`, as the reference computes it). */
  get computedDensity(): number {
    return 1 - this.sparsity_;
  }

  setDensity(where: string, value: unknown): void {
    const d = checkDensity(where, value);
    this.sparsity_ = 1 - d;
    this.densityAsSet = d;
  }

  setSparsity(where: string, value: unknown): void {
    this.sparsity_ = checkSparsity(where, value);
    this.densityAsSet = null;
  }

  /** The reference's reduction: `s ← 1 − (1 − s)·multiplier`. */
  multiplyDensity(multiplier: number): void {
    this.sparsity_ = 1 - (1 - this.sparsity_) * multiplier;
    this.densityAsSet = null;
  }
}

export function checkDensity(where: string, value: unknown): number {
  return checkInRange(where, value, 0, 1, false);
}

export function checkSparsity(where: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    invalid(where, value, 'a number with 0 <= sparsity < 1');
  }
  return value;
}
