/**
 * Benjamini–Hochberg adjusted p-values (false discovery rate), as statsmodels
 * multipletests(method='fdr_bh'): with the p-values sorted ascending, p_(r) at rank r = 1..m becomes
 * min over s >= r of p_(s)/(s/m), capped at 1, and is returned in the input order. Reject the
 * hypotheses whose adjusted value is <= the FDR level. Throws RangeError for a value outside [0, 1]
 * (NaN included).
 */
export const benjaminiHochberg = (pValues: ArrayLike<number>): number[] => {
  const m = pValues.length;
  for (let i = 0; i < m; i++) {
    const p = pValues[i]!;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`benjaminiHochberg: pValues[${i}] = ${p} is not in [0, 1]`);
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => pValues[x]! - pValues[y]!);
  const adjusted = new Array<number>(m);
  let running = Number.POSITIVE_INFINITY;
  for (let r = m; r >= 1; r--) {
    const index = order[r - 1]!;
    // p/(r/m), not p·m/r: the same rounding as statsmodels' division by its ECDF factor
    const raw = pValues[index]! / (r / m);
    if (raw < running) running = raw;
    adjusted[index] = Math.min(running, 1);
  }
  return adjusted;
};
