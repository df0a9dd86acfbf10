import { checkedTotalWeight, type WeightedSample } from './weighted-sample.ts';

/**
 * First Wasserstein (earth mover's) distance between two weighted empirical distributions:
 * ∫ |U(x) − V(x)| dx, where U and V are the right-continuous weighted ECDFs (cumulative weight over
 * total weight), integrated between consecutive points of the merged samples. This is
 * scipy.stats.wasserstein_distance(u.values, v.values, u.weights, v.weights); it is in the units of the
 * values. One merge pass, no allocation. Throws RangeError when a sample breaks the WeightedSample
 * contract.
 */
export const wassersteinDistance = (u: WeightedSample, v: WeightedSample): number => {
  const totalU = checkedTotalWeight(u, 'wassersteinDistance u');
  const totalV = checkedTotalWeight(v, 'wassersteinDistance v');
  const vu = u.values;
  const wu = u.weights;
  const vv = v.values;
  const wv = v.weights;
  const nu = vu.length;
  const nv = vv.length;
  let i = 0;
  let j = 0;
  let cumU = 0;
  let cumV = 0;
  let distance = 0;
  // x: the current distinct point of the merged samples; both CDFs are taken at x (all weight <= x)
  let x = vu[0]! <= vv[0]! ? vu[0]! : vv[0]!;
  for (;;) {
    while (i < nu && vu[i]! <= x) cumU += wu[i++]!;
    while (j < nv && vv[j]! <= x) cumV += wv[j++]!;
    if (i >= nu && j >= nv) break;
    const next = i < nu && (j >= nv || vu[i]! <= vv[j]!) ? vu[i]! : vv[j]!;
    distance += Math.abs(cumU / totalU - cumV / totalV) * (next - x);
    x = next;
  }
  return distance;
};
