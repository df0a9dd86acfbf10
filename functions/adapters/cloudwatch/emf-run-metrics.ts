import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  featureBaselineDriftMetric,
  featureNonNullMetric,
  METRIC_DIMENSIONS,
  METRICS_NAMESPACE,
  type MetricJob,
  MODEL_MONITOR_DATA_NAMESPACE,
  MODEL_MONITOR_DIMENSIONS,
  RUN_METRIC_NAMES,
  SERVICE_NAME,
} from '../../shared/telemetry.ts';
import type { PublishedMetrics, RunMetrics, RunMetricsPublisher } from '../run-metrics.ts';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];
type Entry = [name: string, unit: Unit, value: number];

/** EMF allows 100 metrics per log line; Powertools flushes by itself at 100 and would drop our dimensions */
const METRICS_PER_BLOB = 100;
const NAME_MAX = 255;
/** CloudWatch accepts EMF timestamps from 14 days back to 2 hours ahead; a margin keeps clear of the edges */
const PAST_LIMIT_MS = 14 * 86_400_000 - 3_600_000;
const FUTURE_LIMIT_MS = 2 * 3_600_000 - 60_000;

/** further per-feature statistics of ours, e.g. `feature_psi_<feature>`; not read by alarms or dashboards */
const featureMetric = (statistic: string, feature: string): string => `feature_${statistic}_${feature}`;

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
    if (!modelMonitorMetrics) {
      modelMonitorMetrics = new Metrics({
        namespace: MODEL_MONITOR_DATA_NAMESPACE,
        serviceName: SERVICE_NAME,
      });
    }
    modelMonitorMetrics.clearDefaultDimensions();
    return modelMonitorMetrics;
  };

  const emitTo = (
    sink: Metrics,
    dimensions: Readonly<Record<string, string>>,
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
      sink.addDimensions(dimensions);
      sink.addMetadata('windowStart', at.toISOString());
      if (stampable) sink.setTimestamp(at);
      for (const [name, unit, value] of accepted.slice(i, i + METRICS_PER_BLOB))
        sink.addMetric(name, unit, value);
      sink.publishStoredMetrics();
    }
    return { published: accepted.length, skipped };
  };

  const emit = (model: string, job: MetricJob, at: Date, entries: readonly Entry[]): PublishedMetrics =>
    emitTo(metrics, { [METRIC_DIMENSIONS.model]: model, [METRIC_DIMENSIONS.job]: job }, at, entries);

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
      for (const f of run.features ?? []) {
        if (f.baselineDrift !== undefined)
          entries.push([featureBaselineDriftMetric(f.feature), MetricUnit.NoUnit, f.baselineDrift]);
        if (f.completeness !== undefined)
          entries.push([featureNonNullMetric(f.feature), MetricUnit.NoUnit, f.completeness]);
        for (const [name, value] of Object.entries(f.extra ?? {})) {
          entries.push([featureMetric(name, f.feature), MetricUnit.NoUnit, value]);
        }
      }
      for (const [name, value] of Object.entries(run.modelMetrics ?? {}))
        entries.push([name, MetricUnit.NoUnit, value]);
      const own = emit(run.model, run.job, run.windowStart, entries);
      const compat = emitModelMonitor(run);
      return { published: own.published + compat.published, skipped: [...own.skipped, ...compat.skipped] };
    },

    publishCapture(capture) {
      return emit(capture.model, 'capture', capture.at, [
        [RUN_METRIC_NAMES.captured, MetricUnit.Count, capture.records],
      ]);
    },

    publishRefusal(refusal) {
      return emit(refusal.model, 'capture', refusal.at, [[RUN_METRIC_NAMES.refused, MetricUnit.Count, 1]]);
    },
  };
};
