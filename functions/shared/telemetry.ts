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

/**
 * The declared list of the CloudWatch metrics one model emits, with the job that emits each: the cost model
 * (scripts/cost) prices every name for the hours its job emits it, and a test checks that the EMF publisher
 * emits nothing outside it. A metric added to the emitters belongs here too.
 */
export interface DeclaredMetric {
  readonly name: string;
  readonly job: MetricJob;
}

/** per-feature metrics of a data run (drift evidence arrives as the `drift_evidence` extra of a feature) */
export const DATA_FEATURE_METRICS = [
  featureBaselineDriftMetric,
  featureNonNullMetric,
  featureDriftEvidenceMetric,
];
/** what every data and quality run emits besides its per-feature and model-quality figures */
export const RUN_SUMMARY_METRICS = [
  RUN_METRIC_NAMES.rows,
  RUN_METRIC_NAMES.malformed,
  RUN_METRIC_NAMES.quarantined,
  RUN_METRIC_NAMES.violations,
  RUN_METRIC_NAMES.failures,
  RUN_METRIC_NAMES.duration,
] as const;
/** the quality job's figures beyond its problem type's quality metrics: the label-free estimate, the e-process */
export const QUALITY_EXTRA_METRICS = ['estimated_accuracy', ERROR_EVIDENCE_METRIC] as const;
/** emitted only by binary models with a `quality.segmentFeature` */
export const FAIRNESS_METRICS = ['demographic_parity_difference', 'equal_opportunity_difference'] as const;
/** the capture API's; `refused_producers` only for a refused request */
export const CAPTURE_METRICS = [RUN_METRIC_NAMES.captured, RUN_METRIC_NAMES.refused] as const;

export interface MetricListInput {
  readonly features: readonly string[];
  /** the problem type's QUALITY_METRICS names */
  readonly qualityMetrics: readonly string[];
  readonly fairness: boolean;
}

/** every metric name one model can emit, per job (the baseline job emits its run summary when it runs) */
export const declaredModelMetrics = (model: MetricListInput): DeclaredMetric[] => [
  ...RUN_SUMMARY_METRICS.map((name) => ({ name, job: 'data' as const })),
  ...model.features.flatMap((feature) =>
    DATA_FEATURE_METRICS.map((metric) => ({ name: metric(feature), job: 'data' as const })),
  ),
  ...RUN_SUMMARY_METRICS.map((name) => ({ name, job: 'quality' as const })),
  ...[...model.qualityMetrics, ...QUALITY_EXTRA_METRICS, ...(model.fairness ? FAIRNESS_METRICS : [])].map(
    (name) => ({ name, job: 'quality' as const }),
  ),
  ...RUN_SUMMARY_METRICS.map((name) => ({ name, job: 'baseline' as const })),
  ...CAPTURE_METRICS.map((name) => ({ name, job: 'capture' as const })),
];
