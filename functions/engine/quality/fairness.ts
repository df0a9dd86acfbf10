import type { BinaryMetrics } from './binary-metrics.ts';
import { binaryMetricsBySegment } from './segments.ts';

/** The rates of one group that the fairness gaps compare. */
export interface GroupRates {
  readonly segment: string;
  readonly count: number;
  /** share of the group predicted positive (fairlearn's selection rate) */
  readonly positiveRate: number;
  /** recall within the group; null when the group has no positive label */
  readonly truePositiveRate: number | null;
}

export interface FairnessReport {
  readonly groups: GroupRates[];
  /** max - min positive-prediction rate across groups (fairlearn's demographic_parity_difference) */
  readonly demographicParityDifference: number;
  /** max - min true-positive rate across groups with a positive label (equal opportunity) */
  readonly equalOpportunityDifference: number;
  /** groups left out of the equal-opportunity gap because they have no positive label */
  readonly excludedFromEqualOpportunity: string[];
}

const spread = (values: readonly number[]): number =>
  values.length === 0 ? Number.NaN : Math.max(...values) - Math.min(...values);

/**
 * Fairness gaps from per-segment binary metrics (e.g. `binaryMetricsBySegment`, or merged segment
 * accumulators). Empty groups are ignored. A group with no positive label has no true-positive rate:
 * rather than count it as 0 (which would inflate the gap), it is excluded and listed. A gap over fewer
 * than one group is NaN; over one group it is 0.
 */
export const fairnessFromSegments = (bySegment: Record<string, BinaryMetrics>): FairnessReport => {
  const groups: GroupRates[] = [];
  for (const [segment, m] of Object.entries(bySegment)) {
    const [[tn, fp], [fn, tp]] = m.confusionMatrix;
    const count = tn + fp + fn + tp;
    if (count === 0) continue;
    groups.push({
      segment,
      count,
      positiveRate: (tp + fp) / count,
      truePositiveRate: tp + fn === 0 ? null : tp / (tp + fn),
    });
  }
  const tprs = groups.flatMap((g) => (g.truePositiveRate === null ? [] : [g.truePositiveRate]));
  return {
    groups,
    demographicParityDifference: spread(groups.map((g) => g.positiveRate)),
    equalOpportunityDifference: spread(tprs),
    excludedFromEqualOpportunity: groups.filter((g) => g.truePositiveRate === null).map((g) => g.segment),
  };
};

/** Fairness gaps of scored, labelled records grouped by a segment feature, at a decision threshold. */
export const fairnessReport = (
  scores: readonly number[],
  labels: readonly (number | boolean)[],
  segments: readonly string[],
  threshold = 0.5,
): FairnessReport => fairnessFromSegments(binaryMetricsBySegment(scores, labels, segments, threshold));
