import { stirlingError } from './gamma.ts';

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * x·ln(x/m) + m − x, the binomial deviance term, for x >= 0 and m > 0; accurate where x ≈ m by the
 * series 2x·Σ v^(2j+1)/(2j+1) − (x − m)·v… with v = (x − m)/(x + m) (Loader 2000, "Fast and accurate
 * computation of binomial probabilities").
 */
export const binomialDeviance = (x: number, m: number): number => {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    const v = (x - m) / (x + m);
    let s = (x - m) * v;
    let ej = 2 * x * v;
    const v2 = v * v;
    for (let j = 1; j < 1000; j++) {
      ej *= v2;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return x * Math.log(x / m) + m - x;
};

/**
 * The natural log of the binomial probability C(n,k)·p^k·q^(n−k) for integers 0 < k < n, given n·p and
 * n·q (n·p + n·q = n), and optionally stirlingError(n) when the caller loops over k, by Loader's saddle-point form: absolute error near 1e-15 whatever n, where
 * multiplying out powers and binomial coefficients would lose about n·1e-16.
 */
export const logBinomialPmf = (
  k: number,
  n: number,
  np: number,
  nq: number,
  stirlingN = stirlingError(n),
): number => {
  const lc =
    stirlingN -
    stirlingError(k) -
    stirlingError(n - k) -
    binomialDeviance(k, np) -
    binomialDeviance(n - k, nq);
  const lf = LOG_2PI + Math.log(k) + Math.log1p(-k / n);
  return lc - 0.5 * lf;
};
