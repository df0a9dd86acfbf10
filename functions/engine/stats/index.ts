export { type ChiSquareResult, chiSquareContingency, chiSquareSf } from './chi-square.ts';
export {
  jensenShannonDistance,
  klDivergence,
  linfDistance,
  PROPORTION_EPSILON,
  psi,
  smoothedProportions,
} from './divergences.ts';
export { lnGamma, regularizedGammaP, regularizedGammaQ } from './gamma.ts';
export { kolmogorovSf } from './kolmogorov.ts';
export { ksPValue, ksStatistic } from './ks.ts';
export { kolmogorovLimitSf, ksPValueAsymptotic } from './ks-asymptotic.ts';
export { benjaminiHochberg } from './multiple-testing.ts';
export { binCounts, quantileBinEdges } from './quantile-bins.ts';
export { smirnovSf } from './smirnov.ts';
export { wassersteinDistance } from './wasserstein.ts';
export { checkedTotalWeight, unweighted, type WeightedSample } from './weighted-sample.ts';
