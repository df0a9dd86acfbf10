import { InputError } from '../errors.ts';
import { BinaryAccumulator, type BinaryMetrics } from './binary-metrics.ts';
import { requireSameLength } from './input-checks.ts';
import { sortLabels } from './label-order.ts';
import { MulticlassAccumulator, type MulticlassMetrics } from './multiclass-metrics.ts';
import { RegressionAccumulator, type RegressionMetrics } from './regression-metrics.ts';

interface Mergeable<T> {
  merge(other: T): T;
}

/**
 * One accumulator per value of a segment feature (region, device, customer tier...), created on first
 * use. Segments merge like the accumulators themselves, so per-segment metrics scale out the same way.
 */
export class SegmentedAccumulator<T extends Mergeable<T>> {
  private readonly bySegment = new Map<string, T>();

  constructor(private readonly create: () => T) {}

  /** The accumulator of one segment value, created empty if new. */
  segment(value: string): T {
    if (typeof value !== 'string') {
      throw new InputError({ file: '<quality input>', field: 'segment' }, 'segment values must be strings');
    }
    let acc = this.bySegment.get(value);
    if (acc === undefined) {
      acc = this.create();
      this.bySegment.set(value, acc);
    }
    return acc;
  }

  /** Folds another segmented accumulator into this one, segment by segment. */
  merge(other: SegmentedAccumulator<T>): this {
    for (const [value, acc] of other.bySegment) this.segment(value).merge(acc);
    return this;
  }

  /** Segment values in code-point order, with their accumulators. */
  entries(): [string, T][] {
    return sortLabels(this.bySegment.keys()).map((v) => [v, this.bySegment.get(v)!]);
  }

  /** Applies `metrics` to each segment's accumulator, keyed by segment value in code-point order. */
  map<M>(metrics: (acc: T) => M): Record<string, M> {
    return Object.fromEntries(this.entries().map(([v, acc]) => [v, metrics(acc)]));
  }
}

/** Binary metrics per segment value (threshold as `binaryMetrics`). */
export const binaryMetricsBySegment = (
  scores: readonly number[],
  labels: readonly (number | boolean)[],
  segments: readonly string[],
  threshold = 0.5,
): Record<string, BinaryMetrics> => {
  requireSameLength(scores, labels, 'labels');
  requireSameLength(scores, segments, 'segments');
  const acc = new SegmentedAccumulator(() => new BinaryAccumulator(threshold));
  scores.forEach((s, i) => {
    acc.segment(segments[i]!).add(s, labels[i]!);
  });
  return acc.map((a) => a.metrics());
};

/** Multiclass metrics per segment value; each segment's label list is its own. */
export const multiclassMetricsBySegment = (
  actual: readonly string[],
  predicted: readonly string[],
  segments: readonly string[],
): Record<string, MulticlassMetrics> => {
  requireSameLength(actual, predicted, 'predicted');
  requireSameLength(actual, segments, 'segments');
  const acc = new SegmentedAccumulator(() => new MulticlassAccumulator());
  actual.forEach((a, i) => {
    acc.segment(segments[i]!).add(a, predicted[i]!);
  });
  return acc.map((a) => a.metrics());
};

/** Regression metrics per segment value. */
export const regressionMetricsBySegment = (
  actual: readonly number[],
  predicted: readonly number[],
  segments: readonly string[],
): Record<string, RegressionMetrics> => {
  requireSameLength(actual, predicted, 'predicted');
  requireSameLength(actual, segments, 'segments');
  const acc = new SegmentedAccumulator(() => new RegressionAccumulator());
  actual.forEach((a, i) => {
    acc.segment(segments[i]!).add(a, predicted[i]!);
  });
  return acc.map((a) => a.metrics());
};
