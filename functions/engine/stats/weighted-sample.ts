/**
 * An empirical distribution: `values` ascending (duplicates allowed), `weights[i]` > 0 the multiplicity
 * of values[i]. Unweighted data has all weights 1; a KLL sketch gives weights 2^level. Weights need not
 * be integers.
 */
export interface WeightedSample {
  readonly values: ArrayLike<number>;
  readonly weights: ArrayLike<number>;
}

/**
 * Checks the `WeightedSample` contract in one pass and returns the total weight, summed in index order.
 * Throws RangeError when the sample is empty, the lengths differ, a value is not finite or out of
 * ascending order, or a weight is not a finite number > 0.
 */
export const checkedTotalWeight = (sample: WeightedSample, label: string): number => {
  const { values, weights } = sample;
  const n = values.length;
  if (n === 0) throw new RangeError(`${label}: the sample is empty`);
  if (weights.length !== n) {
    throw new RangeError(`${label}: ${n} values but ${weights.length} weights`);
  }
  let previous = Number.NEGATIVE_INFINITY;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const w = weights[i]!;
    // negated comparisons also catch NaN
    if (!(v >= previous) || !Number.isFinite(v)) {
      throw new RangeError(`${label}: values[${i}] = ${v} is not finite or not ascending`);
    }
    if (!(w > 0) || !Number.isFinite(w)) {
      throw new RangeError(`${label}: weights[${i}] = ${w} is not a finite number > 0`);
    }
    previous = v;
    total += w;
  }
  return total;
};

/** Wraps plain observations as a WeightedSample with unit weights, sorting a copy ascending. */
export const unweighted = (observations: ArrayLike<number>): WeightedSample => {
  const values = Float64Array.from(observations).sort();
  return { values, weights: new Float64Array(values.length).fill(1) };
};
