import { type MetricPoint, MODEL_LEVEL_FEATURE } from '../adapters/metric-repository.ts';
import type { QualityEvaluation } from '../engine/quality/evaluate-quality.ts';
import type { QualityCheckResult, QualityConstraints } from '../engine/quality/index.ts';
import type { PerformanceEstimate } from '../engine/quality/performance-estimate.ts';
import type { MonitoringViolation } from '../handler-kit/monitoring-violation.ts';
import { type ProblemType, QUALITY_METRICS } from '../shared/config/vocabulary.ts';
import type { Detection, FeedResult } from './concept-drift.ts';

const DETECTOR_NAMES: Record<Detection['detector'], string> = {
  adwin: 'ADWIN',
  ddm: 'DDM',
  page_hinkley: 'Page-Hinkley',
};

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** the numeric metrics of the problem type under their QUALITY_METRICS names (CloudWatch, alarms, series) */
export const headlineMetrics = (
  problem: ProblemType,
  evaluation: QualityEvaluation,
): Record<string, number> => {
  const values = evaluation.metrics as unknown as Record<string, unknown>;
  const metrics: Record<string, number> = {};
  for (const name of QUALITY_METRICS[problem]) {
    const value = values[name];
    if (finite(value)) metrics[name] = value;
  }
  return metrics;
};

export interface QualityViolationInputs {
  readonly evaluation: QualityEvaluation;
  readonly constraints: QualityConstraints;
  readonly check: QualityCheckResult | null;
  readonly drift: FeedResult;
  readonly fairnessThreshold: number;
}

/** model-quality constraint breaches, concept drift found in this run, and fairness gaps over the threshold */
export const qualityViolations = (inputs: QualityViolationInputs): MonitoringViolation[] => {
  const violations: MonitoringViolation[] = [];
  const values = inputs.evaluation.metrics as unknown as Record<string, unknown>;
  for (const breach of inputs.check?.violations ?? []) {
    const constraint = inputs.constraints.constraints.find((c) => c.metric === breach.metric_name);
    const key = constraint?.key ?? breach.metric_name;
    const value = values[key];
    violations.push({
      featureName: key,
      constraintCheckType: 'model_quality_check',
      description: breach.description,
      ...(finite(value) ? { value } : {}),
      ...(constraint ? { threshold: constraint.threshold } : {}),
    });
  }
  const drifts = new Map<string, Detection>();
  for (const d of inputs.drift.detections)
    if (d.kind === 'drift' && !drifts.has(d.detector)) drifts.set(d.detector, d);
  for (const d of drifts.values()) {
    violations.push({
      featureName: d.detector,
      constraintCheckType: 'concept_drift_check',
      description:
        `${DETECTOR_NAMES[d.detector]} detected a change in the prediction error stream at labelled prediction ` +
        `${d.position} (error estimate now ${d.errorEstimate.toFixed(4)})`,
      value: d.errorEstimate,
    });
  }
  const fairness = inputs.evaluation.fairness;
  if (fairness) {
    const gaps: [string, number][] = [
      ['demographic_parity_difference', fairness.demographicParityDifference],
      ['equal_opportunity_difference', fairness.equalOpportunityDifference],
    ];
    for (const [name, gap] of gaps) {
      if (finite(gap) && gap > inputs.fairnessThreshold) {
        violations.push({
          featureName: name,
          constraintCheckType: 'fairness_check',
          description: `${name.replaceAll('_', ' ')} across segments is ${gap.toFixed(4)}, over ${inputs.fairnessThreshold}`,
          value: gap,
          threshold: inputs.fairnessThreshold,
        });
      }
    }
  }
  return violations;
};

/** the metric time series of a quality run (DynamoDB): model level, per segment, the estimate, the detectors */
export const qualityMetricPoints = (inputs: {
  readonly problem: ProblemType;
  readonly evaluation: QualityEvaluation;
  readonly estimate: PerformanceEstimate | null;
  readonly predictions: number;
  readonly drift: FeedResult;
  readonly segmentFeature?: string;
}): MetricPoint[] => {
  const points: MetricPoint[] = [];
  const add = (feature: string, metric: string, value: unknown): void => {
    if (finite(value)) points.push({ feature, metric, value });
  };
  const { evaluation } = inputs;
  for (const [metric, value] of Object.entries(headlineMetrics(inputs.problem, evaluation))) {
    add(MODEL_LEVEL_FEATURE, metric, value);
  }
  add(MODEL_LEVEL_FEATURE, 'predictions', inputs.predictions);
  add(MODEL_LEVEL_FEATURE, 'labelled', evaluation.rows);
  add(MODEL_LEVEL_FEATURE, 'unmatched_predictions', evaluation.unmatched.predictions);
  add(MODEL_LEVEL_FEATURE, 'unmatched_labels', evaluation.unmatched.labels);
  if (inputs.estimate) {
    for (const name of ['accuracy', 'precision', 'recall', 'f1'] as const) {
      add(MODEL_LEVEL_FEATURE, `estimated_${name}`, inputs.estimate[name].value);
      add(MODEL_LEVEL_FEATURE, `estimated_${name}_se`, inputs.estimate[name].standardError);
    }
  }
  add(MODEL_LEVEL_FEATURE, 'error_estimate', inputs.drift.adwin.estimate);
  add(MODEL_LEVEL_FEATURE, 'concept_drift', Number(inputs.drift.detections.some((d) => d.kind === 'drift')));
  if (evaluation.fairness) {
    add(
      MODEL_LEVEL_FEATURE,
      'demographic_parity_difference',
      evaluation.fairness.demographicParityDifference,
    );
    add(MODEL_LEVEL_FEATURE, 'equal_opportunity_difference', evaluation.fairness.equalOpportunityDifference);
  }
  for (const [segment, metrics] of Object.entries(evaluation.segments ?? {})) {
    const feature = `${inputs.segmentFeature ?? 'segment'}=${segment}`;
    for (const name of QUALITY_METRICS[inputs.problem])
      add(feature, name, (metrics as unknown as Record<string, unknown>)[name]);
  }
  return points;
};
