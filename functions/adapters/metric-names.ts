/**
 * CloudWatch metric names and dimensions that model-care emits, shared with the CDK constructs that build
 * alarms and the dashboard, so both sides spell them alike. Per-feature names are SageMaker Model Monitor's
 * (`feature_baseline_drift_<feature>`, `feature_non_null_<feature>`), so existing alarms and habits carry over.
 */

export const DEFAULT_METRIC_NAMESPACE = 'ModelCare';

/** every metric carries exactly these dimensions, in this set */
export const METRIC_DIMENSIONS = { model: 'Model', job: 'Job' } as const;

/** the distance between the window's distribution and the baseline's (Model Monitor's name) */
export const featureBaselineDriftMetric = (feature: string): string => `feature_baseline_drift_${feature}`;
/** completeness, the share of non-missing values (Model Monitor's name) */
export const featureNonNullMetric = (feature: string): string => `feature_non_null_${feature}`;
/** further per-feature statistics of ours, e.g. `feature_psi_<feature>` */
export const featureMetric = (statistic: string, feature: string): string =>
  `feature_${statistic}_${feature}`;

export const RUN_METRIC_NAMES = {
  rows: 'rows_processed',
  malformed: 'malformed_records',
  quarantined: 'quarantined_objects',
  violations: 'constraint_violations',
  duration: 'run_duration',
} as const;
