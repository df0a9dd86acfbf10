/**
 * Simulated A/B experiments for the winner-test tests: every hour a traffic split routes requests to A or B
 * at random, a share of them gets labels, and each label is an error with the variant's error rate for that
 * hour. The test is read every hour, as a monitor would.
 */
import {
  type AbTestState,
  advanceAbTest,
  freshAbTest,
  viewAbTest,
} from '../../../functions/engine/ab/ab-test.ts';
import type { WinnerDecision, WinnerTestSettings } from '../../../functions/engine/ab/paired-test.ts';
import { binomial, type Rng } from '../verdicts/support/streams.ts';

export interface Experiment {
  readonly hours: number;
  /** requests an hour, both variants together */
  readonly requests: number;
  /** share of requests routed to B */
  readonly shareB: number;
  /** share of requests that get a label */
  readonly labelled: number;
  /** each variant's error rate in an hour */
  readonly errorA: (hour: number) => number;
  readonly errorB: (hour: number) => number;
}

export interface Outcome {
  readonly decision: WinnerDecision;
  /** hours read when it was decided */
  readonly decidedAtHour: number | null;
  readonly state: AbTestState;
}

const errors = (n: number, rate: number, rng: Rng): number[] => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(rng() < rate ? 1 : 0);
  return out;
};

export const runExperiment = (experiment: Experiment, settings: WinnerTestSettings, rng: Rng): Outcome => {
  let state = freshAbTest('A', 'B');
  for (let hour = 0; hour < experiment.hours; hour++) {
    const toB = binomial(experiment.requests, experiment.shareB, rng);
    const toA = experiment.requests - toB;
    const labelsA = binomial(toA, experiment.labelled, rng);
    const labelsB = binomial(toB, experiment.labelled, rng);
    state = advanceAbTest(
      state,
      [
        { requests: toA, losses: errors(labelsA, experiment.errorA(hour), rng) },
        { requests: toB, losses: errors(labelsB, experiment.errorB(hour), rng) },
      ],
      settings,
    );
    // the decision is kept once made, so reading it every hour is reading it at the end
  }
  const view = viewAbTest(state);
  return { decision: view.decision, decidedAtHour: view.decidedAtHour, state };
};

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
