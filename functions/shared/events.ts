import type { ConstraintCheckType } from '../engine/data-quality/violation.ts';
import type { Severity } from './config/vocabulary.ts';

/**
 * The events model-care puts on the account's default EventBridge bus, the envelope every model-scoped Lambda
 * receives, and the SNS message attributes. lib/ builds the rules and their input transformers from these
 * constants; handlers publish and parse these shapes.
 *
 * Wiring (one set of rules per model, each injecting that model's name):
 * - schedule `schedules.data`             -> data job
 * - schedule `schedules.quality`          -> quality job
 * - `Quality Evaluation Requested`        -> quality job (late labels re-open a window)
 * - `Baseline Requested`                  -> baseline job
 * - S3 `Object Created` under ground-truth/<model>/ -> ground-truth ingest
 * - `Monitoring Violations Detected`      -> alert router
 * - `Retraining Requested`                -> the model's retraining state machine (input = ModelJobInput too)
 */

export const EVENT_SOURCE = 'model-care';

export const DETAIL_TYPES = {
  /** emitted by the data and quality jobs when a window has violations */
  violationsDetected: 'Monitoring Violations Detected',
  /** emitted by the alert router for a critical alert when retraining.startOnCritical, or by a person/CLI */
  retrainingRequested: 'Retraining Requested',
  /** emitted by a person/CLI to (re)build a model's baseline; the state machine invokes the job directly */
  baselineRequested: 'Baseline Requested',
  /** emitted by ground-truth ingest when labels arrive for a window that was already evaluated */
  qualityEvaluationRequested: 'Quality Evaluation Requested',
  /** emitted by the dispatcher when a model's window has closed (plus grace), or when late capture re-opens one */
  windowDue: 'Window Due',
  /** emitted when an A/B test's challenger won and its traffic was shifted (retraining.approval `auto`) */
  trafficShifted: 'Variant Traffic Shifted',
  /** emitted when an A/B test's challenger won and a person must approve the shift (approval `manual`) */
  trafficShiftApprovalRequested: 'Variant Traffic Shift Approval Requested',
} as const;

/** detail-type of the events EventBridge schedules produce */
export const SCHEDULED_EVENT = 'Scheduled Event';
/** detail-type of S3's EventBridge notifications for new objects */
export const OBJECT_CREATED_EVENT = 'Object Created';

/**
 * The trigger as the rule's input transformer copies it from the EventBridge event:
 * `{ id: $.id, source: $.source, detailType: $.detail-type, time: $.time, detail: $.detail }`.
 * For a schedule, `time` is the scheduled time (align the window to it) and `detail` is `{}`.
 */
export interface EventTrigger<TDetail = unknown> {
  readonly id: string;
  readonly source: string;
  readonly detailType: string;
  readonly time: string;
  readonly detail: TDetail;
}

/**
 * What every model-scoped Lambda (baseline, data, quality, ground-truth ingest, alert router) and the retraining
 * state machine receive: the model's name and the trigger (EventBridge caps a target input at 8,192 characters,
 * so events carry no configs). Lambdas load the config from the models table (handler-kit/job-event.ts): the
 * pinned `configVersion` when the envelope or the detail names one, else the current version.
 */
export interface ModelJobInput<TDetail = unknown> {
  readonly model: string;
  readonly configVersion?: number;
  readonly trigger: EventTrigger<TDetail>;
}

export interface WindowRange {
  /** ISO-8601, inclusive */
  readonly start: string;
  /** ISO-8601, exclusive */
  readonly end: string;
}

/** the checks a violation can come from: the engine's data checks (Model Monitor's and value_range_check) and these */
export type CheckType =
  | ConstraintCheckType
  | 'model_quality_check'
  | 'concept_drift_check'
  | 'fairness_check'
  | 'operational_check';

export interface Violation {
  /** the feature, or the metric for model-quality checks */
  readonly featureName: string;
  readonly constraintCheckType: CheckType;
  readonly description: string;
  /** the measured value (drift distance, metric value, completeness), when there is one */
  readonly value?: number;
  readonly threshold?: number;
}

/** detail of `Monitoring Violations Detected` */
export interface ViolationsDetectedDetail {
  readonly model: string;
  readonly job: 'data' | 'quality';
  /** deterministic: re-running a window produces the same runId (the router dedupes on it) */
  readonly runId: string;
  readonly window: WindowRange;
  readonly violations: readonly Violation[];
  /** s3:// URI of constraint_violations.json */
  readonly reportUri: string;
}

/** detail of `Retraining Requested` */
export interface RetrainingRequestedDetail {
  readonly model: string;
  readonly reason: string;
  /** the alert that asked for it, when the router did */
  readonly alertId?: string;
  readonly severity?: Severity;
}

/** detail of `Baseline Requested` */
export interface BaselineRequestedDetail {
  readonly model: string;
  /** @default - the model's `baseline.datasetUri` */
  readonly datasetUri?: string;
  /** the registry version the baseline belongs to; @default - the current champion */
  readonly version?: number;
}

/** detail of `Quality Evaluation Requested` */
export interface QualityEvaluationRequestedDetail {
  readonly model: string;
  readonly window: WindowRange;
  readonly reason: string;
}

/** detail of `Window Due`: the job judges exactly this window of this model, with the config of this version */
export interface WindowDueDetail {
  readonly model: string;
  /** the config version the schedule was read from; the job loads `(model, configVersion)` */
  readonly configVersion: number;
  readonly job: 'data' | 'quality';
  readonly window: WindowRange;
  /** why a window is judged again (late capture); absent for scheduled dispatches */
  readonly reason?: string;
}

/** the part of S3's `Object Created` detail that ground-truth ingest uses */
export interface ObjectCreatedDetail {
  readonly bucket: { readonly name: string };
  readonly object: { readonly key: string; readonly size?: number; readonly etag?: string };
}

/**
 * SNS message attributes on everything the router and the state machine publish. Per-model recipients
 * subscribe with a filter policy on `model`; CloudWatch alarm notifications carry no attributes and so reach
 * only the operator recipients (top-level `alerts`).
 */
export const MESSAGE_ATTRIBUTES = {
  model: 'model',
  severity: 'severity',
  /** the check that alerted (router messages) */
  check: 'check',
  /** alert | approval-request | retraining-failed (state machine messages) */
  kind: 'kind',
} as const;

export type MessageKind = 'alert' | 'approval-request' | 'retraining-failed';
