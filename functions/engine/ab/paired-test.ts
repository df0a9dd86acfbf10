/**
 * Which of two variants errs less, decided by betting, safe to look at every hour. It reads paired
 * differences d = loss(B) − loss(A) in [−1, 1] (an A/B test pairs records within an hour, see
 * `hourDifferences`; a shadow variant answers the same request, so its pairs are exact) and runs two one-sided
 * test martingales (Shafer & Vovk's testing by betting, with the online Newton step bet of Shekhar & Ramdas
 * 2023):
 *   "B is better by more than the margin m": H0 E[d] >= −m, each pair pays −d − m;
 *   "A is better by more than m":            H0 E[d] <= m,  each pair pays d − m.
 * Under its null each wealth is a nonnegative supermartingale, so by Ville's inequality it ever reaches 2/α
 * with probability <= α/2, however often it is read: an A/A test decides anything with probability <= α, an
 * A/B test picks the worse variant with probability <= α/2. The decision is kept once made.
 * A confidence sequence for E[d] (`mean-sequence.ts`) comes with it.
 */
import { type BetState, FIRST_BET, nextBet } from '../verdicts/online-newton-bet.ts';
import {
  advanceMeanSequence,
  freshMeanSequence,
  type MeanSequenceState,
  meanInterval,
} from './mean-sequence.ts';

export type WinnerDecision = 'A' | 'B' | 'undecided';

export interface WinnerTestSettings {
  /** probability of any wrong decision, ever */
  readonly alpha: number;
  /** a winner must err less by more than this (same unit as the losses, e.g. error rate) */
  readonly margin: number;
}

export const DEFAULT_WINNER_TEST_SETTINGS: WinnerTestSettings = { alpha: 0.05, margin: 0 };

/** A winner-test setting outside its range: the message names the setting and the value. */
export class WinnerTestSettingsError extends Error {
  override readonly name = 'WinnerTestSettingsError';
}

export const checkWinnerTestSettings = (settings: WinnerTestSettings): WinnerTestSettings => {
  if (!(settings.alpha > 0 && settings.alpha < 1)) {
    throw new WinnerTestSettingsError(`alpha must be in (0, 1), got ${settings.alpha}`);
  }
  if (!(settings.margin >= 0 && settings.margin < 1)) {
    throw new WinnerTestSettingsError(`margin must be in [0, 1), got ${settings.margin}`);
  }
  return settings;
};

interface OneSided {
  readonly logWealth: number;
  readonly bet: BetState;
}

export interface PairedTestState {
  /** evidence that A errs more than B by more than the margin (for B) */
  readonly forB: OneSided;
  /** evidence that B errs more than A by more than the margin (for A) */
  readonly forA: OneSided;
  readonly difference: MeanSequenceState;
  readonly pairs: number;
  readonly decision: WinnerDecision;
  /** the step (hour) at which the decision was made */
  readonly decidedAt: number | null;
  readonly steps: number;
}

export const freshPairedTest = (): PairedTestState => ({
  forB: { logWealth: 0, bet: FIRST_BET },
  forA: { logWealth: 0, bet: FIRST_BET },
  difference: freshMeanSequence(),
  pairs: 0,
  decision: 'undecided',
  decidedAt: null,
  steps: 0,
});

/** one pair's payoff y at the bet: wealth gains ln(1 + λy), ONS reads −y/(1 + λy) */
const bet = (side: OneSided, payoffs: readonly number[], maxLambda: number): OneSided => {
  let { logWealth, bet: state } = side;
  for (const y of payoffs) {
    const grow = 1 + state.lambda * y;
    logWealth += Math.log(grow);
    const gradient = -y / grow;
    state = nextBet(state, gradient, gradient * gradient, maxLambda);
  }
  return { logWealth, bet: state };
};

/** what a step shows: the evidence for each side and the difference B − A with its confidence sequence */
export interface PairedTestView {
  readonly decision: WinnerDecision;
  readonly decidedAt: number | null;
  readonly pairs: number;
  /** wealth of the test for B (A errs more) and for A */
  readonly evidenceForB: number;
  readonly evidenceForA: number;
  /** the decided side's evidence, or the larger one while undecided */
  readonly evidence: number;
  /** mean loss(B) − loss(A) over the pairs so far; negative: B errs less */
  readonly difference: number | null;
  readonly lower: number;
  readonly upper: number;
}

const wealthOf = (logWealth: number): number => Math.exp(Math.min(logWealth, 700));

/** Feeds one step's (hour's) pairs' differences d = loss(B) − loss(A), each in [−1, 1]. Pure. */
export const advancePairedTest = (
  state: PairedTestState,
  differences: readonly number[],
  settings: WinnerTestSettings,
): PairedTestState => {
  const { alpha, margin } = settings;
  const maxLambda = 0.5 / (1 + margin);
  const forB = bet(
    state.forB,
    differences.map((d) => -d - margin),
    maxLambda,
  );
  const forA = bet(
    state.forA,
    differences.map((d) => d - margin),
    maxLambda,
  );
  const difference = advanceMeanSequence(
    state.difference,
    differences.map((d) => (d + 1) / 2),
    alpha,
  );
  const step = state.steps + 1;
  const threshold = Math.log(2 / alpha);
  let { decision, decidedAt } = state;
  if (decision === 'undecided') {
    // both at once is possible only if one of two events of probability <= α/2 happened; the larger wins
    const b = forB.logWealth >= threshold;
    const a = forA.logWealth >= threshold;
    if (a || b) {
      decision = b && (!a || forB.logWealth >= forA.logWealth) ? 'B' : 'A';
      decidedAt = step;
    }
  }
  return {
    forB,
    forA,
    difference,
    pairs: state.pairs + differences.length,
    decision,
    decidedAt,
    steps: step,
  };
};

export const viewPairedTest = (state: PairedTestState): PairedTestView => {
  const evidenceForB = wealthOf(state.forB.logWealth);
  const evidenceForA = wealthOf(state.forA.logWealth);
  const interval = meanInterval(state.difference, -1, 1);
  return {
    decision: state.decision,
    decidedAt: state.decidedAt,
    pairs: state.pairs,
    evidenceForB,
    evidenceForA,
    evidence:
      state.decision === 'B'
        ? evidenceForB
        : state.decision === 'A'
          ? evidenceForA
          : Math.max(evidenceForA, evidenceForB),
    difference: interval.mean,
    lower: interval.lower,
    upper: interval.upper,
  };
};
