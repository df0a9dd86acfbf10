/**
 * How far a summary's distribution may be from the one it summarises, as a margin that holds except with a
 * small, stated probability. Sequential verdicts add these margins to δ; the sketch-aware KS p-value
 * subtracts them from D.
 */

/**
 * The KLL sketch's largest normalised rank error over all queries, exceeded with probability about 1e-4.
 * Apache DataSketches fits 2.296 / k^0.9723 for its 99th percentile; our sketch (Model Monitor's layout,
 * c = 0.64) measured at k = 2048 a supremum error of mean 0.0009, sd 0.00013 over 10^5..10^6 values, whose
 * Gumbel tail reaches 0.0018 at 1e-4. The DataSketches form scaled to 3.4 / k^0.9723 (0.00205 at k = 2048)
 * covers that with room; test/engine/verdicts/sketch-ks.test.ts checks it on fresh sketches.
 */
export const kllRankError = (k: number): number => 3.4 / k ** 0.9723;

/** the probability with which `kllRankError` may be exceeded */
export const KLL_RANK_ERROR_RISK = 1e-4;

/**
 * Dvoretzky–Kiefer–Wolfowitz (Massart's constant): the empirical CDF of n values is within this of the true
 * CDF everywhere, except with probability `risk`.
 */
export const dkwMargin = (n: number, risk: number): number =>
  n > 0 ? Math.sqrt(Math.log(2 / risk) / (2 * n)) : 1;

/**
 * Bretagnolle–Huber–Carol: the empirical frequencies of n draws over `cells` cells put every SET of cells
 * within this of its true probability (total variation), except with probability `risk`.
 */
export const totalVariationMargin = (n: number, cells: number, risk: number): number =>
  n > 0 ? Math.sqrt((cells * Math.LN2 + Math.log(1 / risk)) / (2 * n)) : 1;
