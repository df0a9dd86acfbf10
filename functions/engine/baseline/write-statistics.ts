import { InputError } from '../errors.ts';
import { assertFiniteNumbers } from '../finite-json.ts';
import type { DatasetProfile } from '../profile/dataset-profile.ts';
import type { FeatureProfile } from '../profile/feature-profile.ts';
import { kllBuckets } from './kll-buckets.ts';
import type { FeatureStatistics, StatisticsFile } from './model-monitor-schema.ts';

/** Model Monitor writes `version: 0.0`; keeping it lets its own tools read our files. */
export const STATISTICS_FILE_VERSION = 0;

/**
 * Renders a profile as Model Monitor's `statistics.json`: the same fields, the same population std_dev,
 * the same 10 equal-width KLL buckets and the sketch itself (`parameters`, `data` per level), so either
 * tool can read the other's baseline.
 *
 * Refuses what no check could use: a profile of no rows or no feature (BaselineProfileError), and a number
 * JSON would write as null (NonFiniteNumberError, a bug: the profile keeps such values out).
 */
export const toStatisticsFile = (profile: DatasetProfile, source = 'the input'): StatisticsFile => {
  assertBaselineProfile(profile, source);
  return assertFiniteNumbers(
    {
      version: STATISTICS_FILE_VERSION,
      dataset: { item_count: profile.rows },
      features: profile.features.map(featureStatistics),
    },
    'statistics.json',
  );
};

/** A profile that cannot become a baseline: no row or no feature to judge a window against. */
export class BaselineProfileError extends InputError {}

/** Throws BaselineProfileError naming `source` when `profile` has no row or no column. */
export const assertBaselineProfile = (profile: DatasetProfile, source: string): void => {
  if (profile.rows === 0) {
    const skipped = profile.malformed > 0 ? ` (${profile.malformed} malformed record(s) skipped)` : '';
    throw new BaselineProfileError(
      { file: source },
      `no rows to build a baseline from${skipped}: nothing written`,
    );
  }
  if (profile.columns.length === 0)
    throw new BaselineProfileError(
      { file: source },
      'no features left to build a baseline from: nothing written',
    );
};

const featureStatistics = (feature: FeatureProfile): FeatureStatistics => {
  const type = feature.inferredType;
  const common = { num_present: feature.present, num_missing: feature.missing };
  if (type === 'Integral' || type === 'Fractional') {
    const numeric = feature.numeric;
    const sketch = numeric.sketch.toJSON();
    return {
      name: feature.name,
      inferred_type: type,
      numerical_statistics: {
        common,
        mean: numeric.average,
        sum: numeric.total,
        std_dev: numeric.populationStdDev,
        min: numeric.min,
        max: numeric.max,
        distribution: {
          kll: {
            buckets: kllBuckets(numeric.sketch.toWeightedSample(), numeric.min, numeric.max),
            sketch: { parameters: sketch.parameters, data: sketch.data },
          },
        },
      },
    };
  }
  if (type === 'String') {
    return {
      name: feature.name,
      inferred_type: type,
      string_statistics: {
        common,
        distinct_count: feature.categories.distinct,
        distribution: {
          categorical: {
            buckets: feature.categories.entries().map(([value, count]) => ({ value, count })),
          },
        },
      },
    };
  }
  return { name: feature.name, inferred_type: type, string_statistics: { common } };
};
