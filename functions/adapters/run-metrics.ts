import type { RunJob } from './run-repository.ts';

/** CloudWatch metrics of one monitoring run. Implementation: cloudwatch/emf-run-metrics.ts. */

export interface FeatureMetrics {
  readonly feature: string;
  readonly baselineDrift?: number;
  readonly completeness?: number;
  /** further statistics, emitted as `feature_<name>_<feature>` */
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
  readonly features?: readonly FeatureMetrics[];
  /** model-quality metrics under Model Monitor's names (accuracy, auc, rmse, ...) */
  readonly modelMetrics?: Readonly<Record<string, number>>;
}

export interface PublishedMetrics {
  readonly published: number;
  /** metrics left out, with why (non-finite value, name too long); the caller logs them */
  readonly skipped: readonly string[];
}

export interface RunMetricsPublisher {
  /** Emits the run's metrics and flushes them before returning. */
  publishRun(run: RunMetrics): PublishedMetrics;
}
