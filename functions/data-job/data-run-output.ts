import type { MetricPoint } from '../adapters/metric-repository.ts';
import type { FeatureMetrics } from '../adapters/run-metrics.ts';
import type { RunStatus } from '../adapters/run-repository.ts';
import type { DriftReport } from '../engine/report/drift-report.ts';
import {
  DATASET_FEATURE,
  fromEngineViolation,
  type MonitoringViolation,
} from '../handler-kit/monitoring-violation.ts';
import type { WindowRange } from '../shared/events.ts';

/** A number worth storing: DynamoDB and CloudWatch take finite numbers only. */
const finite = (value: number | null | undefined): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/**
 * What a data run reports as violations: the engine's data-quality and Model Monitor drift checks, the
 * dataset-level drift verdict, and, for an empty window, `no_data_check` alone (the other checks say nothing
 * about a window without rows, and silence itself is what needs an alert).
 */
export const dataViolations = (report: DriftReport, window: WindowRange): MonitoringViolation[] => {
  if (report.dataset.rowsCurrent === 0) {
    return [
      {
        featureName: DATASET_FEATURE,
        constraintCheckType: 'no_data_check',
        description: `No capture records in the window ${window.start} - ${window.end}: the model got no traffic, or its capture is not arriving.`,
        value: 0,
      },
    ];
  }
  const violations = report.violationDetails.map(fromEngineViolation);
  if (report.dataset.drifted) {
    const drifted = report.features.filter((f) => f.drifted).map((f) => f.name);
    violations.push({
      featureName: DATASET_FEATURE,
      constraintCheckType: 'baseline_drift_check',
      description:
        `Dataset drift: ${drifted.length} of ${report.features.filter((f) => f.status === 'ok').length} judged ` +
        `features drifted (${drifted.join(', ')}); share ${report.dataset.driftedShare.toFixed(4)} >= ` +
        `${report.dataset.driftShareThreshold}`,
      value: report.dataset.driftedShare,
      threshold: report.dataset.driftShareThreshold,
    });
  }
  return violations;
};

export const dataRunStatus = (report: DriftReport, violations: readonly MonitoringViolation[]): RunStatus =>
  report.dataset.rowsCurrent === 0 ? 'no-data' : violations.length > 0 ? 'violations' : 'ok';

/** per-feature figures for CloudWatch, under Model Monitor's metric names */
export const featureMetrics = (report: DriftReport): FeatureMetrics[] =>
  report.features.map((f) => {
    const distance = f.modelMonitor?.distance;
    const completeness = f.currentCount > 0 || f.missingShare > 0 ? 1 - f.missingShare : undefined;
    return {
      feature: f.name,
      drifted: f.drifted,
      ...(finite(distance) ? { baselineDrift: distance } : {}),
      ...(finite(completeness) ? { completeness } : {}),
    };
  });

/** the metric time series of a run (DynamoDB), per feature and for the dataset */
export const dataMetricPoints = (
  report: DriftReport,
  run: {
    readonly rows: number;
    readonly malformed: number;
    readonly quarantined: number;
    readonly violations: number;
  },
): MetricPoint[] => {
  const points: MetricPoint[] = [];
  const add = (feature: string, metric: string, value: number | null | undefined): void => {
    if (finite(value)) points.push({ feature, metric, value });
  };
  for (const f of report.features) {
    add(f.name, 'baseline_drift', f.modelMonitor?.distance);
    add(f.name, 'drift_statistic', f.statistic);
    add(f.name, 'p_value', f.pValue);
    add(f.name, 'drifted', f.status === 'ok' ? Number(f.drifted) : undefined);
    add(f.name, 'completeness', f.currentCount > 0 ? 1 - f.missingShare : undefined);
    add(f.name, 'psi', f.metrics.psi);
    add(f.name, 'jensen_shannon', f.metrics.jensenShannon);
    add(f.name, 'wasserstein_normed', f.metrics.wassersteinNormed);
  }
  add(DATASET_FEATURE, 'drifted_share', report.dataset.driftedShare);
  add(DATASET_FEATURE, 'rows_processed', run.rows);
  add(DATASET_FEATURE, 'malformed_records', run.malformed);
  add(DATASET_FEATURE, 'quarantined_objects', run.quarantined);
  add(DATASET_FEATURE, 'constraint_violations', run.violations);
  return points;
};
