import type { ObjectStore } from '../adapters/object-store.ts';
import { runReportKeys } from '../adapters/s3-layout.ts';
import { runDataCheck } from '../engine/monitor/run-data-check.ts';
import { stringifyReport } from '../engine/report/drift-report.ts';
import { type CurrentBaseline, loadCurrentBaseline } from '../handler-kit/baseline-pointer.ts';
import { type JobWindow, jobWindow, windowRange } from '../handler-kit/job-window.ts';
import { runIdOf } from '../handler-kit/monitoring-violation.ts';
import { recordFailedRun } from '../handler-kit/run-failure.ts';
import { recordFinishedRun } from '../handler-kit/run-success.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';
import type { WindowRange } from '../shared/events.ts';
import type { DataJobDeps, DataJobResult } from './data-job-deps.ts';
import { dataMetricPoints, dataRunStatus, dataViolations, featureMetrics } from './data-run-output.ts';
import { modelMonitorMetrics } from './model-monitor-metrics.ts';
import { runSequentialVerdicts } from './sequential-verdicts.ts';
import {
  sequentialViolations,
  verdictMetricPoints,
  verdictSummary,
  withEvidenceMetrics,
} from './verdict-output.ts';
import type { WindowProfile } from './window-profile.ts';

/** The model has no baseline yet (the baseline job has not run): nothing to check against. */
export class BaselineNotFoundError extends Error {
  override readonly name = 'BaselineNotFoundError';
  constructor(readonly model: string) {
    super(`model ${model} has no baseline yet: run the baseline job (a "Baseline Requested" event) first`);
  }
}

/** The window a data run covers (the one that closed, or the one the event names), its run id and its start. */
export const openDataRun = (
  model: ModelConfig,
  trigger: { readonly time: string; readonly detail: { readonly window?: WindowRange } },
  now: Date,
) => {
  const window = jobWindow(trigger.time, model.schedules.dataWindowMinutes, trigger.detail.window);
  const range = windowRange(window);
  return { window, range, runId: runIdOf(model.name, 'data', range.start), startedAt: now };
};

/** Records a data run that failed (run-failure.ts), before its error propagates. */
export const recordFailedDataRun = (
  deps: DataJobDeps,
  model: string,
  run: { readonly window: JobWindow; readonly runId: string; readonly startedAt: Date },
  error: unknown,
): Promise<void> =>
  recordFailedRun(
    deps,
    {
      model,
      job: 'data',
      window: run.window,
      startedAt: run.startedAt,
      finishedAt: deps.now(),
      summary: { runId: run.runId },
    },
    error,
  );

/** The model's current baseline; a model without one fails the run with BaselineNotFoundError. */
export const requireCurrentBaseline = async (store: ObjectStore, model: string): Promise<CurrentBaseline> => {
  const current = await loadCurrentBaseline(store, model);
  if (!current) throw new BaselineNotFoundError(model);
  return current;
};

/**
 * What a data run does once it has the window's profile, however it got it (one pass in the data job, or the
 * merged parts of a fanned-out window in the fan-out's reducer): the check against the baseline, the reports,
 * the metric series, the run record, EMF metrics and the violations event. One function, so the two paths
 * cannot drift apart.
 */
export const recordDataRun = async (
  deps: DataJobDeps,
  run: {
    readonly model: ModelConfig;
    readonly window: JobWindow;
    readonly runId: string;
    readonly startedAt: Date;
    readonly current: CurrentBaseline;
    readonly captured: WindowProfile;
  },
): Promise<DataJobResult> => {
  const { store, logger } = deps;
  const { model, window, runId, startedAt, current, captured } = run;
  const range = windowRange(window);
  const context = { model: model.name, runId };
  const baselineNames = new Set(current.baseline.statistics.features.map((f) => f.name));

  const outputs = new Set(model.outputs.map((o) => o.name));
  // a features-only baseline has no column for the model's outputs: they are left out of the check
  const ignoreColumns = captured.profile.columns.filter((c) => outputs.has(c) && !baselineNames.has(c));
  const report = runDataCheck(current.baseline, captured.profile, captured.malformed, {
    ignoreColumns,
    minSamples: deps.minSamples,
  });
  // the sequential verdict (issue 12): evidence per feature kept between runs, beside the per-window check
  const sequential = deps.verdictStates
    ? await runSequentialVerdicts({
        repository: deps.verdictStates,
        model,
        current,
        windowStart: range.start,
        profile: captured.profile,
        ignoreColumns,
        ...(captured.rowsByHour ? { rowsByHour: captured.rowsByHour } : {}),
        now: startedAt,
      })
    : undefined;
  const violations = [
    ...dataViolations(report, range),
    ...(sequential ? sequentialViolations(sequential.verdict) : []),
  ];
  const status = dataRunStatus(report, violations);
  const rows = report.dataset.rowsCurrent;
  const malformed = captured.malformed.count;
  const quarantined = captured.quarantined.length;

  const { violations: violationsKey, report: reportKey } = runReportKeys(model.name, 'data', range.start);
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
      ...(sequential ? { sequential: sequential.verdict } : {}),
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
        ...(captured.leftOut ? { leftOut: captured.leftOut } : {}),
      },
    })}\n`,
    'application/json',
  );

  await deps.series.putMetrics(model.name, range.start, [
    ...dataMetricPoints(report, { rows, malformed, quarantined, violations: violations.length }),
    ...(sequential ? verdictMetricPoints(sequential.verdict) : []),
  ]);
  const finishedAt = deps.now();
  const checks = [...new Set(violations.map((v) => v.constraintCheckType))];
  const { reportUri, eventPublished } = await recordFinishedRun(
    deps,
    {
      model: model.name,
      job: 'data',
      runId,
      window,
      status,
      rows,
      malformed,
      quarantined,
      violations,
      startedAt,
      finishedAt,
      summary: {
        baselineVersion: current.pointer.version,
        objects: captured.objects,
        hours: captured.hours,
        quarantined: captured.quarantined.slice(0, 20),
        ...(captured.leftOut ? { leftOut: captured.leftOut.slice(0, 20) } : {}),
        dataset: report.dataset,
        driftedFeatures: report.features.filter((f) => f.drifted).map((f) => f.name),
        violatedChecks: checks,
        malformedSamples: report.malformedSamples.slice(0, 10),
        ...(sequential ? { sequential: verdictSummary(sequential.verdict) } : {}),
      },
      cloudWatch: {
        features: sequential
          ? withEvidenceMetrics(featureMetrics(report), sequential.verdict)
          : featureMetrics(report),
        ...modelMonitorMetrics(model),
      },
      ...(sequential ? { evidence: sequential.context } : {}),
    },
    context,
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
};
