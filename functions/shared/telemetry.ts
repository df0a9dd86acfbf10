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
 * The CloudWatch metric contract (issue 13: a model monitored for under a dollar a month). CloudWatch bills a
 * metric for every hour it receives data, so:
 * - per model (dimension `Model` only): at most two metrics each data window (MODEL_METRIC_NAMES) and the primary
 *   quality metric with its label-free estimate each quality window (MODEL_QUALITY_METRICS); nothing per feature
 *   (per-feature figures live in the metric series table and the reports);
 * - everything else once for the stack (dimension `Job` only): rows, violations, failures, durations, capture.
 * The one dashboard switches models with its `Model` variable; the stack's alarms read the Job metrics and the
 * functions' own. A metric with another dimension set is a different metric to CloudWatch.
 */
export const METRIC_DIMENSIONS = { model: 'Model', job: 'Job' } as const;

/** values of the Job dimension: the monitoring jobs, and `capture` for the capture API */
export const METRIC_JOBS = ['data', 'quality', 'baseline', 'capture'] as const;
export type MetricJob = (typeof METRIC_JOBS)[number];

/** per model, each data window */
export const MODEL_METRIC_NAMES = {
  /** share of the model's features judged drifted in the window (0..1) */
  driftedShare: 'drifted_share',
  /** the largest sequential drift evidence of any feature (alarm line at 1/α, issue 12) */
  maxEvidence: 'max_evidence',
} as const;

/**
 * per model, each quality window: the primary quality metric of each problem type and the label-free accuracy
 * estimate; any other quality metric stays in the metric series and the report
 */
export const MODEL_QUALITY_METRICS = {
  binary: 'accuracy',
  multiclass: 'accuracy',
  regression: 'rmse',
  estimate: 'estimated_accuracy',
} as const;
export const MODEL_QUALITY_METRIC_NAMES: ReadonlySet<string> = new Set(Object.values(MODEL_QUALITY_METRICS));

/** the model's error e-process against its holdout error plus tolerance (metric series; alarm line at 1/α) */
export const ERROR_EVIDENCE_METRIC = 'error_evidence';

/** stack-level metrics (dimension Job only) */
export const RUN_METRIC_NAMES = {
  /** records runs read (Count) */
  rows: 'rows_processed',
  malformed: 'malformed_records',
  quarantined: 'quarantined_objects',
  /** violations of runs (Count): drift and data quality for Job=data, model quality for Job=quality */
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

/**
 * `compat.modelMonitorMetrics`: the data job also emits the per-feature metrics in SageMaker Model Monitor's own
 * namespace with its dimensions, so alarms and dashboards built on Model Monitor keep working through the switch.
 * Off by default: each is a metric per feature, billed every hour (issue 13).
 */
export const MODEL_MONITOR_DATA_NAMESPACE = 'aws/sagemaker/Endpoints/data-metrics';
export const MODEL_MONITOR_DIMENSIONS = { endpoint: 'Endpoint', schedule: 'MonitoringSchedule' } as const;
/** Model Monitor's distance of a feature from its baseline (`compat.modelMonitorMetrics` only) */
export const featureBaselineDriftMetric = (feature: string): string => `feature_baseline_drift_${feature}`;
/** Model Monitor's share of non-missing values of a feature (`compat.modelMonitorMetrics` only) */
export const featureNonNullMetric = (feature: string): string => `feature_non_null_${feature}`;

/** the stack's one dashboard, for every model (its `Model` variable picks one), so alerts can link to it */
export const fleetDashboardName = (prefix: string): string => `${prefix}-models`;

/**
 * The declared list of the CloudWatch metrics model-care emits, with the job that emits each: the cost model
 * (scripts/cost) prices every name for the hours its job emits it, and a test checks that the EMF publisher
 * emits nothing outside it. A metric added to the emitters belongs here too.
 */
export interface DeclaredMetric {
  readonly name: string;
  readonly job: MetricJob;
}

/** what every data, quality and baseline run emits once for the stack (dimension Job) */
export const RUN_SUMMARY_METRICS = [
  RUN_METRIC_NAMES.rows,
  RUN_METRIC_NAMES.malformed,
  RUN_METRIC_NAMES.quarantined,
  RUN_METRIC_NAMES.violations,
  RUN_METRIC_NAMES.failures,
  RUN_METRIC_NAMES.duration,
] as const;
/** the capture API's; `refused_producers` only for a refused request */
export const CAPTURE_METRICS = [RUN_METRIC_NAMES.captured, RUN_METRIC_NAMES.refused] as const;

/** the stack's own metrics: the same names whatever the number of models */
export const declaredStackMetrics = (): DeclaredMetric[] => [
  ...(['data', 'quality', 'baseline'] as const).flatMap((job) =>
    RUN_SUMMARY_METRICS.map((name) => ({ name, job })),
  ),
  ...CAPTURE_METRICS.map((name) => ({ name, job: 'capture' as const })),
];

export interface MetricListInput {
  readonly problemType: keyof typeof MODEL_QUALITY_METRICS & ('binary' | 'multiclass' | 'regression');
  /** the features whose Model Monitor metrics are mirrored (`compat.modelMonitorMetrics`); none by default */
  readonly modelMonitorFeatures?: readonly string[];
}

/** every metric one model adds (dimension Model, or Model Monitor's own with `compat.modelMonitorMetrics`) */
export const declaredModelMetrics = (model: MetricListInput): DeclaredMetric[] => [
  ...Object.values(MODEL_METRIC_NAMES).map((name) => ({ name, job: 'data' as const })),
  { name: MODEL_QUALITY_METRICS[model.problemType], job: 'quality' },
  { name: MODEL_QUALITY_METRICS.estimate, job: 'quality' },
  ...(model.modelMonitorFeatures ?? []).flatMap((feature) => [
    { name: featureBaselineDriftMetric(feature), job: 'data' as const },
    { name: featureNonNullMetric(feature), job: 'data' as const },
  ]),
];
