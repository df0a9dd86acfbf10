import type { DatasetSummary } from '../baseline/feature-summary.ts';
import { type KllBucket, kllBuckets } from '../baseline/kll-buckets.ts';
import type { StatisticsFile } from '../baseline/model-monitor-schema.ts';
import type { FeatureDistributions } from './run-summary.ts';

/**
 * Baseline against a window, feature by feature, on the baseline's own buckets (numbers: the KLL buckets of
 * statistics.json, the rule Model Monitor's histogram uses) or categories, for the page's distribution charts.
 * Features without a distribution in the baseline are left out.
 */
export const featureDistributions = (
  statistics: StatisticsFile,
  current: DatasetSummary,
): FeatureDistributions[] => {
  const byName = new Map(current.features.map((f) => [f.name, f]));
  return statistics.features.flatMap((feature): FeatureDistributions[] => {
    const now = byName.get(feature.name);
    const stats = feature.numerical_statistics;
    const buckets = stats?.distribution?.kll?.buckets as KllBucket[] | undefined;
    if (stats && buckets && buckets.length > 0) {
      const sample = now?.numeric?.sample;
      const counts =
        sample && sample.values.length > 0
          ? kllBuckets(sample, stats.min, stats.max, buckets.length).map((b) => b.count)
          : buckets.map(() => 0);
      const labels = [
        ...buckets.map((b) => String(Number(b.lower_bound.toFixed(2)))),
        String(Number(buckets.at(-1)!.upper_bound.toFixed(2))),
      ];
      return [
        {
          name: feature.name,
          type: 'numerical',
          baseline: { labels, counts: buckets.map((b) => b.count) },
          current: { labels, counts },
        },
      ];
    }
    const categories = feature.string_statistics?.distribution?.categorical?.buckets ?? [];
    if (categories.length === 0) return [];
    const labels = categories.map((c) => c.value);
    return [
      {
        name: feature.name,
        type: 'categorical',
        baseline: { labels, counts: categories.map((c) => c.count) },
        current: { labels, counts: labels.map((l) => now?.categories?.counts.get(l) ?? 0) },
      },
    ];
  });
};
