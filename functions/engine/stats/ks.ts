import { kolmogorovSf } from './kolmogorov.ts';
import { probOutsideSquare, probOutsideStrip } from './ks-exact.ts';
import { roundHalfEven } from './numeric.ts';
import { checkedTotalWeight, type WeightedSample } from './weighted-sample.ts';

/** scipy's ks_2samp(method='auto') is exact while both sizes are at most this. */
const MAX_EXACT_N = 10_000;

/**
 * Two-sample Kolmogorov–Smirnov statistic: sup over x of |F_a(x) − F_b(x)|, where F_s(x) is the
 * weight of `s` at values <= x divided by the total weight of `s` (right-continuous ECDFs), evaluated
 * at every data point of either sample. For unit weights this is exactly scipy.stats.ks_2samp's
 * statistic (same counts, same divisions), ties included. One merge pass, no allocation.
 * Throws RangeError when a sample breaks the WeightedSample contract.
 */
export const ksStatistic = (a: WeightedSample, b: WeightedSample): number => {
  const totalA = checkedTotalWeight(a, 'ksStatistic a');
  const totalB = checkedTotalWeight(b, 'ksStatistic b');
  const va = a.values;
  const wa = a.weights;
  const vb = b.values;
  const wb = b.weights;
  const na = va.length;
  const nb = vb.length;
  let i = 0;
  let j = 0;
  let cumA = 0;
  let cumB = 0;
  let d = 0;
  while (i < na || j < nb) {
    const x = i < na && (j >= nb || va[i]! <= vb[j]!) ? va[i]! : vb[j]!;
    while (i < na && va[i]! <= x) cumA += wa[i++]!;
    while (j < nb && vb[j]! <= x) cumB += wb[j++]!;
    const diff = Math.abs(cumA / totalA - cumB / totalB);
    if (diff > d) d = diff;
  }
  return d;
};

const gcd = (x: number, y: number): number => {
  let p = x;
  let q = y;
  while (q !== 0) [p, q] = [q, p % q];
  return p;
};

/**
 * Two-sided p-value of a two-sample KS statistic `d` for sample sizes n1 and n2, computed as
 * scipy.stats.ks_2samp(method='auto', alternative='two-sided') does:
 * - max(n1, n2) <= 10000: the exact null distribution. d is snapped to the lattice h/lcm(n1, n2) with
 *   h = round(d·lcm) (half to even); h = 0 gives 1; n1 = n2 uses the square-boundary series, otherwise
 *   Hodges' inside method with Viehmann's recursion for 1 − p. Should that ever leave [0, 1], the
 *   asymptotic value is used instead, as scipy does.
 * - otherwise: kstwo.sf(d, round(n1·n2/(n1 + n2))), the exact one-sample Kolmogorov distribution.
 * d may be any number (e.g. from rounded sketches): d <= 0 gives 1, d >= 1 is treated as 1, which gives
 * the exact 2/C(n1+n2, n1) on the exact branch (0 once that underflows) and 0 on the asymptotic one.
 * Throws RangeError when d is NaN or a size is not a positive integer.
 */
export const ksPValue = (d: number, n1: number, n2: number): number => {
  if (Number.isNaN(d)) throw new RangeError('ksPValue: d is NaN');
  for (const [name, n] of [
    ['n1', n1],
    ['n2', n2],
  ] as const) {
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new RangeError(`ksPValue: ${name} = ${n} is not a positive integer`);
    }
  }
  if (d <= 0) return 1;
  const stat = Math.min(d, 1);
  if (Math.max(n1, n2) <= MAX_EXACT_N) {
    const exact = exactPValue(stat, n1, n2);
    if (exact !== undefined) return exact;
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  return clip01(kolmogorovSf(roundHalfEven(en), stat));
};

/** scipy's _attempt_exact_2kssamp for the two-sided alternative; undefined when it "fails". */
const exactPValue = (d: number, n1: number, n2: number): number | undefined => {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  if (h === 0) return 1;
  const prob = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideStrip(n1, n2, g, h);
  return prob >= 0 && prob <= 1 ? prob : undefined;
};

const clip01 = (p: number): number => (p < 0 ? 0 : p > 1 ? 1 : p);
