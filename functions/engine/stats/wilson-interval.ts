/** the standard normal quantile at 0.975: a two-sided 95% interval */
export const Z_95 = 1.959963984540054;

export interface ProportionInterval {
  readonly low: number;
  readonly high: number;
}

/**
 * Wilson's score interval for a proportion (Wilson 1927; Brown, Cai & DasGupta 2001 recommend it over the
 * normal "Wald" interval, which collapses to a point at 0 and 1 and undercovers for small n):
 *
 *   (p̂ + z²/2n ± z·sqrt(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n)
 *
 * `z` is the normal quantile of the two-sided level (Z_95 by default). Undefined for n = 0.
 */
export const wilsonInterval = (successes: number, n: number, z = Z_95): ProportionInterval | undefined => {
  if (!(n > 0) || !(successes >= 0) || successes > n || !(z > 0)) return undefined;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    low: Math.max(0, (centre - spread) / denominator),
    high: Math.min(1, (centre + spread) / denominator),
  };
};
