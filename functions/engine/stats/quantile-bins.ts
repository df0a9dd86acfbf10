import { checkedTotalWeight, type WeightedSample } from './weighted-sample.ts';

/**
 * Interior bin edges at the weighted quantiles of a (baseline) sample, for histogram divergences on
 * numeric features. With cumulative weights C_i = w_0 + … + w_i (summed in index order) and total
 * W = C_last, edge k (k = 1 … bins − 1) is values[i] for the first i with C_i >= k·W/bins — the
 * inverse weighted ECDF (lower quantile, Hyndman–Fan type 1) at k/bins. Repeated edges are kept once,
 * so the result is strictly ascending and may have fewer than bins − 1 edges (heavy ties).
 * Linear in the sample size. Throws RangeError when bins is not an integer >= 1 or the sample breaks
 * the WeightedSample contract.
 */
export const quantileBinEdges = (sample: WeightedSample, bins = 10): number[] => {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`quantileBinEdges: bins = ${bins} is not an integer >= 1`);
  }
  // the total is the last cumulative sum (same order), so a threshold of exactly W is always reached
  const total = checkedTotalWeight(sample, 'quantileBinEdges');
  const { values, weights } = sample;
  const n = values.length;
  const edges: number[] = [];
  let i = 0;
  let cumulative = weights[0]!;
  for (let k = 1; k < bins; k++) {
    const threshold = (k * total) / bins;
    while (cumulative < threshold && i < n - 1) cumulative += weights[++i]!;
    const edge = values[i]!;
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  return edges;
};

/**
 * Weighted counts of a sample in the bins (−∞, e_0], (e_0, e_1], …, (e_last, +∞) of strictly ascending
 * `edges`: bin b receives the weight of every value v with e_(b−1) < v <= e_b, so a value equal to an
 * edge falls in the bin that edge closes. Returns edges.length + 1 counts. Linear merge.
 * Throws RangeError when the edges are not finite and strictly ascending, or the sample breaks the
 * WeightedSample contract.
 */
export const binCounts = (sample: WeightedSample, edges: ArrayLike<number>): number[] => {
  for (let e = 0; e < edges.length; e++) {
    const edge = edges[e]!;
    if (!Number.isFinite(edge) || (e > 0 && !(edge > edges[e - 1]!))) {
      throw new RangeError(`binCounts: edges[${e}] = ${edge} is not finite and strictly ascending`);
    }
  }
  checkedTotalWeight(sample, 'binCounts');
  const { values, weights } = sample;
  const counts = new Array<number>(edges.length + 1).fill(0);
  let bin = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    while (bin < edges.length && v > edges[bin]!) bin++;
    counts[bin]! += weights[i]!;
  }
  return counts;
};
