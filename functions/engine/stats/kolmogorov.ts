import { ldexp } from './numeric.ts';
import { smirnovSf } from './smirnov.ts';

/**
 * The two-sided one-sample Kolmogorov distribution, scipy.stats.kstwo, ported from
 * scipy/stats/_ksstats.py (`_kolmogn` and helpers) with the same branch choice (Simard & L'Ecuyer 2011,
 * "Computing the two-sided Kolmogorov–Smirnov distribution", J. Stat. Softw. 39(11)):
 * Ruben–Gambino closed forms near the ends, 2·smirnov for large d, the Durbin matrix in the
 * Marsaglia–Tsang–Wang form, Pomeranz's recursion, and the Pelz–Good asymptotic series.
 */

const E128 = 128;
const EP128 = 2 ** 128;
const EM128 = 2 ** -128;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const MIN_LOG = -708;
const SQRT3 = Math.sqrt(3);
const PI_SQUARED = Math.PI ** 2;
const PI_FOUR = Math.PI ** 4;
const PI_SIX = Math.PI ** 6;

/** Stirling series coefficients B_2j/(2j)/(2j−1) for j = 8..1, highest power first. */
const STIRLING_COEFFS = [
  -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417,
  -0.0005952380952380953, 0.0007936507936507937, -0.002777777777777778, 0.08333333333333333,
];

const clip01 = (p: number): number => (p < 0 ? 0 : p > 1 ? 1 : p);

/** log(n!/n^n) by Stirling's series with n·log(n) removed up front. */
const logNFactorialDivNPowN = (n: number): number => {
  const rn = 1.0 / n;
  const y = rn / n;
  let poly = 0;
  for (const c of STIRLING_COEFFS) poly = poly * y + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
};

/** Square matrix product of m×m row-major matrices. */
const matmul = (x: Float64Array, y: Float64Array, m: number): Float64Array<ArrayBuffer> => {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const xik = x[i * m + k]!;
      if (xik === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j]! += xik * y[k * m + j]!;
    }
  }
  return out;
};

/** Row vector times an m×m row-major matrix. */
const rowTimesMatrix = (r: Float64Array, y: Float64Array, m: number): Float64Array<ArrayBuffer> => {
  const out = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const rk = r[k]!;
    if (rk === 0) continue;
    for (let j = 0; j < m; j++) out[j]! += rk * y[k * m + j]!;
  }
  return out;
};

/** P(D_n <= d) by Durbin's matrix, computed as Marsaglia, Tsang & Wang (2003) do (scipy `_kolmogn_DMTW`). */
export const kolmogorovCdfDurbin = (n: number, d: number): number => {
  if (d >= 1.0) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;

  // v: first column (and, reversed, last row) of H; w[j] = 1/j!
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1.0;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1.0 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1.0, 0) ** m - 2 * h ** m;
  v[m - 1] = (1.0 + tt) * fac;

  let hm = new Float64Array(m * m);
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) hm[r * m + i] = w[r - (i - 1)]!;
  }
  for (let r = 0; r < m; r++) hm[r * m] = v[r]!;
  for (let c = 0; c < m; c++) hm[(m - 1) * m + c] = v[m - 1 - c]!;

  // Row k−1 of H^n by squaring, rescaling H by 2^128 and keeping the exponents apart. scipy forms the
  // whole matrix Hpwr = Hpwr·H and reads element (k−1, k−1); multiplying the row vector e_(k−1)ᵀ by the
  // same factors in the same order is that product reassociated, at O(m²) instead of O(m³) a step.
  let row = new Float64Array(m);
  row[k - 1] = 1;
  let nn = n;
  let expnt = 0;
  let hExpnt = 0;
  while (nn > 0) {
    if (nn % 2) {
      row = rowTimesMatrix(row, hm, m);
      expnt += hExpnt;
    }
    nn = Math.floor(nn / 2);
    // the square after the last bit would go unused
    if (nn === 0) break;
    hm = matmul(hm, hm, m);
    hExpnt *= 2;
    if (Math.abs(hm[(k - 1) * m + (k - 1)]!) > EP128) {
      for (let i = 0; i < hm.length; i++) hm[i]! /= EP128;
      hExpnt += E128;
    }
  }

  let p = row[k - 1]!;
  // multiply by n!/n^n
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= EP128;
      expnt -= E128;
    }
  }
  if (expnt !== 0) p = ldexp(p, expnt);
  return clip01(p);
};

/** The row interval [j1, j2] of Pomeranz's recursion for row i (scipy `_pomeranz_compute_j1j2`). */
const pomeranzInterval = (
  i: number,
  n: number,
  ll: number,
  ceilf: number,
  roundf: number,
): [number, number] => {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const ip1div2 = Math.floor((i + 1) / 2);
    const ip1mod2 = (i + 1) % 2;
    if (ip1mod2 === 0) {
      if (ip1div2 === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = ip1div2 - 1 - ll - roundf - 1;
        j2 = ip1div2 + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = ip1div2 - 1 - ll - 1;
      j2 = ip1div2 + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
};

/** P(D_n <= d) by Pomeranz's (1974) recursion (scipy `_kolmogn_Pomeranz`). */
export const kolmogorovCdfPomeranz = (n: number, x: number): number => {
  const t = n * x;
  const ll = Math.floor(t);
  const f = 1.0 * (t - ll);
  const g = Math.min(f, 1.0 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  // (g/n)^m/m!, (2g/n)^m/m!, ((1−2g)/n)^m/m!: Poisson probabilities without their normaliser
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = 1.0;
  twogpower[0] = 1.0;
  onem2gpower[0] = 1.0;
  let expnt = 0;
  const gOverN = g / n;
  const twoGOverN = (2 * g) / n;
  const oneMinusTwoGOverN = (1 - 2 * g) / n;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1]! * gOverN) / m;
    twogpower[m] = (twogpower[m - 1]! * twoGOverN) / m;
    onem2gpower[m] = (onem2gpower[m - 1]! * oneMinusTwoGOverN) / m;
  }

  let v0 = new Float64Array(npwrs);
  let v1 = new Float64Array(npwrs);
  v1[0] = 1;
  let v0s = 0;
  let v1s = 0;
  let [j1, j2] = pomeranzInterval(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0s, v1s] = [v1s, v0s];
    v1.fill(0);
    [j1, j2] = pomeranzInterval(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      // entries j1..j2 of the full convolution of V0[k1 − V0s ..][:ln2] with pwrs[:ln2]
      const offset = k1 - v0s;
      const aLen = Math.min(ln2, npwrs - offset);
      const bLen = Math.min(ln2, npwrs);
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      let max = 0;
      for (let c = 0; c < convLen; c++) {
        const idx = convStart + c;
        let s = 0;
        const lo = Math.max(0, idx - bLen + 1);
        const hi = Math.min(idx, aLen - 1);
        for (let q = lo; q <= hi; q++) s += v0[offset + q]! * pwrs[idx - q]!;
        v1[c] = s;
        if (s > max) max = s;
      }
      // rescale to avoid underflow
      if (max > 0 && max < EM128) {
        for (let c = 0; c < npwrs; c++) v1[c]! *= EP128;
        expnt -= E128;
      }
      v1s = v0s + j1 - k1;
    }
  }

  // multiply by n!
  let ans = v1[n - v1s]!;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > EP128) {
      ans *= EM128;
      expnt += E128;
    }
    ans *= m;
  }
  if (expnt !== 0) ans = ldexp(ans, expnt);
  return clip01(ans);
};

/**
 * The Pelz–Good (1976) approximation to P(D_n <= x): the Li-Chien/Korolyuk expansion
 * K0 + K1/√n + K2/n + K3/n^1.5 rewritten with Jacobi theta identities for small z = x√n
 * (scipy `_kolmogn_PelzGood`).
 */
export const kolmogorovCdfPelzGood = (n: number, x: number): number => {
  if (x <= 0.0) return 0;
  if (x >= 1.0) return 1;
  const z = Math.sqrt(n) * x;
  const zsquared = z ** 2;
  const zthree = z ** 3;
  const zfour = z ** 4;
  const zsix = z ** 6;

  const qlog = -PI_SQUARED / 8 / zsquared;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);

  const k1a = -zsquared;
  const k1b = PI_SQUARED / 4;
  const k2a = 6 * zsix + 2 * zfour;
  const k2b = ((2 * zfour - 5 * zsquared) * PI_SQUARED) / 4;
  const k2c = (PI_FOUR * (1 - 2 * zsquared)) / 16;
  const k3d = (PI_SIX * (5 - 30 * zsquared)) / 64;
  const k3c = (PI_FOUR * (-60 * zsquared + 212 * zfour)) / 16;
  const k3b = (PI_SQUARED * (135 * zfour - 96 * zsix)) / 4;
  const k3a = -30 * zsix - 90 * z ** 8;

  // Horner scheme for Σ c_i q^(i²) over odd i
  const kk = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const msquared = m ** 2;
    const mfour = m ** 4;
    const msix = m ** 6;
    const qpower = q ** (8 * k);
    kk[0] = kk[0]! * qpower + 1.0;
    kk[1] = kk[1]! * qpower + (k1a + k1b * msquared);
    kk[2] = kk[2]! * qpower + (k2a + k2b * msquared + k2c * mfour);
    kk[3] = kk[3]! * qpower + (k3a + k3b * msquared + k3c * mfour + k3d * msix);
  }
  const divisors = [z, 6 * zfour, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) kk[i] = (kk[i]! * q * SQRT2PI) / divisors[i]!;

  // the remaining sums over all integers k, without much cancellation
  q = Math.exp(-PI_SQUARED / 2 / zsquared);
  const sqrt3z = SQRT3 * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k > 0; k--) {
    const ksquared = k ** 2;
    const kspi = Math.PI * k;
    const qpwer = q ** ksquared;
    k2extra += ksquared * qpwer;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksquared * qpwer;
  }
  kk[2] = kk[2]! + k2extra * ((PI_SQUARED * SQRT2PI) / (-36 * zthree));
  kk[3] = kk[3]! + k3extra * ((PI_SQUARED * SQRT2PI) / (216 * zsix));
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += kk[i]! / n ** (i / 2);
  return sum;
};

/**
 * scipy.stats.kstwo.sf(x, n) = P(D_n >= x) for the two-sided one-sample KS statistic D_n, an integer
 * n >= 1 and any x: 1 for x <= 1/(2n), 0 for x >= 1. Branches as scipy's `_kolmogn(n, x, cdf=False)`:
 * n·x <= 1 and n·x >= n − 1 in closed form (Ruben–Gambino); x >= 0.5 as 2·smirnov(n, x); for n <= 140,
 * n·x² <= 0.754693 Durbin, <= 4 Pomeranz, else 2·smirnov; for n > 140, n·x² >= 370 gives 0,
 * >= 2.2 2·smirnov, else 1 − CDF with the CDF 1 at n·x² >= 18, Durbin while n <= 100000 and
 * n·x^1.5 <= 1.4, otherwise Pelz–Good. NaN for a NaN x. Throws RangeError when n is not a positive
 * integer.
 */
export const kolmogorovSf = (n: number, x: number): number => {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new RangeError(`kolmogorovSf: n = ${n} is not a positive integer`);
  }
  if (Number.isNaN(x)) return Number.NaN;
  if (x >= 1.0) return 0;
  if (x <= 0.0) return 1;
  const t = n * x;
  if (t <= 1.0) {
    if (t <= 0.5) return 1;
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= i * (1.0 / n) * (2 * t - 1);
    } else {
      prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1.0 - prob);
  }
  if (t >= n - 1) return clip01(2 * (1.0 - x) ** n);
  if (x >= 0.5) return clip01(2 * smirnovSf(n, x));

  const nxsquared = t * x;
  if (n <= 140) {
    if (nxsquared <= 0.754693) return clip01(1.0 - kolmogorovCdfDurbin(n, x));
    if (nxsquared <= 4) return clip01(1.0 - kolmogorovCdfPomeranz(n, x));
    return clip01(2 * smirnovSf(n, x));
  }
  if (nxsquared >= 370.0) return 0;
  if (nxsquared >= 2.2) return clip01(2 * smirnovSf(n, x));
  let cdf: number;
  if (nxsquared >= 18.0) cdf = 1.0;
  else if (n <= 100000 && n * x ** 1.5 <= 1.4) cdf = kolmogorovCdfDurbin(n, x);
  else cdf = kolmogorovCdfPelzGood(n, x);
  return clip01(1.0 - cdf);
};
