import { describe, expect, it } from 'vitest';
import {
  advanceFeatureEvidence,
  evidenceOf,
  freshFeatureEvidence,
  restartDetector,
} from '../../../functions/engine/verdicts/feature-evidence.ts';
import { verdictSettings } from '../../../functions/engine/verdicts/verdict-settings.ts';
import {
  drawWindow,
  median,
  rngFor,
  shiftedCdf,
  shiftForDistance,
  simulatedReference,
} from './support/streams.ts';

// The Shiryaev–Roberts form for monitors that run for ever: it restarts after each alarm, and its guarantee is
// a mean run length to a false alarm of at least the threshold A.
const A = 48;

/** windows to the first alarm (null: none within `windows`), for a shift of `distance` from `shiftAt` */
const runLength = (
  seed: number,
  distance: number,
  shiftAt: number,
  windows: number,
  form: 'test' | 'shiryaev-roberts',
  arl = A,
) => {
  const settings = verdictSettings({ form, arl });
  const rng = rngFor(seed);
  const reference = simulatedReference(100_000, 32, settings.referenceRisk, rng);
  const before = shiftedCdf(reference, 0);
  const after = shiftedCdf(reference, shiftForDistance(distance));
  const threshold = form === 'test' ? 1 / settings.alpha : arl;
  let state = freshFeatureEvidence(32);
  for (let t = 0; t < windows; t++) {
    const window = drawWindow(t >= shiftAt ? after : before, 100, rng);
    state = advanceFeatureEvidence(
      state,
      reference,
      reference.probabilities,
      reference.margin,
      window,
      settings,
    ).state;
    if (evidenceOf(state, settings) >= threshold) {
      // a detector alarm before the change is a false one: restart and keep watching
      if (form === 'shiryaev-roberts' && t < shiftAt) state = restartDetector(state);
      else return t + 1;
    }
  }
  return null;
};

describe('the Shiryaev–Roberts form', () => {
  it(`keeps the mean run length to a false alarm above A = ${A} windows`, () => {
    const lengths: number[] = [];
    // runs without a false alarm are censored at 1,000 windows
    for (let s = 0; s < 60; s++)
      lengths.push(runLength(60 + s, 0, Number.POSITIVE_INFINITY, 1_000, 'shiryaev-roberts') ?? 1_000);
    const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    expect(mean).toBeGreaterThan(A);
  });

  it('finds a change late in a long quiet run (A = 8760, a year of hours) as fast as an early one', () => {
    const late: number[] = [];
    const early: number[] = [];
    for (let s = 0; s < 60; s++) {
      const at = runLength(300 + s, 0.15, 1_500, 2_000, 'shiryaev-roberts', 8_760);
      if (at !== null && at > 1_500) late.push(at - 1_500);
      const first = runLength(300 + s, 0.15, 200, 2_000, 'shiryaev-roberts', 8_760);
      if (first !== null && first > 200) early.push(first - 200);
    }
    console.info(
      `KS 0.15 @ 100 rows, Shiryaev–Roberts at 8760: after 1,500 quiet windows ${median(late)}, after 200 ${median(early)}`,
    );
    expect(late.length).toBeGreaterThanOrEqual(57);
    expect(median(late)).toBeLessThanOrEqual(median(early) * 1.25 + 2);
  });

  it('starts again after an alarm', () => {
    const settings = verdictSettings({ form: 'shiryaev-roberts' });
    const state = { ...freshFeatureEvidence(4), detector: [5, 6, 7, 8, 9] };
    expect(evidenceOf(restartDetector(state), settings)).toBe(0);
  });
});
