import type { EventPublisher } from '../adapters/event-publisher.ts';
import type { RunMetrics, RunMetricsPublisher } from '../adapters/run-metrics.ts';
import type { RunRepository, RunStatus } from '../adapters/run-repository.ts';
import { runReportKeys } from '../adapters/s3-layout.ts';
import { s3Uri } from '../shared/s3-uri.ts';
import type { VerdictContext } from '../shared/verdict-context.ts';
import type { HandlerLogger } from './handler-logger.ts';
import { isoSeconds, type JobWindow } from './job-window.ts';
import { type MonitoringViolation, publishViolations } from './monitoring-violation.ts';

export interface FinishedRun {
  readonly model: string;
  readonly job: 'data' | 'quality';
  readonly runId: string;
  readonly window: JobWindow;
  readonly status: RunStatus;
  readonly rows: number;
  readonly malformed: number;
  readonly quarantined: number;
  readonly violations: readonly MonitoringViolation[];
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** the job's own facts for the run record (the run id goes first) */
  readonly summary: Readonly<Record<string, unknown>>;
  /** the job's own CloudWatch figures: per feature (data) or model metrics (quality) */
  readonly cloudWatch?: Pick<RunMetrics, 'features' | 'modelMetrics' | 'modelMonitor'>;
  /** what the run knows of drift evidence and harm, carried in its violations event (issue 12) */
  readonly evidence?: VerdictContext;
}

/**
 * What ends every monitoring run that got its reports written, the data and the quality job alike: the run
 * record, the run's EMF metrics, and `Monitoring Violations Detected` when anything is violated. The failed
 * counterpart is run-failure.ts `recordFailedRun`.
 */
export const recordFinishedRun = async (
  deps: {
    readonly runs: RunRepository;
    readonly metrics: RunMetricsPublisher;
    readonly events: EventPublisher;
    /** the capture store bucket, for the report's URI */
    readonly bucket: string;
    readonly logger: HandlerLogger;
  },
  run: FinishedRun,
  /** what the job's log lines carry */
  context: Readonly<Record<string, unknown>>,
): Promise<{ readonly reportUri: string; readonly eventPublished: boolean }> => {
  // the reports the job wrote: the run record points at them, the violations event links to them
  const reports = runReportKeys(run.model, run.job, run.window.start);
  const counts = {
    rowCount: run.rows,
    malformedCount: run.malformed,
    quarantinedObjects: run.quarantined,
    violationCount: run.violations.length,
  };
  await deps.runs.putRun({
    model: run.model,
    job: run.job,
    windowStart: isoSeconds(run.window.start),
    windowEnd: isoSeconds(run.window.end),
    status: run.status,
    ...counts,
    reportKey: reports.prefix,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt.toISOString(),
    summary: { runId: run.runId, ...run.summary },
  });
  const { skipped } = deps.metrics.publishRun({
    model: run.model,
    job: run.job,
    windowStart: run.window.start,
    ...counts,
    durationMs: run.finishedAt.getTime() - run.startedAt.getTime(),
    failed: false,
    ...run.cloudWatch,
  });
  if (skipped.length > 0) {
    deps.logger.warn(`${run.job} metrics skipped`, { ...context, skipped });
  }
  const reportUri = s3Uri(deps.bucket, reports.violations);
  const eventPublished = await publishViolations(
    deps.events,
    {
      model: run.model,
      job: run.job,
      runId: run.runId,
      window: { start: isoSeconds(run.window.start), end: isoSeconds(run.window.end) },
      violations: run.violations,
      reportUri,
      ...(run.evidence ? { evidence: run.evidence } : {}),
    },
    run.finishedAt,
  );
  return { reportUri, eventPublished };
};
