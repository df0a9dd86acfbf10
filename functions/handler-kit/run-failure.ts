import type { RunMetricsPublisher } from '../adapters/run-metrics.ts';
import type { RunJob, RunRepository } from '../adapters/run-repository.ts';
import { errorSummary, type HandlerLogger } from './handler-logger.ts';
import { isoSeconds, type JobWindow } from './job-window.ts';

export interface FailedRun {
  readonly model: string;
  readonly job: RunJob;
  readonly window: JobWindow;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** what the run got done before failing, for the record */
  readonly summary?: Readonly<Record<string, unknown>>;
}

/**
 * Makes a failed run visible before its error propagates (to Lambda's retries and the dead-letter queue):
 * `run_failures` 1 for the failure alarm, and a `failed` run record with the error's class and message. Recording
 * is best effort: a second failure here is logged, and the original error is what the caller rethrows.
 */
export const recordFailedRun = async (
  deps: {
    readonly runs: RunRepository;
    readonly metrics: RunMetricsPublisher;
    readonly logger: HandlerLogger;
  },
  run: FailedRun,
  error: unknown,
): Promise<void> => {
  const { runs, metrics, logger } = deps;
  const summary = errorSummary(error);
  logger.error(`${run.job} run failed`, {
    model: run.model,
    windowStart: isoSeconds(run.window.start),
    ...summary,
  });
  try {
    metrics.publishRun({
      model: run.model,
      job: run.job,
      windowStart: run.window.start,
      rowCount: 0,
      malformedCount: 0,
      quarantinedObjects: 0,
      violationCount: 0,
      durationMs: run.finishedAt.getTime() - run.startedAt.getTime(),
      failed: true,
    });
    await runs.putRun({
      model: run.model,
      job: run.job,
      windowStart: isoSeconds(run.window.start),
      windowEnd: isoSeconds(run.window.end),
      status: 'failed',
      rowCount: 0,
      malformedCount: 0,
      quarantinedObjects: 0,
      violationCount: 0,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt.toISOString(),
      summary: { ...run.summary, error: summary },
    });
  } catch (recordError) {
    logger.error('failed run could not be recorded', { model: run.model, ...errorSummary(recordError) });
  }
};
