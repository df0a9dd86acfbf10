import type { RunJob } from './run-repository.ts';

/**
 * CloudWatch metrics of one monitoring run and of the capture API. Implementation: cloudwatch/emf-run-metrics.ts,
 * which reduces them to the contract of functions/shared/telemetry.ts (a few per model, the rest per stack).
 */

export interface FeatureMetrics {
  readonly feature: string;
  readonly baselineDrift?: number;
  readonly completeness?: number;
  /** judged drifted in the window; CloudWatch gets the model's share of drifted features, not each feature */
  readonly drifted?: boolean;
  /** further statistics (`drift_evidence`: the largest becomes the model's `max_evidence`) */
  readonly extra?: Readonly<Record<string, number>>;
}

export interface RunMetrics {
  readonly model: string;
  readonly job: RunJob;
  readonly windowStart: Date;
  readonly rowCount: number;
  readonly malformedCount: number;
  readonly quarantinedObjects: number;
  readonly violationCount: number;
  readonly durationMs?: number;
  /** a run that failed emits `run_failures` 1, every other run 0, so the failure alarm always has data */
  readonly failed?: boolean;
  readonly features?: readonly FeatureMetrics[];
  /** model-quality metrics under their QUALITY_METRICS names (accuracy, aucRoc, rmse, ...) */
  readonly modelMetrics?: Readonly<Record<string, number>>;
  /** also emit the features' drift and completeness as Model Monitor does (`compat.modelMonitorMetrics`) */
  readonly modelMonitor?: { readonly endpoint: string; readonly schedule: string };
}

/** records the capture API wrote for a model (Job=capture) */
export interface CaptureMetrics {
  readonly model: string;
  readonly records: number;
  readonly at: Date;
}

/** a capture API request refused because its caller is not among the model's producers (Job=capture) */
export interface RefusalMetrics {
  readonly model: string;
  readonly at: Date;
}

export interface PublishedMetrics {
  readonly published: number;
  /** metrics left out, with why (non-finite value, name too long); the caller logs them */
  readonly skipped: readonly string[];
}

export interface RunMetricsPublisher {
  /** Emits the run's metrics and flushes them before returning. */
  publishRun(run: RunMetrics): PublishedMetrics;
  /** Emits `captured_records` for one write of the capture API and flushes it. */
  publishCapture(capture: CaptureMetrics): PublishedMetrics;
  /** Emits `refused_producers` 1 for one refused request and flushes it. */
  publishRefusal(refusal: RefusalMetrics): PublishedMetrics;
}
