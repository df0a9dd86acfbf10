import { ScoreRanks } from './score-ranks.ts';

/**
 * Threshold-free binary metrics that need the scores in rank order: ROC AUC and average precision.
 *
 * Both follow scikit-learn's `_binary_clf_curve`: sort by score descending, and treat every distinct
 * score as one threshold, so tied scores move together (a tie between a positive and a negative counts
 * one half in the AUC, as in `roc_auc_score`). Counts stay integers until the last division, so the
 * results match sklearn to rounding (about 1e-15), not bit for bit. Both come from one walk over the
 * distinct scores of a `ScoreRanks`, in memory or on disk, so the two give identical figures.
 */
export interface RankingMetrics {
  /** NaN when only one class is present: sklearn raises there, a monitoring window with one class is an ordinary event */
  readonly aucRoc: number;
  /** 0 when there is no positive label (sklearn 1.2 returns -0.0 there; later versions warn and return 0) */
  readonly prAuc: number;
}

/**
 * ROC AUC (trapezoids between the distinct thresholds) and average precision (sum over distinct thresholds of
 * recall step x precision, no interpolation, stopping at full recall), in one walk.
 */
export const rankingMetrics = (ranks: ScoreRanks): RankingMetrics => {
  const positives = ranks.positiveCount;
  const negatives = ranks.negativeCount;
  let area2 = 0; // twice the area in count units: an exact integer while 2 * P * N < 2^53
  let ap = 0;
  let prevTps = 0;
  let prevFps = 0;
  ranks.walk((tps, fps) => {
    area2 += (fps - prevFps) * (tps + prevTps);
    // sklearn stops the precision-recall curve at full recall
    if (tps !== prevTps && prevTps < positives) ap += ((tps - prevTps) / positives) * (tps / (tps + fps));
    prevTps = tps;
    prevFps = fps;
  });
  return {
    aucRoc: positives === 0 || negatives === 0 ? Number.NaN : area2 / 2 / (positives * negatives),
    prAuc: positives === 0 ? 0 : ap,
  };
};

const ranksOf = (scores: ArrayLike<number>, labels: ArrayLike<number>): ScoreRanks => {
  const ranks = new ScoreRanks();
  for (let i = 0; i < scores.length; i++) ranks.add(scores[i]!, labels[i] === 1 ? 1 : 0);
  return ranks;
};

/** Area under the ROC curve, as sklearn's `roc_auc_score` for binary labels; NaN with one class. */
export const rocAuc = (scores: ArrayLike<number>, labels: ArrayLike<number>): number =>
  rankingMetrics(ranksOf(scores, labels)).aucRoc;

/** Average precision, as sklearn's `average_precision_score`; 0 when there is no positive label. */
export const averagePrecision = (scores: ArrayLike<number>, labels: ArrayLike<number>): number =>
  rankingMetrics(ranksOf(scores, labels)).prAuc;
