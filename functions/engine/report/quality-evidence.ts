import type { BinaryMetrics } from '../quality/binary-metrics.ts';
import type { AnyQualityMetrics, QualityEvaluation } from '../quality/evaluate-quality.ts';
import type { MulticlassMetrics } from '../quality/multiclass-metrics.ts';
import type { PerformanceEstimate } from '../quality/performance-estimate.ts';
import { type ProportionInterval, wilsonInterval, Z_95 } from '../stats/wilson-interval.ts';

/** A quality figure as an alert and the run page state it: the value, on how many labels, and how sure. */
export interface QualityFigure {
  readonly metric: string;
  readonly value: number;
  /** labelled predictions it was computed on */
  readonly labelled: number;
  /** a 95% Wilson interval, for metrics that are proportions of counted predictions */
  readonly interval?: ProportionInterval;
}

export interface SegmentFigure {
  readonly segment: string;
  readonly value: number;
  readonly labelled?: number;
  /** how much worse than the model as a whole, in the metric's units (positive = worse) */
  readonly worseBy: number;
}

export interface QualityEvidence {
  readonly headline: QualityFigure;
  /** the label-free estimate of the same metric, with a 95% normal interval from its standard error */
  readonly estimate?: {
    readonly metric: string;
    readonly value: number;
    readonly interval: ProportionInterval;
  };
  /** segments worse than the whole, worst first */
  readonly segments: readonly SegmentFigure[];
  readonly lowerIsBetter: boolean;
}

const MAX_SEGMENTS = 5;

const isBinary = (m: AnyQualityMetrics): m is BinaryMetrics =>
  'confusionMatrix' in m && !('labels' in m) && 'aucRoc' in m;
const isMulticlass = (m: AnyQualityMetrics): m is MulticlassMetrics => 'labels' in m;

/** labelled predictions behind a metric set, when its confusion matrix tells */
const labelledOf = (m: AnyQualityMetrics): number | undefined => {
  if (isBinary(m)) return m.confusionMatrix.flat().reduce((a, b) => a + b, 0);
  if (isMulticlass(m)) return m.confusionMatrix.flat().reduce((a, b) => a + b, 0);
  return undefined;
};

/** the counts a metric is a proportion of: successes over trials */
const proportionOf = (metric: string, m: AnyQualityMetrics): [number, number] | undefined => {
  if (isBinary(m)) {
    const [[tn, fp], [fn, tp]] = m.confusionMatrix;
    switch (metric) {
      case 'accuracy':
        return [tn + tp, tn + fp + fn + tp];
      case 'precision':
        return [tp, tp + fp];
      case 'recall':
      case 'tpr':
        return [tp, tp + fn];
      case 'fpr':
        return [fp, fp + tn];
      default:
        return undefined;
    }
  }
  if (isMulticlass(m) && metric === 'accuracy') {
    const total = m.confusionMatrix.flat().reduce((a, b) => a + b, 0);
    const correct = m.confusionMatrix.reduce((sum, row, i) => sum + (row[i] ?? 0), 0);
    return [correct, total];
  }
  return undefined;
};

const metricValue = (m: AnyQualityMetrics, metric: string): number | undefined => {
  const value = (m as unknown as Record<string, unknown>)[metric];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};

const ESTIMATED = new Set(['accuracy', 'precision', 'recall', 'f1']);

/**
 * The evidence of a quality run for people: the chosen metric with its labels count and (for proportions) a 95%
 * Wilson interval, the label-free estimate beside it when there is one, and the segments doing worse than the
 * whole. Undefined when the evaluation has no finite value of the metric.
 */
export const qualityEvidence = (
  evaluation: QualityEvaluation,
  options: {
    readonly metric: string;
    readonly lowerIsBetter: boolean;
    readonly estimate?: PerformanceEstimate | null;
  },
): QualityEvidence | undefined => {
  const { metric, lowerIsBetter } = options;
  const value = metricValue(evaluation.metrics, metric);
  if (value === undefined) return undefined;
  const counts = proportionOf(metric, evaluation.metrics);
  const interval = counts ? wilsonInterval(counts[0], counts[1]) : undefined;
  const headline: QualityFigure = {
    metric,
    value,
    labelled: evaluation.rows,
    ...(interval ? { interval } : {}),
  };

  const sign = lowerIsBetter ? 1 : -1;
  const segments = Object.entries(evaluation.segments ?? {})
    .flatMap(([segment, metrics]): SegmentFigure[] => {
      const v = metricValue(metrics, metric);
      if (v === undefined) return [];
      const labelled = labelledOf(metrics);
      return [
        { segment, value: v, ...(labelled === undefined ? {} : { labelled }), worseBy: sign * (v - value) },
      ];
    })
    .filter((s) => s.worseBy > 0)
    .sort((a, b) => b.worseBy - a.worseBy)
    .slice(0, MAX_SEGMENTS);

  const estimated =
    options.estimate && ESTIMATED.has(metric) ? options.estimate[metric as 'accuracy'] : undefined;
  const estimate =
    estimated && Number.isFinite(estimated.value) && Number.isFinite(estimated.standardError)
      ? {
          metric,
          value: estimated.value,
          interval: {
            low: Math.max(0, estimated.value - Z_95 * estimated.standardError),
            high: Math.min(1, estimated.value + Z_95 * estimated.standardError),
          },
        }
      : undefined;
  return { headline, ...(estimate ? { estimate } : {}), segments, lowerIsBetter };
};
