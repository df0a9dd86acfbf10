import type { Severity } from './model-config.ts';
import type { TableName } from './tables.ts';

/**
 * Runtime constants shared by the CDK constructs (lib/) and the handlers (functions/): environment variable
 * keys, the S3 layout of the capture store and the CloudWatch metric contract. The constructs set what the
 * handlers read, from this one module, so the two cannot disagree.
 */

/** Powertools service name of every function (logs and traces; metrics clear it as a dimension) */
export const SERVICE_NAME = 'model-care';
/** CloudWatch namespace of every metric model-care emits (Powertools EMF) */
export const METRICS_NAMESPACE = 'ModelCare';

export const ENV = {
  /** Powertools: service name for logs and traces */
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  /** Powertools: metrics namespace (METRICS_NAMESPACE) */
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  /** the capture store bucket name (all prefixes in STORE_PREFIXES) */
  captureBucket: 'MODEL_CARE_CAPTURE_BUCKET',
  /** capture API only: JSON array of CaptureRoute (model-config.ts `parseCaptureRoutes`) */
  captureRoutes: 'MODEL_CARE_CAPTURE_ROUTES',
  /** name of the EventBridge bus that model-care events go to (the account's default bus) */
  eventBusName: 'MODEL_CARE_EVENT_BUS',
  /** days a metric time-series item lives before DynamoDB's TTL removes it */
  metricsTtlDays: 'MODEL_CARE_METRICS_TTL_DAYS',
  /** prefix of the per-model dashboard names, for links in alerts (`dashboardName(prefix, model)`) */
  dashboardPrefix: 'MODEL_CARE_DASHBOARD_PREFIX',
  /** data job: the window fan-out state machine (lib/constructs/window-fan-out.ts); unset: never fans out */
  fanOutStateMachineArn: 'MODEL_CARE_FAN_OUT_STATE_MACHINE_ARN',
  /** data job: capture bytes in a window above which it fans out; @default DEFAULT_FAN_OUT_THRESHOLD_BYTES */
  fanOutThresholdBytes: 'MODEL_CARE_FAN_OUT_THRESHOLD_BYTES',
} as const;

/** table name env var per table in tables.ts */
export const TABLE_ENV: Record<TableName, string> = {
  runs: 'MODEL_CARE_RUNS_TABLE',
  metrics: 'MODEL_CARE_METRICS_TABLE',
  registry: 'MODEL_CARE_REGISTRY_TABLE',
  state: 'MODEL_CARE_STATE_TABLE',
};

/** topic ARN env var per alert severity */
export const TOPIC_ENV: Record<Severity, string> = {
  info: 'MODEL_CARE_INFO_TOPIC_ARN',
  warning: 'MODEL_CARE_WARNING_TOPIC_ARN',
  critical: 'MODEL_CARE_CRITICAL_TOPIC_ARN',
};

/**
 * Top-level prefixes of the capture store. Below them, per model:
 * - capture/<endpoint>/<variant>/yyyy/mm/dd/hh/<id>.jsonl — SageMaker Data Capture layout (see `captureLocation`)
 * - ground-truth/<model>/yyyy/mm/dd/hh/<id>.jsonl — Model Monitor ground-truth records
 * - baselines/<model>/<version>/statistics.json, constraints.json
 * - reports/<model>/<job>/<windowStartIso>/constraint_violations.json, report.json
 * - profiles/<model>/<windowStartIso>.json — mergeable hourly profiles
 * - profiles/<model>/parts/<windowStartIso>/<n>.json — partial profiles of a fanned-out window (window-fan-out.ts)
 * - quarantine/<model>/<original key> — unparseable capture objects, with the reason as object metadata
 * - training/<model>/<jobName>/ — prepared channels, manifest, holdout, transform output, model artifacts
 */
export const STORE_PREFIXES = {
  capture: 'capture/',
  groundTruth: 'ground-truth/',
  baselines: 'baselines/',
  reports: 'reports/',
  profiles: 'profiles/',
  quarantine: 'quarantine/',
  training: 'training/',
} as const;

/**
 * The CloudWatch metric contract: what the handlers emit (EMF through Powertools, default dimensions cleared, so
 * no `service` dimension) and what the alarms and dashboards read. Every metric carries exactly the dimensions
 * METRIC_DIMENSIONS lists; a metric with another dimension set is a different metric to CloudWatch and would not
 * reach the alarms. Per-feature names are SageMaker Model Monitor's, so existing habits carry over.
 * (functions/adapters/metric-names.ts spells the same names; lib/ may import only this module.)
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
} as const;

/** model-quality metrics are emitted under their QUALITY_METRICS names (model-config.ts) with Job=quality */

/** the per-model dashboard's name, so alerts can link to it */
export const dashboardName = (prefix: string, model: string): string => `${prefix}-${model}`;

/** Reads a required env var once, failing with its name rather than passing `undefined` into an SDK call. */
export const requireEnv = (key: string, env: NodeJS.ProcessEnv = process.env): string => {
  const value = env[key];
  if (value === undefined || value === '') throw new Error(`environment variable ${key} is not set`);
  return value;
};
