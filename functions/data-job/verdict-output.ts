import type { MetricPoint } from '../adapters/metric-repository.ts';
import type { FeatureMetrics } from '../adapters/run-metrics.ts';
import type { DatasetVerdict } from '../engine/verdicts/dataset-verdict.ts';
import { DATASET_FEATURE, type MonitoringViolation } from '../handler-kit/monitoring-violation.ts';
import { storableEvidence } from '../shared/verdict-context.ts';

const capped = storableEvidence;

/** `sequential_drift_check` when features alarm for the first time against this reference */
export const sequentialViolations = (verdict: DatasetVerdict): MonitoringViolation[] => {
  if (verdict.newAlarms.length === 0) return [];
  const alarmed = verdict.features.filter((f) => verdict.newAlarms.includes(f.name));
  const strongest = Math.max(...alarmed.map((f) => f.evidence));
  return [
    {
      featureName: DATASET_FEATURE,
      constraintCheckType: 'sequential_drift_check',
      description:
        `Sequential drift evidence: ${verdict.summary}; ` +
        alarmed
          .map((f) => `${f.name} evidence ${f.evidence.toPrecision(3)} (${f.witness ?? 'no witness'})`)
          .join(', '),
      value: capped(strongest),
      threshold: verdict.threshold,
    },
  ];
};

/** the evidence per feature, for the metric series */
export const verdictMetricPoints = (verdict: DatasetVerdict): MetricPoint[] =>
  verdict.features.map((f) => ({ feature: f.name, metric: 'drift_evidence', value: capped(f.evidence) }));

/** the evidence per feature as CloudWatch feature metrics (`feature_drift_evidence_<feature>`), merged into the run's */
export const withEvidenceMetrics = (
  features: readonly FeatureMetrics[],
  verdict: DatasetVerdict,
): FeatureMetrics[] => {
  const evidence = new Map(verdict.features.map((f) => [f.name, capped(f.evidence)]));
  const merged = features.map((f) =>
    evidence.has(f.feature) ? { ...f, extra: { ...f.extra, drift_evidence: evidence.get(f.feature)! } } : f,
  );
  for (const [feature, value] of evidence)
    if (!features.some((f) => f.feature === feature))
      merged.push({ feature, extra: { drift_evidence: value } });
  return merged;
};

/** what the run record keeps of the verdict */
export const verdictSummary = (verdict: DatasetVerdict) => ({
  status: verdict.status,
  alarm: verdict.alarm,
  newAlarms: verdict.newAlarms,
  alarmed: verdict.features.filter((f) => f.alarmedSince !== null).map((f) => f.name),
  summary: verdict.summary,
});
