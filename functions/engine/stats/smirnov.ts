import { logBinomialPmf } from './binomial.ts';
import { stirlingError } from './gamma.ts';
import { twoProductError } from './numeric.ts';

/**
 * The one-sided one-sample Kolmogorov–Smirnov survival function, P(D_n^+ >= x): scipy.special.smirnov,
 * ported from xsf/cephes/kolmogorov.h (`_smirnov`) with the same branch structure, sum selection and
 * early exit. scipy sums the Birnbaum–Tingey terms in double-double arithmetic; here, from an exactly
 * split n·x, each term of the (positive) lower sum is a binomial probability in Loader's saddle-point
 * form, accurate whatever n, and the at most three terms of the alternating upper sum are built in log
 * space.
 */

/** n above this uses the closed-form approximation e^(−(6nx+1)²/18n), as scipy does. */
const SMIRNOV_MAX_COMPUTE_N = 1_000_000;
/** The alternating upper sum is used only for n >= this and at most SM_UPPER_MAX_TERMS terms. */
const SM_UPPERSUM_MIN_N = 10;
const SM_UPPER_MAX_TERMS = 3;
/** exp() of anything below this is 0 (cephes MINLOG). */
const MINLOG = -745.1332191019412;
const EPSILON = Number.EPSILON;

/** floor(n·x) and its fractional part, from the exact product (scipy's modNX). */
const splitNx = (n: number, x: number): { floor: number; alpha: number } => {
  const hi = n * x;
  const lo = twoProductError(n, x);
  let floor = Math.floor(hi);
  // hi − floor is exact; lo carries what the rounded product lost
  let alpha = hi - floor + lo;
  if (alpha < 0) {
    floor -= 1;
    alpha += 1;
  }
  if (alpha >= 1) {
    floor += 1;
    alpha = 0;
  }
  return { floor, alpha };
};

/**
 * scipy.special.smirnov(n, x) = P(D_n^+ >= x) for an integer n >= 1 and 0 <= x <= 1; NaN outside that
 * domain.
 */
export const smirnovSf = (n: number, x: number): number => {
  if (!(n > 0 && x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;

  const { floor: nxfl, alpha } = splitNx(n, x);
  let n1mxfl = n - nxfl - (alpha === 0 ? 0 : 1);
  let n1mxceil = n - nxfl;
  // with alpha = 0 the boundary term belongs to neither sum
  if (alpha === 0) {
    n1mxfl -= 1;
    n1mxceil += 1;
  }

  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) {
    // x <= 1/n
    const t = Math.exp((n - 1) * Math.log1p(x));
    return clip01(1 - x * t);
  }
  if (-2 * n * x * x < MINLOG) return 0;
  if (nxfl >= n - 1) return clip01(Math.exp(n * Math.log1p(-x)));
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    const logp = -((6.0 * n * x + 1) ** 2) / 18.0 / n;
    // maximise precision for small p-values
    return clip01(logp < -Math.LN2 ? Math.exp(logp) : 1 - -Math.expm1(logp));
  }

  const nUpperTerms = n - n1mxceil + 1;
  const useUpperSum =
    (nUpperTerms <= 1 && x < 0.5) ||
    (n >= SM_UPPERSUM_MIN_N && nUpperTerms <= SM_UPPER_MAX_TERMS && x <= 0.5 / Math.sqrt(n));

  // Birnbaum–Tingey terms A_v = C(n,v)·(x + v/n)^(v−1)·(1 − x − v/n)^(n−v); the probability is x·ΣA_v
  const start = useUpperSum ? n : 0;
  const step = useUpperSum ? -1 : 1;
  const nTerms = useUpperSum ? n - n1mxceil + 1 : n1mxfl + 1;
  const vmid = Math.floor(n / 2);
  const logN = Math.log(n);
  const stirlingN = stirlingError(n);
  let sum = useUpperSum ? Math.exp((n - 1) * Math.log1p(x)) : Math.exp(n * Math.log1p(-x)) / x;
  // upper sum: log C(n, j) for the next j, C(n, j+1) = C(n, j)·(n − j)/(j + 1) = C(n, n−j−1)
  let logBinomial = Math.log(n);
  for (let j = 1; j < nTerms; j++) {
    const v = start + j * step;
    // x + v/n and 1 − x − v/n as (integer ± alpha)/n, exact to one rounding
    const t1x = nxfl + v + alpha;
    const t2x = n - nxfl - v - alpha;
    let term: number;
    if (useUpperSum) {
      const logAbs =
        logBinomial + (v - 1) * (Math.log(t1x) - logN) + (n - v) * (Math.log(Math.abs(t2x)) - logN);
      term = t2x < 0 && (n - v) % 2 === 1 ? -Math.exp(logAbs) : Math.exp(logAbs);
    } else {
      // C(n,v)·p^v·q^(n−v)/p with p = t1x/n, q = t2x/n, in one exp so it underflows only when it must
      term = Math.exp(logBinomialPmf(v, n, t1x, t2x, stirlingN) - Math.log(t1x / n));
    }
    if (Number.isFinite(term) && term !== 0) sum += term;
    if (term !== 0) {
      if (4 * (nTerms - j) * Math.abs(term) < EPSILON * sum && j !== nTerms - 1) break;
    } else if (j > vmid) {
      break;
    }
    if (useUpperSum) logBinomial += Math.log((n - j) / (j + 1));
  }
  const prob = x * sum;
  return clip01(step < 0 ? 1 - prob : prob);
};

const clip01 = (p: number): number => (p < 0 ? 0 : p > 1 ? 1 : p);
