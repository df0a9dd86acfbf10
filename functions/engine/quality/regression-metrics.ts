import { ExactSum } from '../profile/exact-sum.ts';
import { requireFinite, requireSameLength } from './input-checks.ts';

/**
 * Regression metrics with scikit-learn's definitions (checked against sklearn 1.2).
 *
 * - r2 is the textbook `r2_score(y_true, y_pred)`: 1 - SS_res / SS_tot(y_true). When y_true is constant,
 *   1 for a perfect fit and 0 otherwise (sklearn's force_finite); NaN with fewer than two records.
 *   Model Monitor reports `r2_score(y_pred, y_true)` instead: see `modelMonitorR2`.
 * - mape is `mean_absolute_percentage_error`: mean of |y - y_hat| / max(|y|, eps), eps = 2^-52, so a zero
 *   truth gives a huge but finite term, exactly as sklearn.
 * With no records every value is NaN.
 */
export interface RegressionMetrics {
  readonly mae: number;
  readonly mse: number;
  readonly rmse: number;
  readonly r2: number;
  readonly mape: number;
}

export interface RegressionAccumulatorJson {
  count: number;
  absError: number[];
  squaredError: number[];
  percentError: number[];
  actualMean: number;
  actualM2: number;
  predictedMean: number;
  predictedM2: number;
}

const EPS = 2 ** -52;

/** Welford's running mean and sum of squared deviations, merged with Chan et al.'s formula. */
class Spread {
  mean = 0;
  m2 = 0;

  add(x: number, n: number): void {
    const delta = x - this.mean;
    this.mean += delta / n;
    this.m2 += delta * (x - this.mean);
  }

  merge(other: Spread, n: number, otherN: number): void {
    const total = n + otherN;
    if (otherN === 0) return;
    const delta = other.mean - this.mean;
    this.m2 += other.m2 + (delta * delta * n * otherN) / total;
    this.mean += (delta * otherN) / total;
  }
}

/** 1 - ssRes / ssTot with sklearn's rules for a constant target and for n < 2 */
const rSquared = (ssRes: number, ssTot: number, n: number): number => {
  if (n < 2) return Number.NaN;
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
};

/**
 * Streaming accumulator for regression metrics: O(1) memory. The error sums are exact, so they merge to
 * the one-pass figures exactly; the spread of the truth (for r2) merges to about 1e-15 relative.
 */
export class RegressionAccumulator {
  private n = 0;
  private readonly absError = new ExactSum();
  private readonly squaredError = new ExactSum();
  private readonly percentError = new ExactSum();
  private readonly actual = new Spread();
  private readonly predicted = new Spread();

  /** number of records added */
  get count(): number {
    return this.n;
  }

  /** Adds one (truth, prediction) pair. */
  add(actual: number, predicted: number): void {
    requireFinite(actual, 'actual');
    requireFinite(predicted, 'predicted');
    const error = actual - predicted;
    const abs = Math.abs(error);
    this.n += 1;
    this.absError.add(abs);
    this.squaredError.add(error * error);
    this.percentError.add(abs / Math.max(Math.abs(actual), EPS));
    this.actual.add(actual, this.n);
    this.predicted.add(predicted, this.n);
  }

  /** Adds parallel arrays of truths and predictions. */
  addAll(actual: readonly number[], predicted: readonly number[]): this {
    requireSameLength(actual, predicted, 'predicted');
    for (let i = 0; i < actual.length; i++) this.add(actual[i]!, predicted[i]!);
    return this;
  }

  /** Folds another accumulator into this one. */
  merge(other: RegressionAccumulator): this {
    this.absError.addAll(other.absError);
    this.squaredError.addAll(other.squaredError);
    this.percentError.addAll(other.percentError);
    this.actual.merge(other.actual, this.n, other.n);
    this.predicted.merge(other.predicted, this.n, other.n);
    this.n += other.n;
    return this;
  }

  /** The metrics of everything added so far. */
  metrics(): RegressionMetrics {
    const n = this.n;
    if (n === 0)
      return { mae: Number.NaN, mse: Number.NaN, rmse: Number.NaN, r2: Number.NaN, mape: Number.NaN };
    const ssRes = this.squaredError.value();
    const mse = ssRes / n;
    return {
      mae: this.absError.value() / n,
      mse,
      rmse: Math.sqrt(mse),
      r2: rSquared(ssRes, this.actual.m2, n),
      mape: this.percentError.value() / n,
    };
  }

  /**
   * r2 as SageMaker Model Monitor computes it: `r2_score(y_pred, y_true)`, the arguments swapped, so the
   * spread in the denominator is the predictions'. Only for comparing with a Model Monitor baseline;
   * report `metrics().r2`.
   */
  modelMonitorR2(): number {
    return rSquared(this.squaredError.value(), this.predicted.m2, this.n);
  }

  /** Plain JSON state, so a partial window can be stored and merged later. */
  toJSON(): RegressionAccumulatorJson {
    return {
      count: this.n,
      absError: this.absError.toJSON(),
      squaredError: this.squaredError.toJSON(),
      percentError: this.percentError.toJSON(),
      actualMean: this.actual.mean,
      actualM2: this.actual.m2,
      predictedMean: this.predicted.mean,
      predictedM2: this.predicted.m2,
    };
  }

  /** Rebuilds an accumulator from `toJSON()` output. */
  static fromJSON(json: RegressionAccumulatorJson): RegressionAccumulator {
    const acc = new RegressionAccumulator();
    acc.n = json.count;
    acc.absError.addAll(ExactSum.fromJSON(json.absError));
    acc.squaredError.addAll(ExactSum.fromJSON(json.squaredError));
    acc.percentError.addAll(ExactSum.fromJSON(json.percentError));
    acc.actual.mean = json.actualMean;
    acc.actual.m2 = json.actualM2;
    acc.predicted.mean = json.predictedMean;
    acc.predicted.m2 = json.predictedM2;
    return acc;
  }
}

/** Regression metrics of parallel truth and prediction arrays in one call. */
export const regressionMetrics = (
  actual: readonly number[],
  predicted: readonly number[],
): RegressionMetrics => new RegressionAccumulator().addAll(actual, predicted).metrics();
