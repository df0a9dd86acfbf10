import { describe, expect, it } from 'vitest';
import { DEFAULT_WINNER_TEST_SETTINGS } from '../../../functions/engine/ab/paired-test.ts';
import {
  advanceShadowTest,
  freshShadowTest,
  type ShadowRequest,
  viewShadowTest,
} from '../../../functions/engine/ab/shadow-test.ts';
import { rngFor } from '../verdicts/support/streams.ts';
import { runExperiment } from './ab-simulation.ts';

/**
 * A shadow that fixes some of production's errors and makes few of its own: both models see the same request,
 * so their errors are strongly correlated (each request's difficulty is shared).
 */
const shadowHour = (
  rng: () => number,
  requests: number,
  labelled: number,
  fix: number,
  make: number,
): ShadowRequest[] => {
  const hour: ShadowRequest[] = [];
  for (let i = 0; i < requests; i++) {
    const productionWrong = rng() < 0.2;
    const shadowWrong = productionWrong ? rng() >= fix : rng() < make;
    const r: ShadowRequest = { agree: productionWrong === shadowWrong };
    hour.push(
      i < labelled ? { ...r, productionLoss: productionWrong ? 1 : 0, shadowLoss: shadowWrong ? 1 : 0 } : r,
    );
  }
  return hour;
};

describe('shadow variants: paired comparison', () => {
  it('estimates the agreement rate without labels, its interval covering the true rate', () => {
    // Prepare: true agreement = 0.8·(1 − 0.02) + 0.2·(1 − 0.3) = 0.924
    const rng = rngFor(1);
    let state = freshShadowTest();

    // Act
    for (let h = 0; h < 48; h++)
      state = advanceShadowTest(state, shadowHour(rng, 100, 0, 0.3, 0.02), DEFAULT_WINNER_TEST_SETTINGS);
    const view = viewShadowTest(state);

    // Assess
    expect(view.requests).toBe(4_800);
    expect(view.agreement.lower).toBeLessThan(0.924);
    expect(view.agreement.upper).toBeGreaterThan(0.924);
    expect(view.agreement.upper - view.agreement.lower).toBeLessThan(0.05);
    expect(view.paired.pairs).toBe(0);
    expect(view.paired.decision).toBe('undecided');
  });

  it('finds a better shadow with far fewer labels than an A/B split needs', () => {
    // Prepare: the shadow errs 0.2·0.7 + 0.8·0.02 = 15.6% vs production's 20%; 10 labels an hour paired, 50 split
    const hoursToDecide: number[] = [];
    const splitHours: number[] = [];
    for (let e = 0; e < 40; e++) {
      const rng = rngFor(9_000 + e);
      let state = freshShadowTest();
      for (let h = 0; h < 336 && viewShadowTest(state).paired.decision === 'undecided'; h++) {
        state = advanceShadowTest(state, shadowHour(rng, 100, 10, 0.3, 0.02), DEFAULT_WINNER_TEST_SETTINGS);
      }
      const view = viewShadowTest(state).paired;
      if (view.decision === 'B') hoursToDecide.push(view.decidedAt!);
      const split = runExperiment(
        { hours: 336, requests: 100, shareB: 0.5, labelled: 0.5, errorA: () => 0.2, errorB: () => 0.156 },
        DEFAULT_WINNER_TEST_SETTINGS,
        rngFor(19_000 + e),
      );
      splitHours.push(split.decision === 'B' ? split.decidedAtHour! : Number.POSITIVE_INFINITY);
    }

    // Assess
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const pairedLabels = 10 * median(hoursToDecide);
    const splitLabels = 50 * median(splitHours);
    console.info(
      `shadow pairing: decided in ${hoursToDecide.length}/40 after a median ${pairedLabels} labels; A/B split: ${splitLabels} labels`,
    );
    expect(hoursToDecide).toHaveLength(40);
    expect(pairedLabels * 2).toBeLessThan(splitLabels);
  });

  it('decides nothing when the shadow errs exactly as often as production (paired A/A)', () => {
    // Prepare: fixes 10% of production's errors and makes 2.5% new ones: 0.2·0.9 + 0.8·0.025 = 0.2
    let decided = 0;
    for (let e = 0; e < 500; e++) {
      const rng = rngFor(50_000 + e);
      let state = freshShadowTest();
      for (let h = 0; h < 96; h++)
        state = advanceShadowTest(state, shadowHour(rng, 20, 20, 0.1, 0.025), DEFAULT_WINNER_TEST_SETTINGS);
      if (viewShadowTest(state).paired.decision !== 'undecided') decided += 1;
    }

    // Assess
    expect(decided / 500).toBeLessThanOrEqual(0.05 + 2 * Math.sqrt((0.05 * 0.95) / 500));
  });
});
