import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  advanceMeanSequence,
  freshMeanSequence,
  meanInterval,
} from '../../../functions/engine/ab/mean-sequence.ts';
import { rngFor } from '../verdicts/support/streams.ts';
import '../../support/fast-check-seed.ts';

const ALPHA = 0.05;
const STREAMS = 500;
const SE = Math.sqrt((ALPHA * (1 - ALPHA)) / STREAMS);

/** a Bernoulli(p) or a Beta-like bounded stream, fed in hourly batches; true when the interval ever misses the mean */
const everMisses = (seed: number, mean: number, draw: (rng: () => number) => number): boolean => {
  const rng = rngFor(seed);
  let state = freshMeanSequence();
  for (let hour = 0; hour < 300; hour++) {
    const batch: number[] = [];
    for (let i = 0; i < 20; i++) batch.push(draw(rng));
    state = advanceMeanSequence(state, batch, ALPHA);
    const { lower, upper } = meanInterval(state, 0, 1);
    if (mean < lower || mean > upper) return true;
  }
  return false;
};

describe('the empirical-Bernstein confidence sequence', () => {
  it.each<[string, number, (rng: () => number) => number]>([
    ['Bernoulli(0.2)', 0.2, (rng) => (rng() < 0.2 ? 1 : 0)],
    ['Bernoulli(0.5)', 0.5, (rng) => (rng() < 0.5 ? 1 : 0)],
    ['a skewed loss, mean 1/4', 0.25, (rng) => rng() ** 3],
  ])('covers the mean of %s at every hourly look in >= 1 − α − 2 SE of streams', (_name, mean, draw) => {
    // Act
    let misses = 0;
    for (let s = 0; s < STREAMS; s++) if (everMisses(500 + s, mean, draw)) misses += 1;

    // Assess: Theorem 2 of Waudby-Smith & Ramdas (2023): P(∃t: μ ∉ C_t) <= α
    expect(misses / STREAMS).toBeLessThanOrEqual(ALPHA + 2 * SE);
  });

  it('is at least as wide as the fixed-time normal interval and narrows as data come in', () => {
    // Prepare: 0/1 values at mean 0.3, exactly
    const values = Array.from({ length: 10_000 }, (_, i) => (i % 10 < 3 ? 1 : 0));

    // Act
    const early = meanInterval(advanceMeanSequence(freshMeanSequence(), values.slice(0, 1_000), ALPHA), 0, 1);
    const late = meanInterval(advanceMeanSequence(freshMeanSequence(), values, ALPHA), 0, 1);

    // Assess: a time-uniform interval pays for uniformity over the fixed-n z-interval 1.96·sqrt(p(1 − p)/n)
    const z = 1.96 * Math.sqrt((0.3 * 0.7) / values.length);
    expect(late.upper - late.lower).toBeGreaterThan(2 * z);
    expect(late.upper - late.lower).toBeLessThan(early.upper - early.lower);
    expect(late.lower).toBeLessThan(0.3);
    expect(late.upper).toBeGreaterThan(0.3);
  });

  it('keeps nested intervals inside the values’ range (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), { maxLength: 20 }),
        (batches) => {
          let state = freshMeanSequence();
          let previous = meanInterval(state, -1, 1);
          for (const batch of batches) {
            state = advanceMeanSequence(state, batch, ALPHA);
            const now = meanInterval(state, -1, 1);
            expect(now.lower).toBeGreaterThanOrEqual(Math.max(-1, previous.lower) - 1e-12);
            expect(now.upper).toBeLessThanOrEqual(Math.min(1, previous.upper) + 1e-12);
            previous = now;
          }
        },
      ),
    );
  });
});
