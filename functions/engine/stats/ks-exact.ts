/**
 * Exact two-sided tail probabilities of the two-sample KS statistic under the null, ported from scipy
 * (stats/_stats_py.py `_compute_prob_outside_square`, stats/_stats_pythran.py
 * `_compute_outer_prob_inside_method`) operation for operation, so results agree to the last bits.
 * Hodges (1958), "The significance probability of the Smirnov two-sample test"; Viehmann (2021),
 * arXiv:2102.08037, for computing 1 − p directly.
 */

/**
 * P(D_{n,n} >= h/n): the proportion of lattice paths from (0,0) to (n,n) that touch x − y = ±h,
 * for integers n > 0 and 0 < h <= n. Evaluated as 2·A0·(1 − A1·(1 − A2·(…))) to avoid cancellation.
 */
export const probOutsideSquare = (n: number, h: number): number => {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
};

/**
 * P(D_{m,n} >= h/lcm(m,n)) for m ≠ n: the proportion of lattice paths from (0,0) to (m,n) that leave
 * the strip |x/m − y/n| < h/lcm(m,n); g = gcd(m,n), 0 < h <= lcm(m,n). Symmetric in m and n.
 * Memory O(window), time O(m·window) with window ≈ 2·h·g/m.
 */
export const probOutsideStrip = (m0: number, n0: number, g: number, h: number): number => {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  // A[j] holds the probability that a path to (i, minj + j) has already left the strip
  const a = new Float64Array(lenA).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (a[jj + minj - lastminj]! * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) {
      // entries carried over from the previous, longer window lie outside the strip now
      a.fill(1, curlen, Math.min(curlen + (lastlen - curlen), lenA));
    }
  }
  return a[maxj - minj - 1]!;
};
