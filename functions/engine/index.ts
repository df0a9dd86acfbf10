/**
 * `model-care/engine`: the monitoring engine without AWS, for scripts and services in Node.js. The same code
 * the CLI and the Lambda handlers run, behind three file-level calls (the CLI's `baseline`, `check` and
 * `quality` as functions), the Model Monitor file formats and the statistics behind the verdicts.
 * What is exported here is the supported API; every other module is internal.
 *
 * @packageDocumentation
 */

// SageMaker Model Monitor's baseline files
export {
  type ConstraintsFile,
  constraintsFileSchema,
  type StatisticsFile,
  statisticsFileSchema,
} from './baseline/model-monitor-schema.ts';
export type { ConstraintCheckType, Violation, ViolationDetail } from './data-quality/violation.ts';
export type {
  DatasetDrift,
  FeatureDrift,
  FeatureDriftStatus,
  FeatureMetrics,
} from './drift/compute-drift.ts';
export type { DriftMethod, FeatureKind, MethodChoice } from './drift/drift-methods.ts';
export type { ModelMonitorDistance } from './drift/model-monitor-distance.ts';
export { InputError, type InputLocation } from './errors.ts';
// the CLI's commands as functions
export {
  type BaselineFiles,
  baselineFromFiles,
  type CheckFilesOptions,
  checkFiles,
  type QualityFilesOptions,
  qualityFromFiles,
  type ReadFilesOptions,
  type SkippedRecords,
} from './monitor/file-checks.ts';
export type { BinaryConfusionMatrix, BinaryMetrics } from './quality/binary-metrics.ts';
// model quality (`model-care quality --json`)
export type { AnyQualityMetrics, QualityEvaluation, QualityProblem } from './quality/evaluate-quality.ts';
export type { FairnessReport, GroupRates } from './quality/fairness.ts';
export type { MulticlassMetrics } from './quality/multiclass-metrics.ts';
export type { RegressionMetrics } from './quality/regression-metrics.ts';
export type { TableFormat } from './readers/table.ts';
// the data check's report (`model-care check --json`, report.json)
export type { DriftReport, SkippedInput } from './report/drift-report.ts';

// the statistics behind the verdicts, with scipy's definitions
export * as stats from './stats/index.ts';
