import type { DomainEvent, EventPublisher } from '../adapters/event-publisher.ts';
import { MODEL_LEVEL_FEATURE } from '../adapters/metric-repository.ts';
import type { ViolationDetail } from '../engine/data-quality/violation.ts';
import {
  type CheckType,
  DETAIL_TYPES,
  type Violation,
  type ViolationsDetectedDetail,
} from '../shared/events.ts';
import type { VerdictContext } from '../shared/verdict-context.ts';

/**
 * The checks a monitoring run reports. events.ts's CheckType plus those the jobs need and it does not list yet:
 * `value_range_check` (the engine's range check), `no_data_check` (an empty window: silence is reported as a
 * violation of its own kind, so a broken capture pipeline alerts), `capture_readability_check` (more of the
 * window's capture unreadable than `capture.maxUnreadableShare`: the run failed, nothing was quarantined), and
 * the sequential verdicts' (issue 12) `sequential_drift_check` and `model_error_check`. Once events.ts has them
 * this is CheckType.
 */
export type MonitoringCheckType =
  | CheckType
  | 'value_range_check'
  | 'no_data_check'
  | 'capture_readability_check'
  | 'sequential_drift_check'
  | 'model_error_check';

export interface MonitoringViolation extends Omit<Violation, 'constraintCheckType'> {
  readonly constraintCheckType: MonitoringCheckType;
}

/** the detail as published: events.ts's, with the wider check type and the count before any cut */
export interface MonitoringViolationsDetail extends Omit<ViolationsDetectedDetail, 'violations'> {
  readonly violations: readonly MonitoringViolation[];
  /** every violation of the run; `violations` holds at most MAX_EVENT_VIOLATIONS of them */
  readonly totalViolations: number;
  /** what the run knows of drift evidence and harm, for the router's harm-aware severity (issue 12) */
  readonly evidence?: VerdictContext;
}

/** featureName of a violation about the whole window rather than one feature */
export const DATASET_FEATURE = '(dataset)';
/** featureName of a violation about the model (quality metrics are named by the metric itself) */
export const MODEL_FEATURE = MODEL_LEVEL_FEATURE;

/** keeps an event far below EventBridge's 256 KB; the report has them all */
export const MAX_EVENT_VIOLATIONS = 100;

const finiteOrUndefined = (value: number | null): number | undefined =>
  value === null || !Number.isFinite(value) ? undefined : value;

/** an engine data-quality violation in the event's form */
export const fromEngineViolation = (detail: ViolationDetail): MonitoringViolation => {
  const value = finiteOrUndefined(detail.value);
  const threshold = finiteOrUndefined(detail.threshold);
  return {
    featureName: detail.feature_name,
    constraintCheckType: detail.constraint_check_type,
    description: detail.description,
    ...(value === undefined ? {} : { value }),
    ...(threshold === undefined ? {} : { threshold }),
  };
};

/** deterministic per model, job and window: a re-run gets the same id, and the router dedupes on it */
export const runIdOf = (model: string, job: 'data' | 'quality', windowStart: string): string =>
  `${model}/${job}/${windowStart}`;

/** Publishes `Monitoring Violations Detected` for a run; nothing when there is nothing to report. */
export const publishViolations = async (
  publisher: EventPublisher,
  detail: Omit<MonitoringViolationsDetail, 'totalViolations'>,
  time: Date,
): Promise<boolean> => {
  if (detail.violations.length === 0) return false;
  const event: DomainEvent = {
    detailType: DETAIL_TYPES.violationsDetected,
    detail: {
      ...detail,
      violations: detail.violations.slice(0, MAX_EVENT_VIOLATIONS),
      totalViolations: detail.violations.length,
    } satisfies MonitoringViolationsDetail,
    time,
  };
  await publisher.publish([event]);
  return true;
};
