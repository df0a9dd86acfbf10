import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  featureBaselineDriftMetric,
  featureNonNullMetric,
  METRIC_DIMENSIONS,
  METRICS_NAMESPACE,
  MODEL_METRIC_NAMES,
  MODEL_MONITOR_DATA_NAMESPACE,
  MODEL_MONITOR_DIMENSIONS,
  MODEL_QUALITY_METRIC_NAMES,
  RUN_METRIC_NAMES,
  SERVICE_NAME,
} from '../../shared/telemetry.ts';
import type { FeatureMetrics, PublishedMetrics, RunMetrics, RunMetricsPublisher } from '../run-metrics.ts';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];
type Entry = [name: string, unit: Unit, value: number];

/** EMF allows 100 metrics per log line; Powertools flushes by itself at 100 and would drop our dimensions */
const METRICS_PER_BLOB = 100;
const NAME_MAX = 255;
/** CloudWatch accepts EMF timestamps from 14 days back to 2 hours ahead; a margin keeps clear of the edges */
const PAST_LIMIT_MS = 14 * 86_400_000 - 3_600_000;
const FUTURE_LIMIT_MS = 2 * 3_600_000 - 60_000;

/** the sequential drift evidence a data run adds to its features (data-job/verdict-output.ts) */
const DRIFT_EVIDENCE = 'drift_evidence';

type Dimensions = Readonly<Record<string, string>>;

/** the two per-model figures of a data run: the share of drifted features and the largest drift evidence */
const dataRunFigures = (features: readonly FeatureMetrics[]): Entry[] => {
  const judged = features.filter((f) => f.drifted !== undefined);
  const evidence = features.flatMap((f) => {
    const value = f.extra?.[DRIFT_EVIDENCE];
    return value === undefined ? [] : [value];
  });
  return [
    ...(judged.length > 0
      ? [
          [
            MODEL_METRIC_NAMES.driftedShare,
            MetricUnit.NoUnit,
            judged.filter((f) => f.drifted).length / judged.length,
          ] as Entry,
        ]
      : []),
    ...(evidence.length > 0
      ? [[MODEL_METRIC_NAMES.maxEvidence, MetricUnit.NoUnit, Math.max(...evidence)] as Entry]
      : []),
  ];
};

/** the per-model figures of a run: drift (data) or the primary quality metric and its estimate (quality) */
const modelFigures = (run: RunMetrics): Entry[] => {
  if (run.failed) return [];
  if (run.job === 'data') return dataRunFigures(run.features ?? []);
  return Object.entries(run.modelMetrics ?? {})
    .filter(([name]) => MODEL_QUALITY_METRIC_NAMES.has(name))
    .map(([name, value]) => [name, MetricUnit.NoUnit, value] as Entry);
};

export interface EmfRunMetricsOptions {
  /** the Powertools instance to emit through; it is owned by this publisher (its default dimensions are cleared) */
  readonly metrics?: Metrics;
  /** the instance for Model Monitor's namespace (`compat.modelMonitorMetrics`); made when first needed */
  readonly modelMonitorMetrics?: Metrics;
  readonly now?: () => Date;
}

/**
 * Run metrics as CloudWatch Embedded Metric Format on stdout: Lambda's log pipeline turns them into metrics,
 * with no PutMetricData call and no added latency. Names and dimensions are exactly the contract in
 * functions/shared/telemetry.ts, which the alarms and dashboards read. Each run is flushed on its own, stamped
 * with its window start, so one datapoint lands per window even when a backlog is processed at once.
 */
export const makeEmfRunMetrics = (
  namespace: string = METRICS_NAMESPACE,
  options: EmfRunMetricsOptions = {},
): RunMetricsPublisher => {
  const metrics = options.metrics ?? new Metrics({ namespace, serviceName: SERVICE_NAME });
  // the `service` default dimension would make every alarm spell out one more dimension
  metrics.clearDefaultDimensions();
  const now = options.now ?? (() => new Date());
  let modelMonitorMetrics = options.modelMonitorMetrics;
  const modelMonitorSink = (): Metrics => {
    modelMonitorMetrics ??= new Metrics({
      namespace: MODEL_MONITOR_DATA_NAMESPACE,
      serviceName: SERVICE_NAME,
    });
    modelMonitorMetrics.clearDefaultDimensions();
    return modelMonitorMetrics;
  };

  const emitTo = (
    sink: Metrics,
    dimensions: Dimensions,
    at: Date,
    entries: readonly Entry[],
  ): PublishedMetrics => {
    const skipped: string[] = [];
    const accepted = entries.filter(([name, , value]) => {
      if (!Number.isFinite(value)) skipped.push(`${name}: non-finite value ${value}`);
      else if (name.length > NAME_MAX) skipped.push(`${name.slice(0, 40)}...: name longer than ${NAME_MAX}`);
      else return true;
      return false;
    });
    const age = now().getTime() - at.getTime();
    const stampable = age <= PAST_LIMIT_MS && -age <= FUTURE_LIMIT_MS;
    for (let i = 0; i < accepted.length; i += METRICS_PER_BLOB) {
      // dimensions, metadata and timestamp are cleared by every flush: set them per blob
      sink.addDimensions({ ...dimensions });
      sink.addMetadata('windowStart', at.toISOString());
      if (stampable) sink.setTimestamp(at);
      for (const [name, unit, value] of accepted.slice(i, i + METRICS_PER_BLOB))
        sink.addMetric(name, unit, value);
      sink.publishStoredMetrics();
    }
    return { published: accepted.length, skipped };
  };
  const emit = (dimensions: Dimensions, at: Date, entries: readonly Entry[]): PublishedMetrics =>
    emitTo(metrics, dimensions, at, entries);

  /** the features' drift and completeness under Model Monitor's names, namespace and dimensions */
  const emitModelMonitor = (run: RunMetrics): PublishedMetrics => {
    const compat = run.modelMonitor;
    if (!compat || run.job !== 'data') return { published: 0, skipped: [] };
    const entries: Entry[] = [];
    for (const f of run.features ?? []) {
      if (f.baselineDrift !== undefined)
        entries.push([featureBaselineDriftMetric(f.feature), MetricUnit.NoUnit, f.baselineDrift]);
      if (f.completeness !== undefined)
        entries.push([featureNonNullMetric(f.feature), MetricUnit.NoUnit, f.completeness]);
    }
    if (entries.length === 0) return { published: 0, skipped: [] };
    const dimensions = {
      [MODEL_MONITOR_DIMENSIONS.endpoint]: compat.endpoint,
      [MODEL_MONITOR_DIMENSIONS.schedule]: compat.schedule,
    };
    return emitTo(modelMonitorSink(), dimensions, run.windowStart, entries);
  };

  const merge = (...parts: PublishedMetrics[]): PublishedMetrics => ({
    published: parts.reduce((sum, p) => sum + p.published, 0),
    skipped: parts.flatMap((p) => p.skipped),
  });
  const stackLevel = (job: string): Dimensions => ({ [METRIC_DIMENSIONS.job]: job });
  const perModel = (model: string): Dimensions => ({ [METRIC_DIMENSIONS.model]: model });

  return {
    publishRun(run) {
      const entries: Entry[] = [
        [RUN_METRIC_NAMES.rows, MetricUnit.Count, run.rowCount],
        [RUN_METRIC_NAMES.malformed, MetricUnit.Count, run.malformedCount],
        [RUN_METRIC_NAMES.quarantined, MetricUnit.Count, run.quarantinedObjects],
        [RUN_METRIC_NAMES.violations, MetricUnit.Count, run.violationCount],
        [RUN_METRIC_NAMES.failures, MetricUnit.Count, run.failed ? 1 : 0],
      ];
      if (run.durationMs !== undefined)
        entries.push([RUN_METRIC_NAMES.duration, MetricUnit.Milliseconds, run.durationMs]);
      const figures = modelFigures(run);
      return merge(
        emit(stackLevel(run.job), run.windowStart, entries),
        ...(figures.length > 0 ? [emit(perModel(run.model), run.windowStart, figures)] : []),
        emitModelMonitor(run),
      );
    },

    publishCapture(capture) {
      return emit(stackLevel('capture'), capture.at, [
        [RUN_METRIC_NAMES.captured, MetricUnit.Count, capture.records],
      ]);
    },

    publishRefusal(refusal) {
      return emit(stackLevel('capture'), refusal.at, [[RUN_METRIC_NAMES.refused, MetricUnit.Count, 1]]);
    },
  };
};
