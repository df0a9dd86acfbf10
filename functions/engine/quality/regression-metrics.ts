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
  /** exact sums (ExactSum partials) of the truths and of their squares, and of the predictions' */
  actualSum: number[];
  actualSquares: number[];
  predictedSum: number[];
  predictedSquares: number[];
}

const EPS = 2 ** -52;

/** Dekker's split: a = hi + lo, each half with at most 26 significant bits, so their products are exact */
const split = (a: number): [number, number] => {
  const c = 134217729 * a; // 2^27 + 1
  const hi = c - (c - a);
  return [hi, a - hi];
};

/** a * b = product + error exactly (Dekker's TwoProduct; no overflow or underflow assumed) */
const twoProduct = (a: number, b: number, out: ExactSum, sign: 1 | -1): void => {
  const p = a * b;
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  const error = ah * bh - p + ah * bl + al * bh + al * bl;
  out.add(sign * p);
  out.add(sign * error);
};

/**
 * The spread of a series, sum of (x - mean)^2, from two exact sums: of x and of x^2 (each square added as its
 * exact product and error). n * sum(x^2) - sum(x)^2 is then formed exactly and rounded once, so the spread is
 * the same, to the last bit, in whatever order or grouping the values were added and merged: a window joined
 * one hash partition at a time gives the figures of one pass over it.
 */
class Spread {
  readonly sum = new ExactSum();
  readonly squares = new ExactSum();

  add(x: number): void {
    this.sum.add(x);
    twoProduct(x, x, this.squares, 1);
  }

  merge(other: Spread): void {
    this.sum.addAll(other.sum);
    this.squares.addAll(other.squares);
  }

  m2(n: number): number {
    if (n === 0) return 0;
    const sums = this.sum.toJSON();
    const squares = this.squares.toJSON();
    // the last element is the sum of the non-finite values: any makes the spread non-finite
    if (sums.at(-1) !== 0 || squares.at(-1) !== 0) return Number.NaN;
    const scaled = new ExactSum();
    for (const q of squares.slice(0, -1)) twoProduct(q, n, scaled, 1);
    const partials = sums.slice(0, -1);
    for (const a of partials) for (const b of partials) twoProduct(a, b, scaled, -1);
    return Math.max(0, scaled.value()) / n;
  }
}

/** 1 - ssRes / ssTot with sklearn's rules for a constant target and for n < 2 */
const rSquared = (ssRes: number, ssTot: number, n: number): number => {
  if (n < 2) return Number.NaN;
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
};

/**
 * Streaming accumulator for regression metrics: O(1) memory. Every sum is exact (the spreads behind r2
 * too), so any order of records and any merge of parts give the one-pass figures to the last bit.
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
    this.actual.add(actual);
    this.predicted.add(predicted);
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
    this.actual.merge(other.actual);
    this.predicted.merge(other.predicted);
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
      r2: rSquared(ssRes, this.actual.m2(n), n),
      mape: this.percentError.value() / n,
    };
  }

  /**
   * r2 as SageMaker Model Monitor computes it: `r2_score(y_pred, y_true)`, the arguments swapped, so the
   * spread in the denominator is the predictions'. Only for comparing with a Model Monitor baseline;
   * report `metrics().r2`.
   */
  modelMonitorR2(): number {
    return rSquared(this.squaredError.value(), this.predicted.m2(this.n), this.n);
  }

  /** Plain JSON state, so a partial window can be stored and merged later. */
  toJSON(): RegressionAccumulatorJson {
    return {
      count: this.n,
      absError: this.absError.toJSON(),
      squaredError: this.squaredError.toJSON(),
      percentError: this.percentError.toJSON(),
      actualSum: this.actual.sum.toJSON(),
      actualSquares: this.actual.squares.toJSON(),
      predictedSum: this.predicted.sum.toJSON(),
      predictedSquares: this.predicted.squares.toJSON(),
    };
  }

  /** Rebuilds an accumulator from `toJSON()` output. */
  static fromJSON(json: RegressionAccumulatorJson): RegressionAccumulator {
    const acc = new RegressionAccumulator();
    acc.n = json.count;
    acc.absError.addAll(ExactSum.fromJSON(json.absError));
    acc.squaredError.addAll(ExactSum.fromJSON(json.squaredError));
    acc.percentError.addAll(ExactSum.fromJSON(json.percentError));
    acc.actual.sum.addAll(ExactSum.fromJSON(json.actualSum));
    acc.actual.squares.addAll(ExactSum.fromJSON(json.actualSquares));
    acc.predicted.sum.addAll(ExactSum.fromJSON(json.predictedSum));
    acc.predicted.squares.addAll(ExactSum.fromJSON(json.predictedSquares));
    return acc;
  }
}

/** Regression metrics of parallel truth and prediction arrays in one call. */
export const regressionMetrics = (
  actual: readonly number[],
  predicted: readonly number[],
): RegressionMetrics => new RegressionAccumulator().addAll(actual, predicted).metrics();
