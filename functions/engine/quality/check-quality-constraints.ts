import type { QualityConstraint, QualityConstraints } from './load-quality-constraints.ts';
import type { ComparisonOperator, QualityMetrics, QualityViolation } from './quality-constraints-format.ts';

/** A constraint that could not be evaluated, and why: reported, never dropped silently. */
export interface SkippedConstraint {
  readonly metric_name: string;
  readonly reason: string;
}

export interface QualityCheckResult {
  /** Model Monitor's constraint_violations.json is `{ "violations": <this> }` */
  readonly violations: QualityViolation[];
  readonly skipped: SkippedConstraint[];
}

export interface CheckOptions {
  /**
   * Model Monitor's swapped r2 of the same window (`RegressionAccumulator.modelMonitorR2()`), needed to
   * evaluate an r2 threshold imported from Model Monitor. Without it such a constraint is skipped.
   */
  readonly modelMonitorR2?: number;
  /**
   * How far past its threshold, relative to max(1, |threshold|), a value must be to breach it. Model
   * Monitor's thresholds are baseline values summed in Spark's order; the same data summed in another
   * order differs in the last bits, and a baseline must not violate its own constraints.
   * @default 1e-9
   */
  readonly relativeTolerance?: number;
}

const breaches = (value: number, operator: ComparisonOperator, threshold: number, slack: number): boolean => {
  switch (operator) {
    case 'LessThanThreshold':
      return value < threshold - slack;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold + slack;
    case 'GreaterThanThreshold':
      return value > threshold + slack;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold - slack;
  }
};

const valueFor = (
  constraint: QualityConstraint,
  metrics: Record<string, unknown>,
  options: CheckOptions,
): number | string => {
  if (constraint.swappedR2 === true) {
    return options.modelMonitorR2 ?? "Model Monitor's swapped r2 was not supplied (options.modelMonitorR2)";
  }
  if (constraint.key === undefined) return 'model-care does not compute this metric';
  const value = metrics[constraint.key];
  if (typeof value !== 'number') return 'metric missing from the computed metrics';
  return value;
};

/**
 * Checks computed metrics against model-quality constraints, as a Model Monitor monitoring job does.
 *
 * Each breached constraint becomes a violation in Model Monitor's model-quality form:
 * `{ metric_name, constraint_check_type: <the comparison operator>, description: "Metric <m> with <v> was
 * <operator> <threshold>" }`. Comparisons allow a relative slack of `relativeTolerance` (default 1e-9),
 * so that rounding noise neither raises nor hides a violation: a value within the slack counts as equal.
 * A metric that is NaN (e.g. AUC on a one-class window), unknown to model-care, or a Model Monitor r2
 * without its swapped counterpart, is listed in `skipped` with the reason.
 */
export const checkQualityConstraints = (
  metrics: QualityMetrics,
  constraints: QualityConstraints,
  options: CheckOptions = {},
): QualityCheckResult => {
  const values = metrics as unknown as Record<string, unknown>;
  const tolerance = options.relativeTolerance ?? 1e-9;
  const slackFor = (threshold: number) => tolerance * Math.max(1, Math.abs(threshold));
  const violations: QualityViolation[] = [];
  const skipped: SkippedConstraint[] = [];
  for (const constraint of constraints.constraints) {
    const value = valueFor(constraint, values, options);
    if (typeof value === 'string') {
      skipped.push({ metric_name: constraint.metric, reason: value });
    } else if (Number.isNaN(value)) {
      skipped.push({ metric_name: constraint.metric, reason: 'metric is undefined (NaN) on this window' });
    } else if (breaches(value, constraint.operator, constraint.threshold, slackFor(constraint.threshold))) {
      violations.push({
        metric_name: constraint.metric,
        constraint_check_type: constraint.operator,
        description: `Metric ${constraint.metric} with ${value} was ${constraint.operator} ${constraint.threshold}`,
      });
    }
  }
  return { violations, skipped };
};
