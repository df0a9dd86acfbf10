import type { WeightedSample } from '../stats/weighted-sample.ts';

export const MODEL_MONITOR_BUCKET_COUNT = 10;

export type KllBucket = { lower_bound: number; upper_bound: number; count: number };

/**
 * Model Monitor's histogram of a numeric feature: equal-width buckets from min to max, each half-open
 * [lower, upper) except the last, which also holds max. Bounds are computed as min + (max - min) * i / b,
 * which reproduces the container's printed bounds (0.6 * 3 would print 1.7999999999999998, it prints 1.8).
 */
export const kllBuckets = (
  sample: WeightedSample,
  min: number,
  max: number,
  bucketCount: number = MODEL_MONITOR_BUCKET_COUNT,
): KllBucket[] => {
  if (!(max > min)) {
    let total = 0;
    for (let i = 0; i < sample.weights.length; i++) total += sample.weights[i]!;
    return [{ lower_bound: min, upper_bound: max, count: total }];
  }
  const bounds = Array.from({ length: bucketCount + 1 }, (_, i) =>
    i === bucketCount ? max : min + ((max - min) * i) / bucketCount,
  );
  const counts = new Array<number>(bucketCount).fill(0);
  let bucket = 0;
  // values arrive ascending, so the bucket index only moves forward
  for (let i = 0; i < sample.values.length; i++) {
    const value = sample.values[i]!;
    while (bucket < bucketCount - 1 && value >= bounds[bucket + 1]!) bucket += 1;
    counts[bucket]! += sample.weights[i]!;
  }
  return counts.map((count, i) => ({ lower_bound: bounds[i]!, upper_bound: bounds[i + 1]!, count }));
};
