/**
 * The `abTest` section of a run summary (out/run.json) and of the report: both variants side by side, the
 * decision with its evidence and the difference's confidence sequence, hour by hour. Plain JSON.
 */
import type { AbTestView } from './ab-test.ts';
import type { WinnerDecision } from './paired-test.ts';

export interface AbVariantSummary {
  readonly name: string;
  readonly requests: number;
  readonly labelled: number;
  readonly metrics: {
    /** mean loss of its labelled predictions: the error rate for 0/1 errors */
    readonly errorRate: number | null;
    readonly trafficShare: number;
  };
}

export interface AbHourSummary {
  readonly hour: number;
  /** each variant's error rate among the labels fed this hour (null: none) */
  readonly errorRates: readonly [number | null, number | null];
  /** B's share of the hour's requests */
  readonly shareB: number;
  readonly evidenceForA: number;
  readonly evidenceForB: number;
  /** error(B) − error(A) so far, with its confidence sequence */
  readonly difference: number | null;
  readonly lower: number;
  readonly upper: number;
}

export interface AbPromotionSummary {
  readonly hour: number;
  readonly outcome: 'shifted' | 'approval-requested';
  readonly after: Readonly<Record<string, number>>;
}

export interface AbTestSummary {
  readonly variants: readonly AbVariantSummary[];
  readonly decision: WinnerDecision;
  readonly winner: string | null;
  /** the run's hour at which the test decided */
  readonly decidedAtHour: number | null;
  /** the decided side's evidence (or the larger one while undecided); decisions need 2/α */
  readonly evidence: number;
  readonly alpha: number;
  readonly margin: number;
  readonly difference: { readonly estimate: number | null; readonly lower: number; readonly upper: number };
  readonly promotion: AbPromotionSummary | null;
  readonly hours: readonly AbHourSummary[];
}

export const variantSummaries = (view: AbTestView): AbVariantSummary[] =>
  view.variants.map((v) => ({
    name: v.name,
    requests: v.requests,
    labelled: v.labelled,
    metrics: { errorRate: v.meanLoss, trafficShare: v.trafficShare },
  }));
