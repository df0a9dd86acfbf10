import { ExactSum } from '../profile/exact-sum.ts';
import type { BinaryConfusionMatrix } from './binary-metrics.ts';
import type { Calibrator } from './calibration.ts';
import {
  requireBinaryLabel,
  requireFinite,
  requireProbability,
  requireSame,
  requireSameLength,
} from './input-checks.ts';

/** An estimated metric and its standard error. */
export interface EstimatedMetric {
  readonly value: number;
  readonly standardError: number;
}

export interface PerformanceEstimate {
  readonly count: number;
  /** [[E[TN], E[FP]], [E[FN], E[TP]]], laid out as `BinaryMetrics.confusionMatrix` */
  readonly expectedConfusionMatrix: BinaryConfusionMatrix;
  readonly accuracy: EstimatedMetric;
  readonly precision: EstimatedMetric;
  readonly recall: EstimatedMetric;
  readonly f1: EstimatedMetric;
}

export interface PerformanceEstimatorJson {
  threshold: number;
  count: number;
  predictedPositive: number;
  /** sums of p (E[TP]) and of p(1 - p) over predicted positives, then the same over predicted negatives */
  positiveP: number[];
  positiveVariance: number[];
  negativeP: number[];
  negativeVariance: number[];
}

/**
 * Label-free performance estimate for a binary classifier, in the spirit of NannyML's CBPE
 * (confidence-based performance estimation).
 *
 * If p_i is a calibrated probability that record i is positive, and labels are independent given the
 * scores, the realised true positives among the m predicted positives follow a Poisson-binomial
 * distribution with mean A = sum p_i and variance V+ = sum p_i (1 - p_i); the false negatives among the
 * predicted negatives likewise (mean B, variance V-). From these:
 * - accuracy = (A + (n - m - B)) / n, standard error sqrt(V+ + V-) / n: exact, accuracy is linear in them;
 * - precision = A / m, standard error sqrt(V+) / m: exact, m is known;
 * - recall = A / (A + B) and f1 = 2A / (A + m + B): ratio estimates, standard errors by the delta method,
 *   sqrt(B^2 V+ + A^2 V-) / (A + B)^2 and 2 sqrt((m + B)^2 V+ + A^2 V-) / (A + m + B)^2.
 * A metric whose denominator is 0 is estimated as 0 with standard error 0, as sklearn's zero_division.
 * The error covers label noise only. It assumes the scores are calibrated on the monitored data, i.e. that
 * P(label | score) has not changed since calibration: concept drift breaks the estimate silently, which is
 * why labelled checks (and the drift detectors) remain necessary.
 * O(1) memory; merges exactly.
 */
export class PerformanceEstimator {
  private n = 0;
  private m = 0;
  private readonly positiveP = new ExactSum();
  private readonly positiveVariance = new ExactSum();
  private readonly negativeP = new ExactSum();
  private readonly negativeVariance = new ExactSum();

  /** @param threshold a probability at or above it predicts positive, when no prediction is given */
  constructor(readonly threshold = 0.5) {
    requireFinite(threshold, 'threshold');
  }

  get count(): number {
    return this.n;
  }

  /**
   * Adds one record: `probability` its calibrated probability of being positive, `predicted` the model's
   * decision (default: probability >= threshold). Pass the decision when it came from the raw score.
   */
  add(probability: number, predicted?: number | boolean): void {
    requireProbability(probability, 'probability');
    const positive =
      predicted === undefined
        ? probability >= this.threshold
        : requireBinaryLabel(predicted, 'predicted') === 1;
    const variance = probability * (1 - probability);
    this.n += 1;
    if (positive) {
      this.m += 1;
      this.positiveP.add(probability);
      this.positiveVariance.add(variance);
    } else {
      this.negativeP.add(probability);
      this.negativeVariance.add(variance);
    }
  }

  /** Folds another estimator (same threshold) into this one. */
  merge(other: PerformanceEstimator): this {
    requireSame(this.threshold, other.threshold, 'threshold');
    this.n += other.n;
    this.m += other.m;
    this.positiveP.addAll(other.positiveP);
    this.positiveVariance.addAll(other.positiveVariance);
    this.negativeP.addAll(other.negativeP);
    this.negativeVariance.addAll(other.negativeVariance);
    return this;
  }

  /** The estimate for everything added so far; NaN values when nothing was added. */
  estimate(): PerformanceEstimate {
    const { n, m } = this;
    const a = this.positiveP.value();
    const b = this.negativeP.value();
    const vPos = this.positiveVariance.value();
    const vNeg = this.negativeVariance.value();
    const expectedConfusionMatrix: BinaryConfusionMatrix = [
      [n - m - b, m - a],
      [b, a],
    ];
    if (n === 0) {
      const none = { value: Number.NaN, standardError: Number.NaN };
      return { count: 0, expectedConfusionMatrix, accuracy: none, precision: none, recall: none, f1: none };
    }
    const zero = { value: 0, standardError: 0 };
    const recallDen = a + b;
    const f1Den = a + m + b;
    return {
      count: n,
      expectedConfusionMatrix,
      accuracy: { value: (a + (n - m - b)) / n, standardError: Math.sqrt(vPos + vNeg) / n },
      precision: m === 0 ? zero : { value: a / m, standardError: Math.sqrt(vPos) / m },
      recall:
        recallDen === 0
          ? zero
          : {
              value: a / recallDen,
              standardError: Math.sqrt(b * b * vPos + a * a * vNeg) / (recallDen * recallDen),
            },
      f1:
        f1Den === 0
          ? zero
          : {
              value: (2 * a) / f1Den,
              standardError: (2 * Math.sqrt((m + b) * (m + b) * vPos + a * a * vNeg)) / (f1Den * f1Den),
            },
    };
  }

  toJSON(): PerformanceEstimatorJson {
    return {
      threshold: this.threshold,
      count: this.n,
      predictedPositive: this.m,
      positiveP: this.positiveP.toJSON(),
      positiveVariance: this.positiveVariance.toJSON(),
      negativeP: this.negativeP.toJSON(),
      negativeVariance: this.negativeVariance.toJSON(),
    };
  }

  /** Restores an estimator from `toJSON()` output. */
  static fromJSON(json: PerformanceEstimatorJson): PerformanceEstimator {
    const e = new PerformanceEstimator(json.threshold);
    e.n = json.count;
    e.m = json.predictedPositive;
    e.positiveP.addAll(ExactSum.fromJSON(json.positiveP));
    e.positiveVariance.addAll(ExactSum.fromJSON(json.positiveVariance));
    e.negativeP.addAll(ExactSum.fromJSON(json.negativeP));
    e.negativeVariance.addAll(ExactSum.fromJSON(json.negativeVariance));
    return e;
  }
}

export interface EstimateOptions {
  /** the model's decision threshold on its raw score @default 0.5 */
  readonly threshold?: number;
  /** fitted on a labelled reference set; without it the scores are taken as calibrated already */
  readonly calibrator?: Calibrator;
}

/**
 * Estimates accuracy, precision, recall and F1 of a window of unlabelled scores. The model's decisions
 * are its raw scores against `threshold`; the expectations use the calibrated probabilities.
 */
export const estimateBinaryPerformance = (
  scores: readonly number[],
  options: EstimateOptions = {},
): PerformanceEstimate => {
  const threshold = options.threshold ?? 0.5;
  const estimator = new PerformanceEstimator(threshold);
  for (const score of scores) {
    requireFinite(score, 'score');
    const p = options.calibrator === undefined ? score : options.calibrator.calibrate(score);
    estimator.add(p, score >= threshold ? 1 : 0);
  }
  return estimator.estimate();
};

/** Parallel arrays of probabilities and decisions, for callers that hold both already. */
export const estimateFromProbabilities = (
  probabilities: readonly number[],
  predicted: readonly (number | boolean)[],
): PerformanceEstimate => {
  requireSameLength(probabilities, predicted, 'predicted');
  const estimator = new PerformanceEstimator();
  for (let i = 0; i < probabilities.length; i++) estimator.add(probabilities[i]!, predicted[i]);
  return estimator.estimate();
};
