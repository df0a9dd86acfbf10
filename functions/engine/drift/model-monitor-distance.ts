import type { DistributionConstraints } from '../baseline/monitoring-config.ts';

/**
 * Model Monitor's `baseline_drift_check` distances, computed as its analyzer (Deequ) does, so that a
 * threshold carried over from a Model Monitor schedule means the same thing here.
 */
export interface ModelMonitorDistance {
  readonly method: 'Simple' | 'Robust' | 'LInfinity' | 'ChiSquared';
  readonly distance: number;
  readonly threshold: number;
  readonly violated: boolean;
}

/** Deequ's allowance for sampling noise in the KS distance: 1.8 * sqrt((n + m) / (n m)). */
export const robustAllowance = (n: number, m: number): number => 1.8 * Math.sqrt((n + m) / (n * m));

/**
 * Numerical: "Simple" is the largest gap between the two empirical CDFs (the KS statistic D); "Robust",
 * Model Monitor's default, subtracts the sampling allowance: max(0, D - 1.8 sqrt((n + m) / (n m))).
 */
export const numericalModelMonitorDistance = (
  ksStatistic: number,
  n: number,
  m: number,
  config: DistributionConstraints,
): ModelMonitorDistance => {
  const method = config.comparisonMethod;
  const distance = method === 'Simple' ? ksStatistic : Math.max(0, ksStatistic - robustAllowance(n, m));
  return {
    method,
    distance,
    threshold: config.comparisonThreshold,
    violated: distance > config.comparisonThreshold,
  };
};

/**
 * Categorical: "LInfinity" (default) is the largest gap between category frequencies. For "ChiSquared"
 * the figure reported is the chi-square test's p-value, and it violates when the p-value falls below the
 * threshold (a small p-value is the evidence of drift).
 */
export const categoricalModelMonitorDistance = (
  linf: number,
  chiSquarePValue: number,
  config: DistributionConstraints,
): ModelMonitorDistance => {
  const threshold = config.categoricalComparisonThreshold;
  if (config.categoricalDriftMethod === 'ChiSquared') {
    return {
      method: 'ChiSquared',
      distance: chiSquarePValue,
      threshold,
      violated: chiSquarePValue < threshold,
    };
  }
  return { method: 'LInfinity', distance: linf, threshold, violated: linf > threshold };
};

/** The violation text Model Monitor writes, reproduced exactly. */
export const baselineDriftDescription = (distance: number, threshold: number): string =>
  `Baseline drift distance: ${distance} exceeds threshold: ${threshold}`;
