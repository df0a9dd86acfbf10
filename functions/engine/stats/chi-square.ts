import { regularizedGammaQ } from './gamma.ts';

/**
 * Survival function of the chi-square distribution with `dof` > 0 degrees of freedom:
 * P(X >= x) = Q(dof/2, x/2), as scipy.stats.chi2.sf (cephes chdtrc); 1 for x <= 0.
 * Throws RangeError when dof is not a finite number > 0 or x is NaN.
 */
export const chiSquareSf = (x: number, dof: number): number => {
  if (!(dof > 0) || !Number.isFinite(dof)) throw new RangeError(`chiSquareSf: dof = ${dof} is not > 0`);
  if (Number.isNaN(x)) throw new RangeError('chiSquareSf: x is NaN');
  if (x <= 0) return 1;
  return regularizedGammaQ(dof / 2, x / 2);
};

export interface ChiSquareResult {
  /** Pearson's statistic Σ (observed − expected)²/expected over the 2×k table */
  readonly statistic: number;
  /** chiSquareSf(statistic, dof) */
  readonly pValue: number;
  /** k − 1, k being the number of columns left after dropping all-zero ones */
  readonly dof: number;
}

/**
 * Pearson's chi-square test of homogeneity on the 2×k contingency table whose rows are `countsA` and
 * `countsB` (aligned category counts, weighted counts allowed), without Yates' correction: exactly
 * scipy.stats.chi2_contingency([countsA, countsB], correction=False) after dropping the columns where
 * both counts are 0 (scipy would reject their zero expected frequency). Expected frequency of cell
 * (r, c) = rowTotal_r · columnTotal_c / total. With fewer than 2 columns left: statistic 0, pValue 1,
 * dof 0. Throws RangeError when the lengths differ, a count is negative or not finite, or a row sums
 * to 0 (an empty sample has no distribution to compare).
 */
export const chiSquareContingency = (
  countsA: ArrayLike<number>,
  countsB: ArrayLike<number>,
): ChiSquareResult => {
  const k = countsA.length;
  if (countsB.length !== k) {
    throw new RangeError(`chiSquareContingency: ${k} categories in A but ${countsB.length} in B`);
  }
  let totalA = 0;
  let totalB = 0;
  let columns = 0;
  for (let c = 0; c < k; c++) {
    const a = countsA[c]!;
    const b = countsB[c]!;
    if (!(a >= 0) || !(b >= 0) || !Number.isFinite(a) || !Number.isFinite(b)) {
      throw new RangeError(`chiSquareContingency: counts at ${c} (${a}, ${b}) are not finite and >= 0`);
    }
    totalA += a;
    totalB += b;
    if (a > 0 || b > 0) columns += 1;
  }
  if (totalA === 0 || totalB === 0) {
    throw new RangeError('chiSquareContingency: a sample has no counts');
  }
  if (columns < 2) return { statistic: 0, pValue: 1, dof: 0 };
  const total = totalA + totalB;
  let statistic = 0;
  for (let c = 0; c < k; c++) {
    const a = countsA[c]!;
    const b = countsB[c]!;
    const column = a + b;
    if (column === 0) continue;
    const expectedA = (totalA * column) / total;
    const expectedB = (totalB * column) / total;
    statistic += (a - expectedA) ** 2 / expectedA + (b - expectedB) ** 2 / expectedB;
  }
  const dof = columns - 1;
  return { statistic, pValue: chiSquareSf(statistic, dof), dof };
};
