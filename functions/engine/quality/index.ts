/**
 * Model-quality engine: metrics with scikit-learn's definitions, Model Monitor model-quality files,
 * streaming concept-drift detectors, a label-free performance estimate, segments and fairness.
 */
export { Adwin, type AdwinOptions, type AdwinState } from './adwin.ts';
export {
  BinaryAccumulator,
  type BinaryAccumulatorJson,
  type BinaryConfusionMatrix,
  type BinaryMetrics,
  binaryMetrics,
} from './binary-metrics.ts';
export {
  type Calibrator,
  HistogramCalibrator,
  type HistogramCalibratorJson,
  IsotonicCalibrator,
  type IsotonicCalibratorJson,
} from './calibration.ts';
export {
  type CheckOptions,
  checkQualityConstraints,
  type QualityCheckResult,
  type SkippedConstraint,
} from './check-quality-constraints.ts';
export { Ddm, type DdmOptions, type DdmState } from './ddm.ts';
export type { DetectorUpdate, DriftDetector } from './detector-state.ts';
export { type FairnessReport, fairnessFromSegments, fairnessReport, type GroupRates } from './fairness.ts';
export {
  type LoadOptions,
  loadQualityConstraints,
  type QualityConstraint,
  type QualityConstraints,
} from './load-quality-constraints.ts';
export {
  MulticlassAccumulator,
  type MulticlassAccumulatorJson,
  type MulticlassMetrics,
  multiclassMetrics,
} from './multiclass-metrics.ts';
export {
  PageHinkley,
  type PageHinkleyMode,
  type PageHinkleyOptions,
  type PageHinkleyState,
} from './page-hinkley.ts';
export {
  type EstimatedMetric,
  type EstimateOptions,
  estimateBinaryPerformance,
  estimateFromProbabilities,
  type PerformanceEstimate,
  PerformanceEstimator,
  type PerformanceEstimatorJson,
} from './performance-estimate.ts';
export type {
  ComparisonOperator,
  ModelQualityConstraintsJson,
  ProblemType,
  QualityMetrics,
  QualityViolation,
} from './quality-constraints-format.ts';
export {
  type ModelQualityStatisticsJson,
  type QualityStatistics,
  qualityStatistics,
  readQualityStatistics,
} from './quality-statistics.ts';
export {
  RegressionAccumulator,
  type RegressionAccumulatorJson,
  type RegressionMetrics,
  regressionMetrics,
} from './regression-metrics.ts';
export { type AnyDetector, restoreDetector } from './restore-detector.ts';
export {
  binaryMetricsBySegment,
  multiclassMetricsBySegment,
  regressionMetricsBySegment,
  SegmentedAccumulator,
} from './segments.ts';
export { type SuggestOptions, suggestQualityConstraints } from './suggest-quality-constraints.ts';
