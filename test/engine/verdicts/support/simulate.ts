/**
 * One simulated stream of windows for one feature, judged two ways side by side: the sequential verdict
 * (feature evidence against 1/α) and today's per-window verdict (a KS test at α on each window alone).
 */

import { ksPValueAsymptotic } from '../../../../functions/engine/stats/ks-asymptotic.ts';
import {
  advanceFeatureEvidence,
  evidenceOf,
  freshFeatureEvidence,
} from '../../../../functions/engine/verdicts/feature-evidence.ts';
import type { FeatureReference } from '../../../../functions/engine/verdicts/feature-reference.ts';
import type { VerdictSettings } from '../../../../functions/engine/verdicts/verdict-settings.ts';
import { logisticCdf, logisticQuantile, type Rng, shiftedCdf, simulatedReference } from './streams.ts';

export interface StreamPlan {
  readonly windows: number;
  readonly rows: number;
  /** KS distance of the shift (0: none) and the window it starts at */
  readonly distance: number;
  readonly shiftAt: number;
  /** each drawn record appears this many times in its window (duplicated traffic) */
  readonly copies?: number;
  readonly referenceRows: number;
  /** also run today's per-window KS test until its first alarm */
  readonly naive?: boolean;
}

export interface StreamOutcome {
  /** index of the window at which the sequential verdict first alarmed, or null */
  readonly alarmAt: number | null;
  /** index of the window at which today's per-window test first alarmed, or null */
  readonly naiveAt: number | null;
}

const shiftFor = (distance: number): number => 4 * Math.atanh(distance);

/** draws a window's records: their cells, and, when asked, the KS distance of the window to the reference's population */
const drawRecords = (
  cdf: Float64Array,
  shift: number,
  rows: number,
  copies: number,
  rng: Rng,
  withKs: boolean,
): { counts: number[]; d: number } => {
  const counts = new Array<number>(cdf.length + 1).fill(0);
  const ranks: number[] = [];
  for (let i = 0; i < rows; i += copies) {
    const u = rng();
    let lo = 0;
    let hi = cdf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (u <= cdf[mid]!) hi = mid;
      else lo = mid + 1;
    }
    const k = Math.min(copies, rows - i);
    counts[lo]! += k;
    if (withKs) {
      // the record's value is F^-1(u) + shift; its rank under the unshifted population
      const v = shift === 0 ? u : logisticCdf(logisticQuantile(u) + shift);
      for (let c = 0; c < k; c++) ranks.push(v);
    }
  }
  let d = 0;
  if (withKs) {
    ranks.sort((a, b) => a - b);
    const n = ranks.length;
    for (let i = 0; i < n; i++) {
      const v = ranks[i]!;
      d = Math.max(d, (i + 1) / n - v, v - i / n);
    }
  }
  return { counts, d };
};

export const simulateStream = (
  plan: StreamPlan,
  settings: VerdictSettings,
  rng: Rng,
  reference: FeatureReference = simulatedReference(plan.referenceRows, 32, settings.referenceRisk, rng),
): StreamOutcome => {
  const copies = plan.copies ?? 1;
  const shift = shiftFor(plan.distance);
  const before = shiftedCdf(reference, 0);
  const after = shiftedCdf(reference, shift);
  let state = freshFeatureEvidence(reference.probabilities.length);
  let alarmAt: number | null = null;
  let naiveAt: number | null = plan.naive ? null : -1;
  for (let t = 0; t < plan.windows && (alarmAt === null || naiveAt === null); t++) {
    const shifted = t >= plan.shiftAt;
    const { counts, d } = drawRecords(
      shifted ? after : before,
      shifted ? shift : 0,
      plan.rows,
      copies,
      rng,
      naiveAt === null,
    );
    if (naiveAt === null && ksPValueAsymptotic(d, plan.rows, plan.referenceRows) < settings.alpha)
      naiveAt = t;
    if (alarmAt === null) {
      state = advanceFeatureEvidence(
        state,
        reference,
        reference.probabilities,
        reference.margin,
        { rows: plan.rows, counts },
        settings,
      ).state;
      if (evidenceOf(state, settings) >= 1 / settings.alpha) alarmAt = t;
    }
  }
  return { alarmAt, naiveAt: naiveAt === -1 ? null : naiveAt };
};
