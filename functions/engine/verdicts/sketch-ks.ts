import { ksPValueAsymptotic } from '../stats/ks-asymptotic.ts';
import { KLL_RANK_ERROR_RISK, kllRankError } from './rank-error.ts';

/** one side of a KS comparison: its true size, and whether its distribution is a compacted sketch */
export interface KsSide {
  readonly n: number;
  /** true when the sample is the data itself (no compaction): no margin needed */
  readonly exact: boolean;
  /** k of the KLL sketch; @default 2048 */
  readonly k?: number;
}

/**
 * A two-sided KS p-value that admits the sketches' rank error, so its false-positive rate holds at any size
 * (whylogs #684 shows sketch p-values swinging from 2.7e-7 to 0.74 on the same data). As in Apache
 * DataSketches' KolmogorovSmirnov test, D is first reduced by each compacted sketch's rank error ε; the
 * probability η that a sketch exceeds its ε is added back: p = Q(D − ε1 − ε2) + η1 + η2, with ε calibrated
 * to η = 1e-4 (rank-error.ts). Samples that are the data itself add nothing.
 */
export const sketchAwareKsPValue = (d: number, a: KsSide, b: KsSide): number => {
  const margin = (side: KsSide) => (side.exact ? 0 : kllRankError(side.k ?? 2048));
  const risk = (side: KsSide) => (side.exact ? 0 : KLL_RANK_ERROR_RISK);
  const reduced = Math.max(0, d - margin(a) - margin(b));
  return Math.min(1, ksPValueAsymptotic(reduced, a.n, b.n) + risk(a) + risk(b));
};
