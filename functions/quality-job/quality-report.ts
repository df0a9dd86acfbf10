import type { RunStatus } from '../adapters/run-repository.ts';
import type { FirstLabels } from '../engine/labels/first-label-wins.ts';
import type { QualityEvaluation } from '../engine/quality/evaluate-quality.ts';
import type { QualityCheckResult } from '../engine/quality/index.ts';
import type { PerformanceEstimate } from '../engine/quality/performance-estimate.ts';
import type { MonitoringViolation } from '../handler-kit/monitoring-violation.ts';
import type { WindowRange } from '../shared/events.ts';
import type { FeedResult } from './concept-drift.ts';
import type { OperationalOutcome } from './operational-health.ts';
import type { ResolvedConstraints } from './quality-constraints.ts';
import type { LabelBatch, WindowLabels } from './window-labels.ts';
import type { WindowPredictions } from './window-predictions.ts';

/** the first malformed records of predictions and labels kept in the report */
const SAMPLES = 100;

/**
 * `reports/<model>/quality/<windowStart>/report.json`: everything a quality run found, for people and the
 * dashboard. Fields may be added, never renamed (as the data report).
 */
export const qualityReport = (run: {
  readonly runId: string;
  readonly model: string;
  readonly window: WindowRange;
  readonly status: RunStatus;
  readonly evaluation: QualityEvaluation;
  readonly constraints: ResolvedConstraints;
  readonly check: QualityCheckResult | null;
  readonly minLabelled: number;
  readonly violations: readonly MonitoringViolation[];
  readonly drift: FeedResult;
  readonly estimate: PerformanceEstimate | null;
  readonly predictions: WindowPredictions;
  readonly labels: WindowLabels;
  /** the labels once each inference id keeps its first (first-label-wins.ts) */
  readonly firstLabels: FirstLabels<LabelBatch>;
  readonly horizonHours: number;
  readonly operational: OperationalOutcome;
}) => ({
  formatVersion: 1,
  runId: run.runId,
  model: run.model,
  window: run.window,
  status: run.status,
  evaluation: run.evaluation,
  constraints: {
    source: run.constraints.source,
    checked: run.check !== null,
    skipped:
      run.check?.skipped ??
      (run.evaluation.rows < run.minLabelled
        ? [{ reason: `fewer than ${run.minLabelled} labelled predictions` }]
        : []),
    warnings: run.constraints.constraints.warnings,
  },
  violations: run.violations,
  conceptDrift: run.drift,
  operational: run.operational,
  estimate: run.estimate,
  predictions: {
    count: run.predictions.byId.size,
    objects: run.predictions.objects,
    unreadable: run.predictions.unreadable,
  },
  labels: {
    objects: run.labels.batches.length,
    records: run.labels.batches.reduce((n, b) => n + b.labels.length, 0),
    unreadable: run.labels.unreadable,
    horizonHours: run.horizonHours,
    // an inference id labelled again: the first label counts, the later ones are only counted here
    duplicates: run.firstLabels.duplicates,
    conflicts: run.firstLabels.conflicts,
    conflictSamples: run.firstLabels.conflictSamples,
  },
  malformedRecords: run.predictions.malformed.count + run.labels.malformed.count,
  malformedSamples: [...run.predictions.malformed.lines(), ...run.labels.malformed.lines()].slice(0, SAMPLES),
});
