import type { DatasetProfile } from '../profile/dataset-profile.ts';
import type { FeatureProfile, InferredType, KindCounts } from '../profile/feature-profile.ts';
import { KllSketch } from '../sketch/kll-sketch.ts';
import type { WeightedSample } from '../stats/weighted-sample.ts';
import type { FeatureStatistics, StatisticsFile } from './model-monitor-schema.ts';

export interface NumericSummary {
  readonly count: number;
  readonly sum: number;
  readonly mean: number;
  /** population (ddof 0) */
  readonly stdDev: number;
  readonly min: number;
  readonly max: number;
  /** the distribution as a weighted sample; exact when `exact` */
  readonly sample: WeightedSample;
  /** true when the sample is the data itself rather than a compacted sketch */
  readonly exact: boolean;
}

export interface CategoricalSummary {
  readonly counts: ReadonlyMap<string, number>;
  /** values counted but not by name (bounded category table) */
  readonly other: number;
}

/**
 * One feature of a baseline or a window, whichever file it came from: our own profile, or a
 * `statistics.json` that Model Monitor wrote. Drift and data-quality checks only see this shape.
 */
export interface FeatureSummary {
  readonly name: string;
  readonly inferredType: InferredType;
  readonly present: number;
  readonly missing: number;
  /** of the missing, how many were malformed values (see FeatureProfile); unknown for statistics files */
  readonly malformed?: number;
  /** how many present values were of each kind; unknown for Model Monitor baselines */
  readonly kinds?: KindCounts;
  readonly numeric?: NumericSummary;
  readonly categories?: CategoricalSummary;
}

export interface DatasetSummary {
  readonly rows: number;
  readonly features: readonly FeatureSummary[];
}

export const summarizeProfile = (profile: DatasetProfile): DatasetSummary => ({
  rows: profile.rows,
  features: profile.features.map(summarizeFeature),
});

export const summarizeFeature = (feature: FeatureProfile): FeatureSummary => {
  const numeric = feature.numeric;
  const categories = feature.categories;
  return {
    name: feature.name,
    inferredType: feature.inferredType,
    present: feature.present,
    missing: feature.missing,
    malformed: feature.malformed,
    kinds: { ...feature.kinds },
    numeric:
      numeric.count > 0
        ? {
            count: numeric.count,
            sum: numeric.total,
            mean: numeric.average,
            stdDev: numeric.populationStdDev,
            min: numeric.min,
            max: numeric.max,
            sample: numeric.sketch.toWeightedSample(),
            exact: numeric.sketch.isExact,
          }
        : undefined,
    categories:
      categories.total > 0 ? { counts: new Map(categories.entries()), other: categories.other } : undefined,
  };
};

/** Reads the summary of a Model Monitor (or our own) `statistics.json`. */
export const summarizeStatistics = (statistics: StatisticsFile): DatasetSummary => ({
  rows: statistics.dataset.item_count,
  features: statistics.features.map(summarizeFeatureStatistics),
});

const summarizeFeatureStatistics = (feature: FeatureStatistics): FeatureSummary => {
  const numerical = feature.numerical_statistics;
  const strings = feature.string_statistics;
  const common = numerical?.common ?? strings?.common ?? { num_present: 0, num_missing: 0 };
  let numeric: NumericSummary | undefined;
  if (numerical && common.num_present > 0) {
    const { sample, exact } = numericSample(numerical, common.num_present);
    numeric = {
      count: common.num_present,
      sum: numerical.sum,
      mean: numerical.mean,
      stdDev: numerical.std_dev,
      min: numerical.min,
      max: numerical.max,
      sample,
      exact,
    };
  }
  let categories: CategoricalSummary | undefined;
  const buckets = strings?.distribution?.categorical?.buckets;
  if (buckets) {
    const counts = new Map<string, number>();
    let named = 0;
    for (const bucket of buckets) {
      counts.set(bucket.value, (counts.get(bucket.value) ?? 0) + bucket.count);
      named += bucket.count;
    }
    categories = { counts, other: Math.max(0, common.num_present - named) };
  }
  return {
    name: feature.name,
    inferredType: feature.inferred_type,
    present: common.num_present,
    missing: common.num_missing,
    numeric,
    categories,
  };
};

type NumericalStatistics = NonNullable<FeatureStatistics['numerical_statistics']>;

/**
 * The baseline distribution of a numeric feature from a statistics file: the KLL sketch when there is one
 * (Model Monitor always writes it), else the bucket histogram with each bucket's mass at its midpoint.
 */
const numericSample = (
  numerical: NumericalStatistics,
  present: number,
): { sample: WeightedSample; exact: boolean } => {
  const kll = numerical.distribution?.kll;
  if (kll?.sketch?.data.some((level) => level.length > 0)) {
    const sketch = KllSketch.fromJSON({ parameters: kll.sketch!.parameters, data: kll.sketch!.data });
    return { sample: sketch.toWeightedSample(), exact: sketch.isExact && sketch.n === present };
  }
  const values: number[] = [];
  const weights: number[] = [];
  for (const bucket of kll?.buckets ?? []) {
    if (bucket.count <= 0) continue;
    values.push((bucket.lower_bound + bucket.upper_bound) / 2);
    weights.push(bucket.count);
  }
  if (values.length === 0) {
    values.push(numerical.mean);
    weights.push(present);
  }
  return { sample: { values: Float64Array.from(values), weights: Float64Array.from(weights) }, exact: false };
};
