/**
 * A shadow variant answers the same requests as production, so each request is its own pair. Without labels
 * the two can still be compared: how often they agree (same class, or within a tolerance for a number), with a
 * confidence sequence. With labels, the paired error difference d = loss(shadow) − loss(production) feeds the
 * winner test directly. Where the two models agree, d = 0 and costs the test nothing, so a paired comparison
 * needs far fewer labels than an A/B split of the same traffic.
 */
import {
  advanceMeanSequence,
  freshMeanSequence,
  type MeanSequenceState,
  meanInterval,
} from './mean-sequence.ts';
import {
  advancePairedTest,
  freshPairedTest,
  type PairedTestState,
  type PairedTestView,
  viewPairedTest,
  type WinnerTestSettings,
} from './paired-test.ts';

export interface ShadowRequest {
  /** the two answers agree */
  readonly agree: boolean;
  /** losses in [0, 1] against the label, when the request has one */
  readonly productionLoss?: number;
  readonly shadowLoss?: number;
}

export interface ShadowTestState {
  readonly requests: number;
  readonly agreement: MeanSequenceState;
  readonly test: PairedTestState;
}

export const freshShadowTest = (): ShadowTestState => ({
  requests: 0,
  agreement: freshMeanSequence(),
  test: freshPairedTest(),
});

/** Feeds one hour of paired requests. Pure. */
export const advanceShadowTest = (
  state: ShadowTestState,
  requests: readonly ShadowRequest[],
  settings: WinnerTestSettings,
): ShadowTestState => {
  const differences: number[] = [];
  for (const r of requests) {
    if (r.productionLoss !== undefined && r.shadowLoss !== undefined) {
      differences.push(r.shadowLoss - r.productionLoss);
    }
  }
  return {
    requests: state.requests + requests.length,
    agreement: advanceMeanSequence(
      state.agreement,
      requests.map((r) => (r.agree ? 1 : 0)),
      settings.alpha,
    ),
    test: advancePairedTest(state.test, differences, settings),
  };
};

export interface ShadowTestView {
  readonly requests: number;
  readonly agreement: { readonly rate: number | null; readonly lower: number; readonly upper: number };
  /** decision `B` = the shadow errs less than production, `A` = production errs less */
  readonly paired: PairedTestView;
}

export const viewShadowTest = (state: ShadowTestState): ShadowTestView => {
  const agreement = meanInterval(state.agreement, 0, 1);
  return {
    requests: state.requests,
    agreement: { rate: agreement.mean, lower: agreement.lower, upper: agreement.upper },
    paired: viewPairedTest(state.test),
  };
};
