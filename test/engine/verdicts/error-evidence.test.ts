import { describe, expect, it } from 'vitest';
import {
  advanceErrorEvidence,
  type ErrorEvidenceState,
  errorEvidenceOf,
  errorUpperBound,
  freshErrorEvidence,
} from '../../../functions/engine/verdicts/error-evidence.ts';
import { verdictsReference } from './support/reference-figures.ts';
import { binomial, rngFor } from './support/streams.ts';

const STREAMS = 200;
const ALPHA = 0.05;
const bound = ALPHA + 2 * Math.sqrt((ALPHA * (1 - ALPHA)) / STREAMS);

/** hourly batches of `labels` labels with error rate `rate` from batch `from` on (before: `base`) */
const firstAlarm = (
  seed: number,
  theta: number,
  base: number,
  rate: number,
  from: number,
  labels = 100,
  batches = 720,
): number | null => {
  const rng = rngFor(seed);
  let state: ErrorEvidenceState = freshErrorEvidence();
  for (let t = 0; t < batches; t++) {
    const errors = binomial(labels, t >= from ? rate : base, rng);
    state = advanceErrorEvidence(state, { n: labels, sum: errors }, theta, 'error-rate').state;
    if (errorEvidenceOf(state) >= 1 / ALPHA) return t;
  }
  return null;
};

describe('the error e-process: harm, not just change', () => {
  it.each(verdictsReference.clopperPearson.map((c) => [c.errors, c.n, c.risk, c.upper] as const))(
    'upper bound of %s errors in %s at risk %s matches scipy beta.ppf',
    (errors, n, risk, upper) => {
      expect(errorUpperBound(errors, n, risk)).toBeCloseTo(upper, 7);
    },
  );

  it('alarms in <= α + 2 SE of streams whose error sits at the tolerance θ for a month', () => {
    let alarms = 0;
    for (let s = 0; s < STREAMS; s++) if (firstAlarm(40 + s, 0.2, 0.2, 0.2, 0) !== null) alarms += 1;
    expect(alarms / STREAMS).toBeLessThanOrEqual(bound);
  });

  it('finds an error 10 points over θ within a day of hourly labels', () => {
    const delays: number[] = [];
    for (let s = 0; s < 100; s++) {
      const at = firstAlarm(900 + s, 0.2, 0.15, 0.3, 100);
      if (at !== null && at >= 100) delays.push(at - 100 + 1);
    }
    delays.sort((a, b) => a - b);
    expect(delays.length).toBe(100);
    expect(delays[50]!).toBeLessThanOrEqual(24);
  });

  it('finds a jump of the error from 0.2 to 0.5 (θ = 0.27, 200 labels an hour) within a few hourly batches', () => {
    const delays: number[] = [];
    for (let s = 0; s < 100; s++) {
      const at = firstAlarm(3000 + s, 0.27, 0.2, 0.5, 24, 200, 100);
      if (at !== null && at >= 24) delays.push(at - 24 + 1);
    }
    delays.sort((a, b) => a - b);
    expect(delays.length).toBe(100);
    expect(delays[50]!).toBeLessThanOrEqual(3);
  });

  it('bounded losses: null streams at θ stay quiet, a loss over θ is found', () => {
    let falseAlarms = 0;
    let found = 0;
    for (let s = 0; s < STREAMS; s++) {
      const rng = rngFor(7000 + s);
      let quiet = freshErrorEvidence();
      let harmed = freshErrorEvidence();
      let harmedAlarm = false;
      for (let t = 0; t < 720; t++) {
        // losses uniform on [0, 2θ] (mean θ) and, harmed, on [0, 2θ + 0.2] (mean θ + 0.1)
        const batch = (width: number) => {
          let sum = 0;
          let squares = 0;
          for (let i = 0; i < 50; i++) {
            const x = rng() * width;
            sum += x;
            squares += x * x;
          }
          return { n: 50, sum, squares };
        };
        quiet = advanceErrorEvidence(quiet, batch(0.6), 0.3, 'bounded-loss').state;
        harmed = advanceErrorEvidence(harmed, batch(0.8), 0.3, 'bounded-loss').state;
        if (errorEvidenceOf(harmed) >= 1 / ALPHA) harmedAlarm = true;
      }
      if (quiet.maxLogWealth >= Math.log(1 / ALPHA)) falseAlarms += 1;
      if (harmedAlarm) found += 1;
    }
    expect(falseAlarms / STREAMS).toBeLessThanOrEqual(bound);
    expect(found / STREAMS).toBeGreaterThan(0.95);
  });

  it('starts without a bet: a first batch of 150 labels under θ costs next to nothing', () => {
    // regression: a first bet from an estimate of ½ lost e^14 on such a batch, which no later evidence recovers
    const { state } = advanceErrorEvidence(freshErrorEvidence(), { n: 150, sum: 31 }, 0.27, 'error-rate');
    expect(state.logWealth).toBeGreaterThan(-0.5);
  });

  it('leaves the evidence unchanged by a batch without labels, and says so', () => {
    const state = advanceErrorEvidence(freshErrorEvidence(), { n: 40, sum: 30 }, 0.2, 'error-rate').state;
    const { state: after, step } = advanceErrorEvidence(state, { n: 0, sum: 0 }, 0.2, 'error-rate');
    expect(after).toBe(state);
    expect(step.status).toBe('no-labels');
  });
});
