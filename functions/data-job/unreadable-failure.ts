import { runReportKeys } from '../adapters/s3-layout.ts';
import { stringifyReport } from '../engine/report/drift-report.ts';
import { type JobWindow, windowRange } from '../handler-kit/job-window.ts';
import {
  DATASET_FEATURE,
  type MonitoringViolation,
  publishViolations,
} from '../handler-kit/monitoring-violation.ts';
import { recordFailedRun } from '../handler-kit/run-failure.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';
import { s3Uri } from '../shared/s3-uri.ts';
import type { DataJobDeps, DataJobResult } from './data-job-deps.ts';
import type { UnreadableCaptureError } from './unreadable-guard.ts';

/** objects named in the failed run's record; the log has them all */
const NAMED_OBJECTS = 20;

/**
 * A window whose capture is mostly unreadable (unreadable-guard.ts), in the single pass and the fan-out alike:
 * a failed run naming the likely cause, `constraint_violations.json` with a `capture_readability_check`, and the
 * `Monitoring Violations Detected` event the alert router turns into a warning (critical once every object is
 * unreadable, at the default critical factor). Retrying cannot help, so the run ends here instead of throwing.
 */
export const recordUnreadableCapture = async (
  deps: DataJobDeps,
  run: {
    readonly model: ModelConfig;
    readonly window: JobWindow;
    readonly runId: string;
    readonly startedAt: Date;
    readonly error: UnreadableCaptureError;
  },
): Promise<DataJobResult> => {
  const { model, window, runId, error } = run;
  const range = windowRange(window);
  const violation: MonitoringViolation = {
    featureName: DATASET_FEATURE,
    constraintCheckType: 'capture_readability_check',
    description: error.message,
    value: error.share,
    threshold: error.maxShare,
  };
  const { violations: violationsKey } = runReportKeys(model.name, 'data', range.start);
  await deps.store.put(
    violationsKey,
    `${stringifyReport({
      violations: [
        {
          feature_name: violation.featureName,
          constraint_check_type: violation.constraintCheckType,
          description: violation.description,
        },
      ],
    })}\n`,
    'application/json',
  );
  const finishedAt = deps.now();
  await recordFailedRun(
    deps,
    {
      model: model.name,
      job: 'data',
      window,
      startedAt: run.startedAt,
      finishedAt,
      summary: {
        runId,
        objects: error.total,
        unreadable: error.unreadable.length,
        notQuarantined: error.unreadable.slice(0, NAMED_OBJECTS).map(({ key, reason }) => ({ key, reason })),
      },
    },
    error,
  );
  const reportUri = s3Uri(deps.bucket, violationsKey);
  const eventPublished = await publishViolations(
    deps.events,
    { model: model.name, job: 'data', runId, window: range, violations: [violation], reportUri },
    finishedAt,
  );
  return {
    model: model.name,
    runId,
    window: range,
    status: 'failed',
    rows: 0,
    malformed: 0,
    quarantined: 0,
    violations: 1,
    reportUri,
    eventPublished,
  };
};
