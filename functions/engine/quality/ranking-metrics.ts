/**
 * Threshold-free binary metrics that need the scores in rank order: ROC AUC and average precision.
 *
 * Both follow scikit-learn's `_binary_clf_curve`: sort by score descending, and treat every distinct
 * score as one threshold, so tied scores move together (a tie between a positive and a negative counts
 * one half in the AUC, as in `roc_auc_score`). Counts stay integers until the last division, so the
 * results match sklearn to rounding (about 1e-15), not bit for bit.
 */

interface CurvePoint {
  /** true positives with score >= this threshold */
  readonly tps: number;
  /** false positives with score >= this threshold */
  readonly fps: number;
}

/** Cumulative (tps, fps) at each distinct score, highest score first. O(n log n) time, O(n) memory. */
const binaryCurve = (scores: ArrayLike<number>, labels: ArrayLike<number>): CurvePoint[] => {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => scores[b]! - scores[a]!);
  const points: CurvePoint[] = [];
  let tps = 0;
  let fps = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (labels[i] === 1) tps += 1;
    else fps += 1;
    const next = order[k + 1];
    // close a threshold only after the last of a run of equal scores
    if (next === undefined || scores[next] !== scores[i]) points.push({ tps, fps });
  }
  return points;
};

/**
 * Area under the ROC curve, as sklearn's `roc_auc_score` for binary labels (trapezoids between the
 * distinct thresholds). NaN when only one class is present: sklearn raises there, a monitoring window
 * with one class is an ordinary event, so the value is reported as undefined instead.
 */
export const rocAuc = (scores: ArrayLike<number>, labels: ArrayLike<number>): number => {
  const points = binaryCurve(scores, labels);
  const last = points[points.length - 1];
  if (last === undefined || last.tps === 0 || last.fps === 0) return Number.NaN;
  let area2 = 0; // twice the area in count units: an exact integer while 2 * P * N < 2^53
  let prevTps = 0;
  let prevFps = 0;
  for (const p of points) {
    area2 += (p.fps - prevFps) * (p.tps + prevTps);
    prevTps = p.tps;
    prevFps = p.fps;
  }
  return area2 / 2 / (last.tps * last.fps);
};

/**
 * Average precision, as sklearn's `average_precision_score`: sum over distinct thresholds of
 * (recall step) x precision, with no interpolation. 0 when there is no positive label (sklearn 1.2
 * returns -0.0 there; later versions warn and return 0).
 */
export const averagePrecision = (scores: ArrayLike<number>, labels: ArrayLike<number>): number => {
  const points = binaryCurve(scores, labels);
  const positives = points[points.length - 1]?.tps ?? 0;
  if (positives === 0) return 0;
  let ap = 0;
  let prevTps = 0;
  for (const p of points) {
    if (p.tps !== prevTps) ap += ((p.tps - prevTps) / positives) * (p.tps / (p.tps + p.fps));
    prevTps = p.tps;
    if (p.tps === positives) break; // sklearn stops the curve at full recall
  }
  return ap;
};
