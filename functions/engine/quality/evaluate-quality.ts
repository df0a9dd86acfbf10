import type { JoinResult, LabelledPrediction } from '../labels/join-labels.ts';
import type { CellValue } from '../readers/types.ts';
import { BinaryAccumulator, type BinaryMetrics } from './binary-metrics.ts';
import { type FairnessReport, fairnessFromSegments } from './fairness.ts';
import { MulticlassAccumulator, type MulticlassMetrics } from './multiclass-metrics.ts';
import { RegressionAccumulator, type RegressionMetrics } from './regression-metrics.ts';
import { SegmentedAccumulator } from './segments.ts';

/** the problem types as users name them (CLI, config); Model Monitor's names are in quality-constraints-format */
export type QualityProblem = 'binary' | 'multiclass' | 'regression';

export type AnyQualityMetrics = BinaryMetrics | MulticlassMetrics | RegressionMetrics;

/** The output of `model-care quality --json` and of the quality job: stable, documented in README. */
export interface QualityEvaluation {
  readonly problem: QualityProblem;
  /** labelled predictions evaluated */
  readonly rows: number;
  readonly unmatched: { readonly predictions: number; readonly labels: number };
  readonly duplicateIds: number;
  /** pairs whose label or prediction could not be read for this problem type (counted, not dropped silently) */
  readonly invalid: number;
  readonly metrics: AnyQualityMetrics;
  readonly segments?: Record<string, AnyQualityMetrics>;
  readonly fairness?: FairnessReport;
}

export interface EvaluateOptions {
  /** binary: scores at or above it predict the positive class; @default 0.5 */
  readonly threshold?: number;
}

/** binary labels as the data writes them: 1/0, "1"/"0", "1.0", true/false */
export const binaryLabel = (value: CellValue): 0 | 1 | undefined => {
  if (value === true || value === 'true') return 1;
  if (value === false || value === 'false') return 0;
  if (value === null || value === '') return undefined;
  const n = Number(value);
  return n === 1 ? 1 : n === 0 ? 0 : undefined;
};

const finite = (value: CellValue): number | undefined => {
  if (value === null || value === '' || typeof value === 'boolean') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
};

/**
 * Metrics of a window's labelled predictions, overall and per segment, with fairness gaps for binary
 * problems that have a segment. Binary problems use the score (probability of label 1); without one, the
 * predicted label serves as a 0/1 score.
 */
export const evaluateQuality = (
  joined: JoinResult,
  problem: QualityProblem,
  options: EvaluateOptions = {},
): QualityEvaluation => {
  const threshold = options.threshold ?? 0.5;
  let invalid = 0;
  const hasSegments = joined.pairs.some((p) => p.segment !== undefined);
  const base = {
    problem,
    unmatched: { predictions: joined.unmatchedPredictions, labels: joined.unmatchedLabels },
    duplicateIds: joined.duplicateIds,
  };

  if (problem === 'binary') {
    const overall = new BinaryAccumulator(threshold);
    const segments = new SegmentedAccumulator(() => new BinaryAccumulator(threshold));
    for (const pair of joined.pairs) {
      const label = binaryLabel(pair.label);
      const score = pair.score ?? finite(pair.prediction);
      if (label === undefined || score === undefined || score < 0 || score > 1) {
        invalid += 1;
        continue;
      }
      overall.add(score, label);
      if (hasSegments) segments.segment(pair.segment ?? '').add(score, label);
    }
    const bySegment = hasSegments ? segments.map((a) => a.metrics()) : undefined;
    return {
      ...base,
      rows: joined.pairs.length - invalid,
      invalid,
      metrics: overall.metrics(),
      ...(bySegment ? { segments: bySegment, fairness: fairnessFromSegments(bySegment) } : {}),
    };
  }

  if (problem === 'multiclass') {
    const overall = new MulticlassAccumulator();
    const segments = new SegmentedAccumulator(() => new MulticlassAccumulator());
    for (const pair of joined.pairs) {
      if (pair.label === null || pair.prediction === null) {
        invalid += 1;
        continue;
      }
      overall.add(String(pair.label), String(pair.prediction));
      if (hasSegments) segments.segment(pair.segment ?? '').add(String(pair.label), String(pair.prediction));
    }
    return {
      ...base,
      rows: joined.pairs.length - invalid,
      invalid,
      metrics: overall.metrics(),
      ...(hasSegments ? { segments: segments.map((a) => a.metrics()) } : {}),
    };
  }

  const overall = new RegressionAccumulator();
  const segments = new SegmentedAccumulator(() => new RegressionAccumulator());
  for (const pair of joined.pairs as LabelledPrediction[]) {
    const actual = finite(pair.label);
    const predicted = finite(pair.prediction);
    if (actual === undefined || predicted === undefined) {
      invalid += 1;
      continue;
    }
    overall.add(actual, predicted);
    if (hasSegments) segments.segment(pair.segment ?? '').add(actual, predicted);
  }
  return {
    ...base,
    rows: joined.pairs.length - invalid,
    invalid,
    metrics: overall.metrics(),
    ...(hasSegments ? { segments: segments.map((a) => a.metrics()) } : {}),
  };
};
