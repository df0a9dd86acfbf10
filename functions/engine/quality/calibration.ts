import { InputError } from '../errors.ts';
import { requireBinaryLabel, requireFinite, requireProbability, requireSameLength } from './input-checks.ts';

/** Maps a model's score to a calibrated probability of the positive class. */
export interface Calibrator {
  calibrate(score: number): number;
  toJSON(): IsotonicCalibratorJson | HistogramCalibratorJson;
}

export interface IsotonicCalibratorJson {
  kind: 'isotonic';
  /** ascending distinct reference scores */
  x: number[];
  /** fitted probability at each x, non-decreasing, in [0, 1] */
  y: number[];
}

export interface HistogramCalibratorJson {
  kind: 'histogram';
  /** mean label of the reference records in each equal-width bin of [0, 1]; null when the bin was empty */
  binMeans: (number | null)[];
}

const fail = (field: string, reason: string): never => {
  throw new InputError({ file: '<calibration input>', field }, reason);
};

const checkReference = (scores: readonly number[], labels: readonly (number | boolean)[]): (0 | 1)[] => {
  requireSameLength(scores, labels, 'labels');
  if (scores.length === 0) fail('scores', 'a calibrator needs at least one labelled reference record');
  for (const s of scores) requireProbability(s, 'scores');
  return labels.map((y) => requireBinaryLabel(y, 'labels'));
};

/**
 * Pool-adjacent-violators, as scikit-learn's `_inplace_contiguous_isotonic_regression`: the weighted
 * least-squares non-decreasing fit of `y`, in place. O(n) thanks to the back-tracking step.
 */
const poolAdjacentViolators = (y: number[], w: number[]): void => {
  const n = y.length;
  const target = Array.from({ length: n }, (_, i) => i);
  let i = 0;
  while (i < n) {
    let k = target[i]! + 1;
    if (k === n) break;
    if (y[i]! < y[k]!) {
      i = k;
      continue;
    }
    let sumWy = w[i]! * y[i]!;
    let sumW = w[i]!;
    for (;;) {
      const prevY = y[k]!;
      sumWy += w[k]! * y[k]!;
      sumW += w[k]!;
      k = target[k]! + 1;
      if (k === n || prevY < y[k]!) {
        y[i] = sumWy / sumW;
        w[i] = sumW;
        target[i] = k - 1;
        target[k - 1] = i;
        if (i > 0) i = target[i - 1]!;
        break;
      }
    }
  }
  for (let j = 0; j < n; ) {
    const k = target[j]! + 1;
    for (let m = j + 1; m < k; m++) y[m] = y[j]!;
    j = k;
  }
};

/**
 * Isotonic calibration, as scikit-learn's `IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1)`:
 * a non-decreasing step fit of label on score over the reference set (tied scores averaged first),
 * linear interpolation between the fitted points, scores outside the reference range clamped to it.
 * Flexible and monotone, so it keeps the model's ranking; it needs a few hundred labelled records to
 * avoid overfitting, and maps the extremes to exactly 0 or 1 where the reference had no mistakes there.
 */
export class IsotonicCalibrator implements Calibrator {
  private constructor(
    private readonly x: number[],
    private readonly y: number[],
  ) {}

  /** Fits on labelled reference scores (probabilities in [0, 1], labels 0/1). */
  static fit(scores: readonly number[], labels: readonly (number | boolean)[]): IsotonicCalibrator {
    const ys = checkReference(scores, labels);
    // sort by score, then label (numpy's lexsort((y, X))), and average the labels of tied scores
    const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]! || ys[a]! - ys[b]!);
    const x: number[] = [];
    const sumY: number[] = [];
    const w: number[] = [];
    for (const i of order) {
      const s = scores[i]!;
      const j = x.length - 1;
      if (j >= 0 && x[j] === s) {
        sumY[j] = sumY[j]! + ys[i]!;
        w[j] = w[j]! + 1;
      } else {
        x.push(s);
        sumY.push(ys[i]!);
        w.push(1);
      }
    }
    const y = sumY.map((total, j) => total / w[j]!);
    poolAdjacentViolators(y, w);
    return new IsotonicCalibrator(
      x,
      y.map((v) => Math.min(Math.max(v, 0), 1)),
    );
  }

  /** The calibrated probability of one score. */
  calibrate(score: number): number {
    requireFinite(score, 'score');
    const { x, y } = this;
    if (x.length === 1) return y[0]!;
    const t = Math.min(Math.max(score, x[0]!), x[x.length - 1]!);
    // scipy's interp1d: the first knot >= t (at least 1), interpolating from the knot before it
    let lo = 0;
    let hi = x.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    const h = Math.max(lo, 1);
    if (t === x[h]) return y[h]!;
    const slope = (y[h]! - y[h - 1]!) / (x[h]! - x[h - 1]!);
    // rounding in slope * dx can overshoot the knot values (1.0000000000000002 seen); the fitted curve
    // is monotone between knots, so the result is clamped to the segment's own range
    return Math.min(Math.max(slope * (t - x[h - 1]!) + y[h - 1]!, y[h - 1]!), y[h]!);
  }

  toJSON(): IsotonicCalibratorJson {
    return { kind: 'isotonic', x: [...this.x], y: [...this.y] };
  }

  /** Restores a calibrator from `toJSON()` output. */
  static fromJSON(json: IsotonicCalibratorJson): IsotonicCalibrator {
    const ok =
      json?.kind === 'isotonic' &&
      Array.isArray(json.x) &&
      Array.isArray(json.y) &&
      json.x.length === json.y.length &&
      json.x.length > 0 &&
      json.x.every((v, i) => Number.isFinite(v) && (i === 0 || v > json.x[i - 1]!)) &&
      json.y.every((v, i) => Number.isFinite(v) && v >= 0 && v <= 1 && (i === 0 || v >= json.y[i - 1]!));
    if (!ok) fail('isotonic', 'expected ascending x and non-decreasing y in [0, 1] of equal length');
    return new IsotonicCalibrator([...json.x], [...json.y]);
  }
}

/**
 * Histogram binning (Zadrozny & Elkan 2001): split [0, 1] into equal-width bins and map each score to
 * the mean label of the reference records in its bin. Coarse but robust on small reference sets; not
 * monotone, so it can reorder scores across bins. A bin with no reference record leaves scores in it
 * unchanged (there is nothing to calibrate them against).
 */
export class HistogramCalibrator implements Calibrator {
  private constructor(private readonly binMeans: (number | null)[]) {}

  /** Fits on labelled reference scores with `bins` equal-width bins (default 10). */
  static fit(
    scores: readonly number[],
    labels: readonly (number | boolean)[],
    bins = 10,
  ): HistogramCalibrator {
    if (!Number.isInteger(bins) || bins < 1) fail('bins', `expected a positive integer, got ${bins}`);
    const ys = checkReference(scores, labels);
    const sums = new Array<number>(bins).fill(0);
    const counts = new Array<number>(bins).fill(0);
    scores.forEach((s, i) => {
      const b = binOf(s, bins);
      sums[b] = sums[b]! + ys[i]!;
      counts[b] = counts[b]! + 1;
    });
    return new HistogramCalibrator(counts.map((c, b) => (c === 0 ? null : sums[b]! / c)));
  }

  /** The calibrated probability of one score. */
  calibrate(score: number): number {
    requireProbability(score, 'score');
    return this.binMeans[binOf(score, this.binMeans.length)] ?? score;
  }

  toJSON(): HistogramCalibratorJson {
    return { kind: 'histogram', binMeans: [...this.binMeans] };
  }

  /** Restores a calibrator from `toJSON()` output. */
  static fromJSON(json: HistogramCalibratorJson): HistogramCalibrator {
    const ok =
      json?.kind === 'histogram' &&
      Array.isArray(json.binMeans) &&
      json.binMeans.length > 0 &&
      json.binMeans.every((v) => v === null || (Number.isFinite(v) && v >= 0 && v <= 1));
    if (!ok) fail('histogram', 'expected binMeans: an array of probabilities or null');
    return new HistogramCalibrator([...json.binMeans]);
  }
}

/** equal-width bin of a score in [0, 1]; 1.0 falls in the last bin */
const binOf = (score: number, bins: number): number => Math.min(Math.floor(score * bins), bins - 1);
