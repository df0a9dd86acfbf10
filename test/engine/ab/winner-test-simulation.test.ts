import { describe, expect, it } from 'vitest';
import { DEFAULT_WINNER_TEST_SETTINGS } from '../../../functions/engine/ab/paired-test.ts';
import { rngFor } from '../verdicts/support/streams.ts';
import { type Experiment, median, runExperiment } from './ab-simulation.ts';

// Every experiment is read every hour for two weeks; a decision is final once made.
const EXPERIMENTS = 500;
const ALPHA = DEFAULT_WINNER_TEST_SETTINGS.alpha;
const SE = Math.sqrt((ALPHA * (1 - ALPHA)) / EXPERIMENTS);
const HOURS = 336;

/** a daily pattern both variants share: errors rise in the evening */
const diurnal = (base: number) => (hour: number) => base + 0.08 * Math.sin((2 * Math.PI * hour) / 24);

const wrongDecisions = (experiment: Experiment, seed: number) => {
  let decided = 0;
  for (let e = 0; e < EXPERIMENTS; e++) {
    const outcome = runExperiment(experiment, DEFAULT_WINNER_TEST_SETTINGS, rngFor(seed * 10_007 + e));
    if (outcome.decision !== 'undecided') decided += 1;
  }
  return decided / EXPERIMENTS;
};

describe('the winner test read every hour: A/A experiments decide nothing', () => {
  it.each<[string, Experiment]>([
    [
      'an even split, steady 20% errors',
      { hours: HOURS, requests: 120, shareB: 0.5, labelled: 0.5, errorA: () => 0.2, errorB: () => 0.2 },
    ],
    [
      'a 90/10 split, errors that follow the hour of day',
      { hours: HOURS, requests: 200, shareB: 0.1, labelled: 0.5, errorA: diurnal(0.2), errorB: diurnal(0.2) },
    ],
  ])('in <= α + 2 SE of %s', (name, experiment) => {
    // Act
    const rate = wrongDecisions(experiment, name.length);

    // Assess
    console.info(`A/A (${name}): ${EXPERIMENTS} experiments, ${HOURS} hourly looks, wrong decisions ${rate}`);
    expect(rate).toBeLessThanOrEqual(ALPHA + 2 * SE);
  });

  it('fails to hold α when a fresh fixed-sample test is run at every hourly look (why the betting test exists)', () => {
    // Prepare: a two-proportion z-test at level α on everything seen so far, read every hour
    let decided = 0;
    const experiments = 200;
    for (let e = 0; e < experiments; e++) {
      const rng = rngFor(77_000 + e);
      let nA = 0;
      let eA = 0;
      let nB = 0;
      let eB = 0;
      for (let hour = 0; hour < HOURS; hour++) {
        for (let i = 0; i < 30; i++) {
          nA += 1;
          eA += rng() < 0.2 ? 1 : 0;
          nB += 1;
          eB += rng() < 0.2 ? 1 : 0;
        }
        const pooled = (eA + eB) / (nA + nB);
        const z = (eA / nA - eB / nB) / Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
        if (Math.abs(z) > 1.96) {
          decided += 1;
          break;
        }
      }
    }

    // Assess: the naive monitor decides an A/A test far more often than α
    console.info(`A/A with a fresh z-test at every hourly look: ${decided / experiments} decided`);
    expect(decided / experiments).toBeGreaterThan(3 * ALPHA);
  });
});

describe('the winner test finds a real difference', () => {
  it.each<[string, Experiment, number]>([
    [
      'B errs 5 points less (20% vs 15%), even split, 60 labels an hour',
      { hours: HOURS, requests: 120, shareB: 0.5, labelled: 0.5, errorA: () => 0.2, errorB: () => 0.15 },
      0.9,
    ],
    [
      'B errs 5 points less, 80/20 split, 60 labels an hour, diurnal errors',
      {
        hours: HOURS,
        requests: 120,
        shareB: 0.2,
        labelled: 0.5,
        errorA: diurnal(0.2),
        errorB: diurnal(0.15),
      },
      0.5,
    ],
  ])('%s: picks B, never A', (name, experiment, minimumRate) => {
    // Act
    const hours: number[] = [];
    let pickedA = 0;
    for (let e = 0; e < EXPERIMENTS; e++) {
      const outcome = runExperiment(experiment, DEFAULT_WINNER_TEST_SETTINGS, rngFor(4_242 + e));
      if (outcome.decision === 'B') hours.push(outcome.decidedAtHour!);
      if (outcome.decision === 'A') pickedA += 1;
    }

    // Assess
    const rate = hours.length / EXPERIMENTS;
    const at = hours.length > 0 ? median(hours) : null;
    console.info(`A/B (${name}): decided B in ${rate} of ${EXPERIMENTS} within ${HOURS} h; median ${at} h`);
    expect(pickedA / EXPERIMENTS).toBeLessThanOrEqual(ALPHA / 2 + 2 * SE);
    expect(rate).toBeGreaterThanOrEqual(minimumRate);
  });
});
