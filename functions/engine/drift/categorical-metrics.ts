import type { CategoricalSummary } from '../baseline/feature-summary.ts';
import { chiSquareContingency, jensenShannonDistance, linfDistance, psi } from '../stats/index.ts';

/** The label under which values counted only in a bounded table's overflow are compared. */
export const OTHER_CATEGORY = '__other__';

export interface CategoricalMetrics {
  readonly chiSquare: { readonly statistic: number; readonly pValue: number; readonly dof: number };
  readonly linf: number;
  readonly jensenShannon: number;
  readonly psi: number;
  /** values seen now that the baseline never had (only when the baseline's table did not overflow) */
  readonly newCategories: string[];
  /** baseline values that did not occur in the window at all */
  readonly vanishedCategories: string[];
}

/**
 * Aligns the two category tables on the union of their values (sorted, so results are deterministic) and
 * computes every categorical measure on the aligned counts.
 */
export const categoricalMetrics = (
  baseline: CategoricalSummary,
  current: CategoricalSummary,
): CategoricalMetrics => {
  const values = [...new Set([...baseline.counts.keys(), ...current.counts.keys()])].sort();
  const expected = values.map((v) => baseline.counts.get(v) ?? 0);
  const actual = values.map((v) => current.counts.get(v) ?? 0);
  if (baseline.other > 0 || current.other > 0) {
    expected.push(baseline.other);
    actual.push(current.other);
  }
  const newCategories =
    baseline.other > 0
      ? []
      : values.filter((v) => !baseline.counts.has(v) && (current.counts.get(v) ?? 0) > 0);
  const vanishedCategories = values.filter(
    (v) => (baseline.counts.get(v) ?? 0) > 0 && (current.counts.get(v) ?? 0) === 0,
  );
  return {
    chiSquare: chiSquareContingency(expected, actual),
    linf: linfDistance(expected, actual),
    jensenShannon: jensenShannonDistance(expected, actual),
    psi: psi(expected, actual),
    newCategories,
    vanishedCategories,
  };
};
