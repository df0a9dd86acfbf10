import { assertFiniteNumbers } from '../finite-json.ts';
import type { DatasetProfile } from '../profile/dataset-profile.ts';
import type { FeatureProfile } from '../profile/feature-profile.ts';
import {
  type ConstraintsFile,
  type FeatureConstraints,
  MODEL_MONITOR_DEFAULTS,
} from './model-monitor-schema.ts';

/**
 * A string feature gets a domain constraint (`categorical_values_check`) only when it looks categorical:
 * at most this many distinct values, and either few values overall or few per row. Free text and ids
 * would otherwise produce a domain that every new window violates.
 */
export const MAX_DOMAIN_SIZE = 100;
const SMALL_DOMAIN = 20;
const MAX_DISTINCT_RATIO = 0.1;

/** Suggests Model Monitor `constraints.json` from a baseline profile, with the container's defaults. */
export const suggestConstraints = (profile: DatasetProfile): ConstraintsFile =>
  assertFiniteNumbers(suggested(profile), 'constraints.json');

const suggested = (profile: DatasetProfile): ConstraintsFile => ({
  version: 0,
  features: profile.features.map(featureConstraints),
  monitoring_config: {
    evaluate_constraints: 'Enabled',
    emit_metrics: 'Enabled',
    datatype_check_threshold: MODEL_MONITOR_DEFAULTS.datatypeCheckThreshold,
    domain_content_threshold: MODEL_MONITOR_DEFAULTS.domainContentThreshold,
    distribution_constraints: {
      perform_comparison: 'Enabled',
      comparison_threshold: MODEL_MONITOR_DEFAULTS.comparisonThreshold,
      comparison_method: MODEL_MONITOR_DEFAULTS.comparisonMethod,
      categorical_comparison_threshold: MODEL_MONITOR_DEFAULTS.categoricalComparisonThreshold,
      categorical_drift_method: MODEL_MONITOR_DEFAULTS.categoricalDriftMethod,
    },
  },
});

const featureConstraints = (feature: FeatureProfile): FeatureConstraints => {
  const total = feature.present + feature.missing;
  const constraints: FeatureConstraints = {
    name: feature.name,
    inferred_type: feature.inferredType,
    completeness: total === 0 ? 0 : feature.present / total,
  };
  const type = feature.inferredType;
  if (type === 'Integral' || type === 'Fractional') {
    constraints.num_constraints = { is_non_negative: feature.numeric.min >= 0 };
  } else if (type === 'String' && looksCategorical(feature)) {
    constraints.string_constraints = {
      domains: feature.categories
        .entries()
        .map(([value]) => value)
        .sort(),
    };
  }
  return constraints;
};

const looksCategorical = (feature: FeatureProfile): boolean => {
  const distinct = feature.categories.distinct;
  if (feature.categories.overflowed || distinct > MAX_DOMAIN_SIZE) return false;
  return distinct <= SMALL_DOMAIN || distinct / Math.max(1, feature.present) <= MAX_DISTINCT_RATIO;
};
