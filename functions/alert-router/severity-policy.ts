import type { MonitoringViolation } from '../handler-kit/monitoring-violation.ts';
import { SEVERITIES, type Severity } from '../shared/config/vocabulary.ts';

/**
 * The severity policy. Each check has a base severity; a violation whose margin reaches the model's
 * `alerts.criticalFactor` goes one step up. Missing data and model-quality violations are warnings at least.
 *
 * | check                                              | base    |
 * |----------------------------------------------------|---------|
 * | extra_column_check, categorical_values_check, value_range_check | info |
 * | everything else (drift, completeness, types, missing columns, no data, model quality, concept drift, fairness, operational) | warning |
 *
 * The margin says how far past its threshold a violation is, as a multiple:
 * - a measure that must stay below its threshold (a drift distance, an error, a fairness gap): value / threshold;
 * - a share that must stay above it (completeness, type or domain or range share, accuracy-like metrics in
 *   [0, 1]): the shortfall against what the threshold allows, (1 - value) / max(1 - threshold, 0.01);
 * - a p-value that must stay above it (chi-squared drift): threshold / value.
 */

const INFO_CHECKS: ReadonlySet<string> = new Set([
  'extra_column_check',
  'categorical_values_check',
  'value_range_check',
]);

/** shares: the violation is falling short of a share in [0, 1] */
const SHARE_CHECKS: ReadonlySet<string> = new Set([
  'completeness_check',
  'data_type_check',
  'categorical_values_check',
  'value_range_check',
  'model_quality_check',
]);

const MIN_ALLOWED_SHORTFALL = 0.01;

export const baseSeverity = (check: string): Severity => (INFO_CHECKS.has(check) ? 'info' : 'warning');

/** how many times past its threshold the violation is; undefined when it carries no figures to tell */
export const marginOf = (violation: MonitoringViolation): number | undefined => {
  const { value, threshold } = violation;
  if (
    value === undefined ||
    threshold === undefined ||
    !Number.isFinite(value) ||
    !Number.isFinite(threshold)
  ) {
    return undefined;
  }
  if (value > threshold) return threshold > 0 ? value / threshold : Number.POSITIVE_INFINITY;
  if (value === threshold) return 1;
  // below the threshold is the violation: a share or score falling short, or a p-value too small
  if (SHARE_CHECKS.has(violation.constraintCheckType) && value >= 0 && threshold <= 1) {
    return (1 - value) / Math.max(1 - threshold, MIN_ALLOWED_SHORTFALL);
  }
  return value > 0 ? threshold / value : Number.POSITIVE_INFINITY;
};

const stepUp = (severity: Severity): Severity =>
  SEVERITIES[Math.min(SEVERITIES.indexOf(severity) + 1, SEVERITIES.length - 1)] ?? severity;

export const severityOf = (violation: MonitoringViolation, criticalFactor: number): Severity => {
  const base = baseSeverity(violation.constraintCheckType);
  const margin = marginOf(violation);
  return margin !== undefined && margin >= criticalFactor ? stepUp(base) : base;
};

export const maxSeverity = (severities: Iterable<Severity>): Severity => {
  let worst: Severity = 'info';
  for (const s of severities) if (SEVERITIES.indexOf(s) > SEVERITIES.indexOf(worst)) worst = s;
  return worst;
};
