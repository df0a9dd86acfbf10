import type { DatasetSummary, FeatureSummary } from '../baseline/feature-summary.ts';
import type { ConstraintsFile, FeatureConstraints } from '../baseline/model-monitor-schema.ts';
import { effectiveMonitoringConfig } from '../baseline/monitoring-config.ts';
import type { DatasetDrift } from '../drift/compute-drift.ts';
import { baselineDriftDescription } from '../drift/model-monitor-distance.ts';
import { regularizedGammaP } from '../stats/gamma.ts';
import type { ViolationDetail } from './violation.ts';

/**
 * model-care's `value_range_check` (Model Monitor has only `is_non_negative`): do more current values fall
 * outside the baseline's [min, max] than chance allows? A new value from the baseline's own distribution
 * lands outside the range of n baseline values with probability 2 / (n + 1), so with m current values the
 * count outside is about Poisson(2m / (n + 1)); the check fires when seeing at least the observed count has a
 * probability below this. A fixed share would either cry wolf on small windows or sleep through large ones.
 */
export const DEFAULT_RANGE_SIGNIFICANCE = 1e-3;

export interface CheckInput {
  readonly constraints: ConstraintsFile;
  readonly baseline: DatasetSummary;
  readonly current: DatasetSummary;
  /** the window's column names, in file order (missing/extra column checks) */
  readonly currentColumns: readonly string[];
  /** drift results carrying Model Monitor's distances, for baseline_drift_check */
  readonly drift?: DatasetDrift;
  /** @default DEFAULT_RANGE_SIGNIFICANCE */
  readonly rangeSignificance?: number;
}

const percent = (share: number): string => `${Number((share * 100).toFixed(4))}%`;

/**
 * Evaluates a window against a baseline's constraints, as Model Monitor's data-quality job does: column
 * presence, data types, completeness, categorical domains and baseline drift, each against its threshold
 * from `constraints.json` (per-feature overrides first). An empty window produces no violation here; the
 * caller reports "no data" as its own state.
 */
export const checkConstraints = (input: CheckInput): ViolationDetail[] => {
  const { constraints, baseline, current, currentColumns } = input;
  const violations: ViolationDetail[] = [];
  const expected = new Set(constraints.features.map((f) => f.name));
  const present = new Set(currentColumns);

  for (const feature of constraints.features) {
    if (!present.has(feature.name)) {
      violations.push({
        feature_name: feature.name,
        constraint_check_type: 'missing_column_check',
        description: `Column ${feature.name} is in the baseline constraints but missing from the current dataset (${currentColumns.length} columns now, ${constraints.features.length} in the baseline)`,
        value: currentColumns.length,
        threshold: constraints.features.length,
      });
    }
  }
  for (const column of currentColumns) {
    if (!expected.has(column)) {
      violations.push({
        feature_name: column,
        constraint_check_type: 'extra_column_check',
        description: `Column ${column} is in the current dataset but not in the baseline constraints`,
        value: currentColumns.length,
        threshold: constraints.features.length,
      });
    }
  }
  if (current.rows === 0) return violations;

  const currentByName = new Map(current.features.map((f) => [f.name, f]));
  const baselineByName = new Map(baseline.features.map((f) => [f.name, f]));
  const driftByName = new Map((input.drift?.features ?? []).map((f) => [f.name, f]));

  for (const feature of constraints.features) {
    const cur = currentByName.get(feature.name);
    if (!cur) continue;
    const config = effectiveMonitoringConfig(constraints, feature);
    if (!config.evaluateConstraints) continue;
    violations.push(...dataTypeCheck(feature, cur, config.datatypeCheckThreshold));
    violations.push(...completenessCheck(feature, cur));
    violations.push(...categoricalValuesCheck(feature, cur, config.domainContentThreshold));
    violations.push(
      ...valueRangeCheck(
        feature,
        baselineByName.get(feature.name),
        cur,
        input.rangeSignificance ?? DEFAULT_RANGE_SIGNIFICANCE,
      ),
    );
    const drift = driftByName.get(feature.name);
    if (drift?.modelMonitor?.violated && drift.status === 'ok') {
      violations.push({
        feature_name: feature.name,
        constraint_check_type: 'baseline_drift_check',
        description: baselineDriftDescription(drift.modelMonitor.distance, drift.modelMonitor.threshold),
        value: drift.modelMonitor.distance,
        threshold: drift.modelMonitor.threshold,
      });
    }
  }
  return violations;
};

/** Share of present values whose kind fits the baseline type: Fractional accepts integers too. */
export const dataTypeMatchShare = (
  type: FeatureConstraints['inferred_type'],
  cur: FeatureSummary,
): number | null => {
  if (!cur.kinds || cur.present === 0) return null;
  if (type === 'Integral') return cur.kinds.integral / cur.present;
  if (type === 'Fractional') return (cur.kinds.integral + cur.kinds.fractional) / cur.present;
  return null;
};

const dataTypeCheck = (
  feature: FeatureConstraints,
  cur: FeatureSummary,
  threshold: number,
): ViolationDetail[] => {
  const share = dataTypeMatchShare(feature.inferred_type, cur);
  if (share === null || share >= threshold) return [];
  return [
    {
      feature_name: feature.name,
      constraint_check_type: 'data_type_check',
      description: `Data type match requirement is not met. Expected data type: ${feature.inferred_type}, Expected match: ${percent(threshold)}. Observed: Only ${percent(share)} of data is ${feature.inferred_type}.`,
      value: share,
      threshold,
    },
  ];
};

const completenessCheck = (feature: FeatureConstraints, cur: FeatureSummary): ViolationDetail[] => {
  const total = cur.present + cur.missing;
  if (feature.completeness === undefined || total === 0) return [];
  const completeness = cur.present / total;
  if (completeness >= feature.completeness) return [];
  return [
    {
      feature_name: feature.name,
      constraint_check_type: 'completeness_check',
      description: `Data completeness requirement is not met. Expected completeness: ${percent(feature.completeness)}. Observed: Only ${percent(completeness)} of data is complete.`,
      value: completeness,
      threshold: feature.completeness,
    },
  ];
};

const categoricalValuesCheck = (
  feature: FeatureConstraints,
  cur: FeatureSummary,
  threshold: number,
): ViolationDetail[] => {
  const domain = feature.string_constraints?.domains;
  if (!domain || domain.length === 0 || !cur.categories || cur.present === 0) return [];
  const allowed = new Set(domain);
  let inside = 0;
  const outside: string[] = [];
  for (const [value, count] of cur.categories.counts) {
    if (allowed.has(value)) inside += count;
    else outside.push(value);
  }
  // values counted only in the overflow bucket cannot be shown to be in the domain
  const share = inside / cur.present;
  if (share >= threshold) return [];
  const examples = outside.slice(0, 5).join(', ');
  return [
    {
      feature_name: feature.name,
      constraint_check_type: 'categorical_values_check',
      description: `Categorical value match requirement is not met. Expected match: ${percent(threshold)}. Observed: Only ${percent(share)} of data is within the baseline domain${examples ? `; values outside it include: ${examples}` : ''}.`,
      value: share,
      threshold,
    },
  ];
};

const valueRangeCheck = (
  feature: FeatureConstraints,
  base: FeatureSummary | undefined,
  cur: FeatureSummary,
  significance: number,
): ViolationDetail[] => {
  const numeric = cur.numeric;
  if (!numeric || numeric.count === 0) return [];
  const violations: ViolationDetail[] = [];
  if (feature.num_constraints?.is_non_negative && numeric.min < 0) {
    violations.push({
      feature_name: feature.name,
      constraint_check_type: 'value_range_check',
      description: `Non-negativity requirement is not met: the baseline had no negative value, the current minimum is ${numeric.min}.`,
      value: numeric.min,
      threshold: 0,
    });
  }
  const range = base?.numeric;
  if (range) {
    const { inside, total } = countWithin(numeric.sample, range.min, range.max);
    const outside = total - inside;
    const expectedOutside = 2 / (range.count + 1);
    // P(Poisson(m p) >= outside) is the lower regularized gamma P(outside, m p)
    const pValue = outside === 0 ? 1 : regularizedGammaP(outside, total * expectedOutside);
    if (pValue < significance) {
      violations.push({
        feature_name: feature.name,
        constraint_check_type: 'value_range_check',
        description: `Value range requirement is not met. ${percent(outside / total)} of data is outside the baseline range [${range.min}, ${range.max}] where ${percent(expectedOutside)} is expected (p = ${pValue.toExponential(2)}, current range [${numeric.min}, ${numeric.max}]).`,
        value: inside / total,
        threshold: 1 - expectedOutside,
      });
    }
  }
  return violations;
};

const countWithin = (
  sample: { values: ArrayLike<number>; weights: ArrayLike<number> },
  min: number,
  max: number,
): { inside: number; total: number } => {
  let inside = 0;
  let total = 0;
  for (let i = 0; i < sample.values.length; i++) {
    const w = sample.weights[i]!;
    const v = sample.values[i]!;
    total += w;
    if (v >= min && v <= max) inside += w;
  }
  return { inside, total };
};
