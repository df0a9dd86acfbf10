import { KllSketch, type KllSketchJson } from '../sketch/kll-sketch.ts';
import { ExactSum } from './exact-sum.ts';

export interface NumericAccumulatorJson {
  count: number;
  sum: number[];
  mean: number;
  m2: number;
  /** null while count is 0: JSON has no infinities, and the extremes of nothing are none */
  min: number | null;
  max: number | null;
  sketch: KllSketchJson;
}

/**
 * Streaming moments, extremes and a quantile sketch of one numeric feature.
 *
 * The sum is exact (see ExactSum), so count, sum, mean, min and max merge to exactly the one-pass result.
 * The spread uses Welford's update and Chan et al.'s pairwise merge: numerically stable when the mean is
 * far from zero, and equal to the one-pass figure to about 1e-15 relative (not bit for bit).
 */
export class NumericAccumulator {
  count = 0;
  private sum = new ExactSum();
  private mean = 0;
  private m2 = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  readonly sketch: KllSketch;

  constructor(sketch: KllSketch = new KllSketch()) {
    this.sketch = sketch;
  }

  add(x: number): void {
    // the profile keeps non-finite values out (see FeatureProfile): one here is a bug, and would poison every figure
    if (!Number.isFinite(x))
      throw new RangeError(`a numeric accumulator takes finite numbers only, got ${x}`);
    this.count += 1;
    this.sum.add(x);
    const delta = x - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    this.sketch.update(x);
  }

  merge(other: NumericAccumulator): this {
    if (other.count === 0) return this;
    const n = this.count + other.count;
    const delta = other.mean - this.mean;
    // the counts' product divided first: delta squared times it cannot overflow where the raw product could
    this.m2 += other.m2 + delta * delta * ((this.count * other.count) / n);
    this.mean += (delta * other.count) / n;
    this.count = n;
    this.sum.addAll(other.sum);
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    this.sketch.merge(other.sketch);
    return this;
  }

  get total(): number {
    return this.sum.value();
  }

  /** sum / count from the exact sum, so it does not depend on how the data was split */
  get average(): number {
    return this.count === 0 ? Number.NaN : this.sum.value() / this.count;
  }

  /** population standard deviation (ddof 0), as Model Monitor reports `std_dev` */
  get populationStdDev(): number {
    return this.count === 0 ? Number.NaN : Math.sqrt(Math.max(0, this.m2) / this.count);
  }

  toJSON(): NumericAccumulatorJson {
    return {
      count: this.count,
      sum: this.sum.toJSON(),
      mean: this.mean,
      m2: this.m2,
      min: this.count === 0 ? null : this.min,
      max: this.count === 0 ? null : this.max,
      sketch: this.sketch.toJSON(),
    };
  }

  /** Throws RangeError for a stored accumulator that is not whole (a null or non-finite figure). */
  static fromJSON(json: NumericAccumulatorJson): NumericAccumulator {
    const figures = [json.count, json.mean, json.m2, ...json.sum];
    if (json.count > 0) figures.push(json.min as number, json.max as number);
    const finite = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);
    if (!figures.every(finite) || !json.sketch.data.every((level) => level.every(finite)))
      throw new RangeError('damaged numeric profile: a figure is missing or not finite');
    const acc = new NumericAccumulator(KllSketch.fromJSON(json.sketch));
    acc.count = json.count;
    acc.sum = ExactSum.fromJSON(json.sum);
    acc.mean = json.mean;
    acc.m2 = json.m2;
    acc.min = json.min ?? Number.POSITIVE_INFINITY;
    acc.max = json.max ?? Number.NEGATIVE_INFINITY;
    return acc;
  }
}
