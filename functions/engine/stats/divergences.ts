/**
 * Distances and divergences between two aligned histograms (count vectors over the same bins or
 * categories; weighted counts allowed). By convention `expected`/`p` is the baseline and
 * `actual`/`q` the current window. All use natural logarithms.
 */

/** Floor applied to each bin proportion before PSI and KL, see `smoothedProportions`. */
export const PROPORTION_EPSILON = 1e-4;

const checkedTotal = (counts: ArrayLike<number>, label: string): number => {
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (!(c >= 0) || !Number.isFinite(c))
      throw new RangeError(`${label}[${i}] = ${c} is not finite and >= 0`);
    total += c;
  }
  if (total === 0) throw new RangeError(`${label}: the counts sum to 0`);
  return total;
};

const checkedPair = (p: ArrayLike<number>, q: ArrayLike<number>, name: string): [number, number] => {
  if (p.length !== q.length) {
    throw new RangeError(`${name}: the histograms have ${p.length} and ${q.length} bins`);
  }
  if (p.length === 0) throw new RangeError(`${name}: the histograms have no bins`);
  return [checkedTotal(p, `${name} first`), checkedTotal(q, `${name} second`)];
};

/**
 * The smoothing used by `psi` and `klDivergence`: proportions p_i = counts_i/Σcounts, floored at
 * ε = 1e-4 (p'_i = max(p_i, ε)) so that an empty bin has a finite log-ratio, then renormalised to sum 1
 * (p''_i = p'_i / Σ_j p'_j). Bins above ε keep their relative sizes. Throws RangeError for a negative
 * or non-finite count or an all-zero vector.
 */
export const smoothedProportions = (counts: ArrayLike<number>): Float64Array => {
  const total = checkedTotal(counts, 'smoothedProportions');
  const out = new Float64Array(counts.length);
  let sum = 0;
  for (let i = 0; i < counts.length; i++) {
    const p = Math.max(counts[i]! / total, PROPORTION_EPSILON);
    out[i] = p;
    sum += p;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
};

/**
 * L-infinity distance between the two normalised histograms: max_i |p_i/Σp − q_i/Σq| (no smoothing).
 * Model Monitor's distance for categorical features. Throws RangeError when the lengths differ or are
 * 0, a count is negative or not finite, or a histogram sums to 0.
 */
export const linfDistance = (p: ArrayLike<number>, q: ArrayLike<number>): number => {
  const [totalP, totalQ] = checkedPair(p, q, 'linfDistance');
  let max = 0;
  for (let i = 0; i < p.length; i++) {
    const diff = Math.abs(p[i]! / totalP - q[i]! / totalQ);
    if (diff > max) max = diff;
  }
  return max;
};

/**
 * Population stability index Σ_i (a_i − e_i)·ln(a_i/e_i), where e and a are `smoothedProportions` of
 * `expected` (baseline) and `actual` (current). >= 0; 0 for identical proportions. Throws as linfDistance.
 */
export const psi = (expected: ArrayLike<number>, actual: ArrayLike<number>): number => {
  checkedPair(expected, actual, 'psi');
  const e = smoothedProportions(expected);
  const a = smoothedProportions(actual);
  let sum = 0;
  for (let i = 0; i < e.length; i++) sum += (a[i]! - e[i]!) * Math.log(a[i]! / e[i]!);
  return sum;
};

/**
 * Kullback–Leibler divergence KL(p‖q) = Σ_i p_i·ln(p_i/q_i) of the `smoothedProportions` of p
 * (baseline) and q (current): scipy.stats.entropy(smoothedProportions(p), smoothedProportions(q)).
 * Finite because both are floored. Throws as linfDistance.
 */
export const klDivergence = (p: ArrayLike<number>, q: ArrayLike<number>): number => {
  checkedPair(p, q, 'klDivergence');
  const ps = smoothedProportions(p);
  const qs = smoothedProportions(q);
  let sum = 0;
  for (let i = 0; i < ps.length; i++) sum += ps[i]! * Math.log(ps[i]! / qs[i]!);
  return sum;
};

/** x·ln(x/y) with 0·ln(0/y) = 0 (scipy.special.rel_entr for x >= 0, y > 0 wherever x > 0). */
const relativeEntropy = (x: number, y: number): number => (x > 0 ? x * Math.log(x / y) : 0);

/**
 * Jensen–Shannon distance, scipy.spatial.distance.jensenshannon(p, q) with natural logarithms:
 * sqrt((KL(p‖m) + KL(q‖m))/2) with p, q normalised to sum 1 and m = (p + q)/2. Needs no smoothing:
 * m_i >= p_i/2 and m_i >= q_i/2, so m_i > 0 wherever a term is not 0. In [0, sqrt(ln 2)]. Where rounding
 * makes the sum a hair below 0 (scipy would return NaN) the result is 0. Throws as linfDistance.
 */
export const jensenShannonDistance = (p: ArrayLike<number>, q: ArrayLike<number>): number => {
  const [totalP, totalQ] = checkedPair(p, q, 'jensenShannonDistance');
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / totalP;
    const qi = q[i]! / totalQ;
    const m = (pi + qi) / 2.0;
    left += relativeEntropy(pi, m);
    right += relativeEntropy(qi, m);
  }
  return Math.sqrt(Math.max(left + right, 0) / 2.0);
};
