import { z } from 'zod';
import type { EventPublisher } from '../adapters/event-publisher.ts';
import type { MetricRepository } from '../adapters/metric-repository.ts';
import type { ObjectStore } from '../adapters/object-store.ts';
import type { RunMetricsPublisher } from '../adapters/run-metrics.ts';
import type { RunRepository, RunStatus } from '../adapters/run-repository.ts';
import { reportPrefix } from '../adapters/s3-layout.ts';
import { runDataCheck } from '../engine/monitor/run-data-check.ts';
import { stringifyReport } from '../engine/report/drift-report.ts';
import type { WindowRange } from '../shared/events.ts';
import { loadCurrentBaseline } from '../shared/handler-kit/baseline-pointer.ts';
import type { HandlerLogger } from '../shared/handler-kit/handler-logger.ts';
import { parseJobEvent, windowRangeSchema } from '../shared/handler-kit/job-event.ts';
import { jobWindow, windowRange } from '../shared/handler-kit/job-window.ts';
import { publishViolations, runIdOf } from '../shared/handler-kit/monitoring-violation.ts';
import { recordFailedRun } from '../shared/handler-kit/run-failure.ts';
import { s3Uri } from '../shared/handler-kit/s3-uri.ts';
import { dataMetricPoints, dataRunStatus, dataViolations, featureMetrics } from './data-run-output.ts';
import { profileWindow } from './window-profile.ts';

export interface DataJobDeps {
  /** the capture store: capture/, baselines/, profiles/, reports/, quarantine/ */
  readonly store: ObjectStore;
  readonly bucket: string;
  readonly runs: RunRepository;
  readonly series: MetricRepository;
  readonly events: EventPublisher;
  readonly metrics: RunMetricsPublisher;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
  /** fewer values than this in a sample: reported, not judged; @default the engine's (30) */
  readonly minSamples?: number;
}

export interface DataJobResult {
  readonly model: string;
  readonly runId: string;
  readonly window: WindowRange;
  readonly status: RunStatus;
  readonly rows: number;
  readonly malformed: number;
  readonly quarantined: number;
  readonly violations: number;
  /** s3:// URI of constraint_violations.json; null when the run failed before writing it */
  readonly reportUri: string | null;
  readonly eventPublished: boolean;
}

/** The model has no baseline yet (the baseline job has not run): nothing to check against. */
export class BaselineNotFoundError extends Error {
  override readonly name = 'BaselineNotFoundError';
  constructor(readonly model: string) {
    super(`model ${model} has no baseline yet: run the baseline job (a "Baseline Requested" event) first`);
  }
}

/** schedules send `{}`; a person may re-run or backfill a window by naming it */
const detailSchema = z.looseObject({ model: z.string().optional(), window: windowRangeSchema.optional() });

/**
 * The data job: the window that just closed (`schedules.dataWindowMinutes`, aligned to the trigger time), or
 * the one the event names. Streams the window's capture (or merges stored hourly profiles), checks drift and
 * data quality against the model's current baseline, and writes, all under deterministic keys so a re-run of
 * the window replaces its results: `reports/<model>/data/<windowStart>/{constraint_violations,report}.json`,
 * the run record, per-feature metric series, EMF metrics, and `Monitoring Violations Detected` when anything is
 * violated (dataset drift and an empty window included). Unreadable capture objects go to quarantine/.
 */
export const makeDataJobHandler = (deps: DataJobDeps) => {
  const { store, logger } = deps;
  return async (event: unknown): Promise<DataJobResult> => {
    const { model, trigger } = parseJobEvent(event, detailSchema);
    const window = jobWindow(trigger.time, model.schedules.dataWindowMinutes, trigger.detail.window);
    const range = windowRange(window);
    const runId = runIdOf(model.name, 'data', range.start);
    const startedAt = deps.now();
    const context = { model: model.name, runId };
    try {
      const current = await loadCurrentBaseline(store, model.name);
      if (!current) throw new BaselineNotFoundError(model.name);
      const baselineNames = new Set(current.baseline.statistics.features.map((f) => f.name));

      const captured = await profileWindow({ store, model, window, logger });
      const outputs = new Set(model.outputs.map((o) => o.name));
      // a features-only baseline has no column for the model's outputs: they are left out of the check
      const ignoreColumns = captured.profile.columns.filter((c) => outputs.has(c) && !baselineNames.has(c));
      const report = runDataCheck(current.baseline, captured.profile, captured.malformed, {
        ignoreColumns,
        minSamples: deps.minSamples,
      });
      const violations = dataViolations(report, range);
      const status = dataRunStatus(report, violations);
      const rows = report.dataset.rowsCurrent;
      const malformed = captured.malformed.count;
      const quarantined = captured.quarantined.length;

      const prefix = reportPrefix(model.name, 'data', range.start);
      const violationsKey = `${prefix}constraint_violations.json`;
      const reportKey = `${prefix}report.json`;
      await store.put(
        violationsKey,
        `${stringifyReport({
          violations: violations.map((v) => ({
            feature_name: v.featureName,
            constraint_check_type: v.constraintCheckType,
            description: v.description,
          })),
        })}\n`,
        'application/json',
      );
      await store.put(
        reportKey,
        `${stringifyReport({
          ...report,
          run: {
            runId,
            model: model.name,
            window: range,
            status,
            baseline: { version: current.pointer.version, statisticsKey: current.pointer.statisticsKey },
            objects: captured.objects,
            quarantined: captured.quarantined,
            hours: captured.hours,
            ignoredColumns: ignoreColumns,
          },
        })}\n`,
        'application/json',
      );

      await deps.series.putMetrics(
        model.name,
        range.start,
        dataMetricPoints(report, { rows, malformed, quarantined, violations: violations.length }),
      );
      const finishedAt = deps.now();
      const checks = [...new Set(violations.map((v) => v.constraintCheckType))];
      await deps.runs.putRun({
        model: model.name,
        job: 'data',
        windowStart: range.start,
        windowEnd: range.end,
        status,
        rowCount: rows,
        malformedCount: malformed,
        quarantinedObjects: quarantined,
        violationCount: violations.length,
        reportKey: prefix,
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        summary: {
          runId,
          baselineVersion: current.pointer.version,
          objects: captured.objects,
          hours: captured.hours,
          quarantined: captured.quarantined.slice(0, 20),
          dataset: report.dataset,
          driftedFeatures: report.features.filter((f) => f.drifted).map((f) => f.name),
          violatedChecks: checks,
          malformedSamples: report.malformedSamples.slice(0, 10),
        },
      });
      const { skipped } = deps.metrics.publishRun({
        model: model.name,
        job: 'data',
        windowStart: window.start,
        rowCount: rows,
        malformedCount: malformed,
        quarantinedObjects: quarantined,
        violationCount: violations.length,
        durationMs: finishedAt.getTime() - startedAt.getTime(),
        failed: false,
        features: featureMetrics(report),
      });
      if (skipped.length > 0) logger.warn('data metrics skipped', { ...context, skipped });

      const reportUri = s3Uri(deps.bucket, violationsKey);
      const eventPublished = await publishViolations(
        deps.events,
        { model: model.name, job: 'data', runId, window: range, violations, reportUri },
        finishedAt,
      );
      logger.info('data run finished', {
        ...context,
        status,
        rows,
        malformed,
        quarantined,
        quarantinedNow: captured.quarantinedNow,
        violations: violations.length,
        checks,
        hours: captured.hours,
      });
      return {
        model: model.name,
        runId,
        window: range,
        status,
        rows,
        malformed,
        quarantined,
        violations: violations.length,
        reportUri,
        eventPublished,
      };
    } catch (error) {
      await recordFailedRun(
        deps,
        { model: model.name, job: 'data', window, startedAt, finishedAt: deps.now(), summary: { runId } },
        error,
      );
      // retrying cannot make a baseline appear: the failure is recorded and alarmed, the event is done with
      if (error instanceof BaselineNotFoundError) {
        return {
          model: model.name,
          runId,
          window: range,
          status: 'failed',
          rows: 0,
          malformed: 0,
          quarantined: 0,
          violations: 0,
          reportUri: null,
          eventPublished: false,
        };
      }
      throw error;
    }
  };
};
