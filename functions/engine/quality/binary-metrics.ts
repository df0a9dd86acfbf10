import { InputError } from '../errors.ts';
import { ExactSum } from '../profile/exact-sum.ts';
import {
  divideOrZero,
  requireBinaryLabel,
  requireFinite,
  requireProbability,
  requireSame,
  requireSameLength,
} from './input-checks.ts';
import { rankingMetrics } from './ranking-metrics.ts';
import { type RankMemory, ScoreRanks } from './score-ranks.ts';

/** [[tn, fp], [fn, tp]]: rows are the true label 0/1, columns the predicted label, as sklearn. */
export type BinaryConfusionMatrix = [[number, number], [number, number]];

/**
 * Binary classification metrics with scikit-learn's definitions (checked against sklearn 1.2).
 *
 * - precision, recall, f1, tpr, fpr: 0 when their denominator is 0 (sklearn's zero_division="warn").
 * - aucRoc: NaN when only one class is present (sklearn raises).
 * - prAuc: average_precision_score; 0 when there is no positive.
 * - logLoss: log_loss with labels [0, 1], scores clipped to [eps, 1 - eps], eps = 2^-52 (sklearn >= 1.2's
 *   "auto" for float64), then renormalised as sklearn does.
 * - brier: brier_score_loss, the mean of (label - score)^2.
 * With no records every rate is NaN and the matrix is all zeros.
 */
export interface BinaryMetrics {
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly aucRoc: number;
  readonly prAuc: number;
  readonly logLoss: number;
  readonly brier: number;
  readonly tpr: number;
  readonly fpr: number;
  readonly confusionMatrix: BinaryConfusionMatrix;
}

export interface BinaryAccumulatorJson {
  threshold: number;
  tn: number;
  fp: number;
  fn: number;
  tp: number;
  logLoss: number[];
  brier: number[];
  scores: number[];
  labels: number[];
}

/** float64 machine epsilon: sklearn's log_loss eps="auto" */
const EPS = 2 ** -52;

/** one record's log loss exactly as sklearn 1.2 computes it: clip, append 1 - p, renormalise, -log */
const sampleLogLoss = (score: number, label: 0 | 1): number => {
  const p = Math.min(Math.max(score, EPS), 1 - EPS);
  const q = 1 - p;
  const total = q + p;
  return -Math.log((label === 1 ? p : q) / total);
};

/**
 * Streaming accumulator for binary metrics at a fixed threshold (score >= threshold predicts 1).
 *
 * Confusion counts, log-loss and Brier sums are O(1) memory and merge exactly (the sums are exact, so any
 * split of the data merges to the same figures). AUC and average precision need the scores in rank
 * order, so every score is kept (`ScoreRanks`): 8 bytes a record in memory. Given a `RankMemory`, scores
 * past its budget go to a temporary file and the curves are walked from there, with identical figures.
 */
export class BinaryAccumulator {
  private tn = 0;
  private fp = 0;
  private fn = 0;
  private tp = 0;
  private readonly logLossSum = new ExactSum();
  private readonly brierSum = new ExactSum();
  private readonly ranks: ScoreRanks;

  /**
   * @param threshold scores at or above it predict the positive class 1 (default 0.5)
   * @param memory a budget of scores held in memory, shared with other accumulators; @default - no limit
   */
  constructor(
    readonly threshold = 0.5,
    memory?: RankMemory,
  ) {
    requireFinite(threshold, 'threshold');
    this.ranks = new ScoreRanks(memory);
  }

  /** number of records added */
  get count(): number {
    return this.ranks.count;
  }

  /** whether its scores went to a temporary file (see RankMemory) */
  get spilled(): boolean {
    return this.ranks.spilled;
  }

  /** Adds one prediction: `score` a probability of class 1, `label` the true class (0/1 or boolean). */
  add(score: number, label: number | boolean): void {
    requireProbability(score, 'score');
    const y = requireBinaryLabel(label, 'label');
    const predicted = score >= this.threshold ? 1 : 0;
    if (y === 1) {
      if (predicted === 1) this.tp += 1;
      else this.fn += 1;
    } else if (predicted === 1) this.fp += 1;
    else this.tn += 1;
    this.logLossSum.add(sampleLogLoss(score, y));
    this.brierSum.add((y - score) * (y - score));
    this.ranks.add(score, y);
  }

  /** Adds parallel arrays of scores and labels. */
  addAll(scores: readonly number[], labels: readonly (number | boolean)[]): this {
    requireSameLength(scores, labels, 'labels');
    for (let i = 0; i < scores.length; i++) this.add(scores[i]!, labels[i]!);
    return this;
  }

  /** Folds another accumulator (same threshold) into this one. */
  merge(other: BinaryAccumulator): this {
    requireSame(this.threshold, other.threshold, 'threshold');
    this.tn += other.tn;
    this.fp += other.fp;
    this.fn += other.fn;
    this.tp += other.tp;
    this.logLossSum.addAll(other.logLossSum);
    this.brierSum.addAll(other.brierSum);
    this.ranks.merge(other.ranks);
    return this;
  }

  /** The metrics of everything added so far. */
  metrics(): BinaryMetrics {
    const { tn, fp, fn, tp } = this;
    const n = tn + fp + fn + tp;
    const confusionMatrix: BinaryConfusionMatrix = [
      [tn, fp],
      [fn, tp],
    ];
    if (n === 0) {
      const nan = Number.NaN;
      return {
        accuracy: nan,
        precision: nan,
        recall: nan,
        f1: nan,
        aucRoc: nan,
        prAuc: nan,
        logLoss: nan,
        brier: nan,
        tpr: nan,
        fpr: nan,
        confusionMatrix,
      };
    }
    const precision = divideOrZero(tp, tp + fp);
    const recall = divideOrZero(tp, tp + fn);
    const { aucRoc, prAuc } = rankingMetrics(this.ranks);
    return {
      accuracy: (tp + tn) / n,
      precision,
      recall,
      // sklearn's f-score from the rounded precision and recall, 0 when both are 0
      f1: divideOrZero(2 * precision * recall, precision + recall),
      aucRoc,
      prAuc,
      logLoss: this.logLossSum.value() / n,
      brier: this.brierSum.value() / n,
      tpr: recall,
      fpr: divideOrZero(fp, fp + tn),
      confusionMatrix,
    };
  }

  /** Deletes the temporary file of spilled scores, if any. */
  dispose(): void {
    this.ranks.dispose();
  }

  /** Plain JSON state, so a partial window can be stored and merged later (scores in no particular order). */
  toJSON(): BinaryAccumulatorJson {
    const scores: number[] = [];
    const labels: number[] = [];
    this.ranks.forEachScore((score, label) => {
      scores.push(score);
      labels.push(label);
    });
    return {
      threshold: this.threshold,
      tn: this.tn,
      fp: this.fp,
      fn: this.fn,
      tp: this.tp,
      logLoss: this.logLossSum.toJSON(),
      brier: this.brierSum.toJSON(),
      scores,
      labels,
    };
  }

  /** Rebuilds an accumulator from `toJSON()` output. */
  static fromJSON(json: BinaryAccumulatorJson): BinaryAccumulator {
    requireSameLength(json.scores, json.labels, 'labels');
    if (json.tn + json.fp + json.fn + json.tp !== json.scores.length) {
      throw new InputError(
        { file: '<quality input>', field: 'scores' },
        'confusion counts do not add up to the stored records',
      );
    }
    const acc = new BinaryAccumulator(json.threshold);
    acc.tn = json.tn;
    acc.fp = json.fp;
    acc.fn = json.fn;
    acc.tp = json.tp;
    acc.logLossSum.addAll(ExactSum.fromJSON(json.logLoss));
    acc.brierSum.addAll(ExactSum.fromJSON(json.brier));
    for (let i = 0; i < json.scores.length; i++) {
      acc.ranks.add(
        requireProbability(json.scores[i]!, 'scores'),
        requireBinaryLabel(json.labels[i]!, 'labels'),
      );
    }
    return acc;
  }
}

/** Binary metrics of parallel score and label arrays in one call. */
export const binaryMetrics = (
  scores: readonly number[],
  labels: readonly (number | boolean)[],
  threshold = 0.5,
): BinaryMetrics => new BinaryAccumulator(threshold).addAll(scores, labels).metrics();
