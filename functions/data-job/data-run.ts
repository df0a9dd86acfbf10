import { reportPrefix } from '../adapters/s3-layout.ts';
import { runDataCheck } from '../engine/monitor/run-data-check.ts';
import { stringifyReport } from '../engine/report/drift-report.ts';
import type { CurrentBaseline } from '../shared/handler-kit/baseline-pointer.ts';
import { type JobWindow, windowRange } from '../shared/handler-kit/job-window.ts';
import { publishViolations } from '../shared/handler-kit/monitoring-violation.ts';
import { s3Uri } from '../shared/handler-kit/s3-uri.ts';
import type { ModelConfig } from '../shared/model-config.ts';
import type { DataJobDeps, DataJobResult } from './data-job.ts';
import { dataMetricPoints, dataRunStatus, dataViolations, featureMetrics } from './data-run-output.ts';
import { runSequentialVerdicts } from './sequential-verdicts.ts';
import {
  sequentialViolations,
  verdictMetricPoints,
  verdictSummary,
  withEvidenceMetrics,
} from './verdict-output.ts';
import type { WindowProfile } from './window-profile.ts';

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
      ...(sequential ? { sequential: verdictSummary(sequential.verdict) } : {}),
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
    features: sequential
      ? withEvidenceMetrics(featureMetrics(report), sequential.verdict)
      : featureMetrics(report),
  });
  if (skipped.length > 0) logger.warn('data metrics skipped', { ...context, skipped });

  const reportUri = s3Uri(deps.bucket, violationsKey);
  const eventPublished = await publishViolations(
    deps.events,
    {
      model: model.name,
      job: 'data',
      runId,
      window: range,
      violations,
      reportUri,
      ...(sequential ? { evidence: sequential.context } : {}),
    },
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
};
