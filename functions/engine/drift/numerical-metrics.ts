import type { NumericSummary } from '../baseline/feature-summary.ts';
import {
  binCounts,
  jensenShannonDistance,
  klDivergence,
  ksPValue,
  ksStatistic,
  psi,
  quantileBinEdges,
  wassersteinDistance,
} from '../stats/index.ts';
import { sketchAwareKsPValue } from '../verdicts/sketch-ks.ts';

/** Bins for PSI, Jensen–Shannon and KL on numbers: the baseline's deciles. */
export const NUMERIC_BINS = 10;

export interface NumericalMetrics {
  readonly ks: { readonly statistic: number; readonly pValue: number };
  readonly wasserstein: number;
  /** Wasserstein-1 divided by the baseline's standard deviation; Infinity when that is 0 and W1 is not */
  readonly wassersteinNormed: number;
  readonly psi: number;
  readonly jensenShannon: number;
  readonly kl: number;
}

/**
 * Every numerical drift measure between a baseline and a current distribution. The two samples are the
 * data itself when small (exact), or KLL sketches (within the sketch's rank error); the KS p-value always
 * uses the true sample sizes, not the number of retained sketch items.
 */
export const numericalMetrics = (baseline: NumericSummary, current: NumericSummary): NumericalMetrics => {
  const d = ksStatistic(baseline.sample, current.sample);
  const w1 = wassersteinDistance(baseline.sample, current.sample);
  const edges = quantileBinEdges(baseline.sample, NUMERIC_BINS);
  const expected = binCounts(baseline.sample, edges);
  const actual = binCounts(current.sample, edges);
  return {
    ks: {
      statistic: d,
      // scipy's exact figure when both samples are the data itself; with a compacted sketch D carries the
      // sketch's rank error, which the p-value admits (issue 12: else at 10M rows every window "drifts")
      pValue:
        baseline.exact && current.exact
          ? ksPValue(d, baseline.count, current.count)
          : sketchAwareKsPValue(
              d,
              { n: baseline.count, exact: baseline.exact },
              { n: current.count, exact: current.exact },
            ),
    },
    wasserstein: w1,
    wassersteinNormed: baseline.stdDev > 0 ? w1 / baseline.stdDev : w1 === 0 ? 0 : Number.POSITIVE_INFINITY,
    psi: psi(expected, actual),
    jensenShannon: jensenShannonDistance(expected, actual),
    // KL(baseline || current), the direction Evidently reports
    kl: klDivergence(expected, actual),
  };
};
