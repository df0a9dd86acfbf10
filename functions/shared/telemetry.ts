/**
 * The names of what model-care emits, shared by the handlers that emit them and the alarms and dashboards
 * (lib/) that read them: the Powertools service, the CloudWatch namespace, metric names and dimensions, and the
 * per-model dashboard names.
 */

/** Powertools service name of every function (logs; metrics clear it as a dimension) */
export const SERVICE_NAME = 'model-care';
/** CloudWatch namespace of every metric model-care emits (Powertools EMF) */
export const METRICS_NAMESPACE = 'ModelCare';

/**
 * `compat.modelMonitorMetrics`: the data job also emits the per-feature metrics in SageMaker Model Monitor's own
 * namespace with its dimensions, so alarms and dashboards built on Model Monitor keep working through the switch.
 */
export const MODEL_MONITOR_DATA_NAMESPACE = 'aws/sagemaker/Endpoints/data-metrics';
export const MODEL_MONITOR_DIMENSIONS = { endpoint: 'Endpoint', schedule: 'MonitoringSchedule' } as const;

/**
 * The CloudWatch metric contract: what the handlers emit (EMF through Powertools, default dimensions cleared, so
 * no `service` dimension) and what the alarms and dashboards read. Every metric carries exactly the dimensions
 * METRIC_DIMENSIONS lists; a metric with another dimension set is a different metric to CloudWatch and would not
 * reach the alarms. Per-feature names are SageMaker Model Monitor's, so existing habits carry over.
 */
export const METRIC_DIMENSIONS = { model: 'Model', job: 'Job' } as const;

/** values of the Job dimension: the monitoring jobs, and `capture` for the capture API */
export const METRIC_JOBS = ['data', 'quality', 'baseline', 'capture'] as const;
export type MetricJob = (typeof METRIC_JOBS)[number];

/** distance of a feature's window distribution from the baseline (Job=data) */
export const featureBaselineDriftMetric = (feature: string): string => `feature_baseline_drift_${feature}`;
/** share of non-missing values of a feature (Job=data) */
export const featureNonNullMetric = (feature: string): string => `feature_non_null_${feature}`;
/** a feature's sequential drift evidence against the current baseline (Job=data; alarm line at 1/α) */
export const featureDriftEvidenceMetric = (feature: string): string => `feature_drift_evidence_${feature}`;
/** the model's error e-process against its holdout error plus tolerance (Job=quality; alarm line at 1/α) */
export const ERROR_EVIDENCE_METRIC = 'error_evidence';

export const RUN_METRIC_NAMES = {
  /** records a run read for its window (Count) */
  rows: 'rows_processed',
  malformed: 'malformed_records',
  quarantined: 'quarantined_objects',
  /** violations of a run (Count): drift and data quality for Job=data, model quality for Job=quality */
  violations: 'constraint_violations',
  /** wall time of a run (Milliseconds) */
  duration: 'run_duration',
  /** 1 for a run that failed (Count) */
  failures: 'run_failures',
  /** records the capture API wrote (Count, Job=capture) */
  captured: 'captured_records',
  /** requests the capture API refused because the caller is not a producer of the model (Count, Job=capture) */
  refused: 'refused_producers',
} as const;

/** model-quality metrics are emitted under their QUALITY_METRICS names (config/vocabulary.ts) with Job=quality */

/** the per-model dashboard's name, so alerts can link to it */
export const dashboardName = (prefix: string, model: string): string => `${prefix}-${model}`;
