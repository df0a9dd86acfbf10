import { describe, expect, it } from 'vitest';
import type { NumericSummary } from '../../../functions/engine/baseline/feature-summary.ts';
import { numericalMetrics } from '../../../functions/engine/drift/numerical-metrics.ts';
import { KllSketch } from '../../../functions/engine/sketch/kll-sketch.ts';
import { ksStatistic } from '../../../functions/engine/stats/ks.ts';
import { ksPValueAsymptotic } from '../../../functions/engine/stats/ks-asymptotic.ts';
import { kllRankError } from '../../../functions/engine/verdicts/rank-error.ts';
import { sketchAwareKsPValue } from '../../../functions/engine/verdicts/sketch-ks.ts';
import { rngFor } from './support/streams.ts';

// Same-distribution pairs summarised by the engine's own KLL sketch (k = 2048). A KS test at α must reject at
// most α + 2 SE of them at every size; the p-value that ignores the sketch's rank error rejects nearly all
// once the sampling noise of D falls below the sketch's error.
const PAIRS = 200;
const ALPHA = 0.05;
const bound = ALPHA + 2 * Math.sqrt((ALPHA * (1 - ALPHA)) / PAIRS);

const sketchOf = (n: number, rng: () => number, seed: number): KllSketch => {
  const sketch = new KllSketch(2048, 0.64, seed);
  for (let i = 0; i < n; i++) sketch.update(rng());
  return sketch;
};

/** merges the pool's chunks named by `picks` into one sketch of their union */
const mergedOf = (pool: readonly KllSketch[], picks: readonly number[], seed: number): KllSketch => {
  const sketch = new KllSketch(2048, 0.64, seed);
  for (const i of picks) sketch.merge(pool[i]!);
  return sketch;
};

const shuffled = (n: number, rng: () => number): number[] => {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
};

const rejections = (pairs: readonly [KllSketch, KllSketch][]) => {
  let adjusted = 0;
  let naive = 0;
  for (const [a, b] of pairs) {
    const d = ksStatistic(a.toWeightedSample(), b.toWeightedSample());
    const sides = [
      { n: a.n, exact: a.isExact },
      { n: b.n, exact: b.isExact },
    ] as const;
    if (sketchAwareKsPValue(d, sides[0], sides[1]) <= ALPHA) adjusted += 1;
    if (ksPValueAsymptotic(d, a.n, b.n) <= ALPHA) naive += 1;
  }
  return { adjusted: adjusted / pairs.length, naive: naive / pairs.length };
};

describe('KS p-values on sketches admit the sketch error', () => {
  it.each([1_000, 10_000])('keeps the false-positive rate at %s rows per side', (n) => {
    // Prepare
    const rng = rngFor(n);
    const pairs = Array.from(
      { length: PAIRS },
      (_, i) => [sketchOf(n, rng, 2 * i + 1), sketchOf(n, rng, 2 * i + 2)] as [KllSketch, KllSketch],
    );

    // Act
    const result = rejections(pairs);

    // Assess
    console.info(`${n} rows: adjusted ${result.adjusted}, naive ${result.naive}`);
    expect(result.adjusted).toBeLessThanOrEqual(bound);
  });

  // larger sides are simulated by merging profiles: a pool of 40 sketches of fresh values, every pair the merge
  // of two disjoint random sets of 10 of them (so each side is an independent sample of its size; pairs share
  // chunks, so their outcomes are not independent of each other). 10^7 rows per side: `npm run bench`.
  it.each([
    [100_000, false],
    [1_000_000, true],
  ])('keeps it at %s rows per side (merged chunk sketches); naive p-value fails: %s', (n, naiveFails) => {
    const rng = rngFor(n + 1);
    const poolSize = 40;
    const chunks = 10;
    const pool = Array.from({ length: poolSize }, (_, i) => sketchOf(n / chunks, rng, 10_000 + i));
    const pairs = Array.from({ length: PAIRS }, (_, i): [KllSketch, KllSketch] => {
      const order = shuffled(poolSize, rng);
      return [
        mergedOf(pool, order.slice(0, chunks), 3 * i + 1),
        mergedOf(pool, order.slice(chunks, 2 * chunks), 3 * i + 2),
      ];
    });

    const result = rejections(pairs);

    console.info(`${n} rows (merged): adjusted ${result.adjusted}, naive ${result.naive}`);
    expect(result.adjusted).toBeLessThanOrEqual(bound);
    if (naiveFails) expect(result.naive).toBeGreaterThan(bound);
  });

  it('calibrates ε: fresh sketches of 10^5 values never exceed it in their largest rank error', () => {
    const epsilon = kllRankError(2048);
    const n = 100_000;
    let worst = 0;
    for (let trial = 0; trial < 30; trial++) {
      const rng = rngFor(77 + trial);
      const values = Float64Array.from({ length: n }, () => rng());
      const sketch = new KllSketch(2048, 0.64, 1 + trial);
      for (const v of values) sketch.update(v);
      values.sort();
      const { values: kept, weights } = sketch.toWeightedSample();
      let cumulative = 0;
      let exactBelow = 0;
      for (let i = 0; i < kept.length; i++) {
        cumulative += weights[i]!;
        while (exactBelow < n && values[exactBelow]! <= kept[i]!) exactBelow += 1;
        worst = Math.max(worst, Math.abs(cumulative / sketch.n - exactBelow / n));
      }
    }
    console.info(
      `largest rank error over 30 sketches of 1e5 values: ${worst.toFixed(5)} (ε = ${epsilon.toFixed(5)})`,
    );
    expect(worst).toBeLessThan(epsilon);
    // and ε is not a vacuous bound: the error reaches a good share of it
    expect(worst).toBeGreaterThan(epsilon / 4);
  });

  it('is the p-value the data check reports for compacted sketches: the same 10^6 values in two orders', () => {
    const rng = rngFor(99);
    const values = Float64Array.from({ length: 1_000_000 }, () => rng());
    const summary = (seed: number, order: number[] | null): NumericSummary => {
      const sketch = new KllSketch(2048, 0.64, seed);
      if (order) for (const i of order) sketch.update(values[i]!);
      else for (const v of values) sketch.update(v);
      return {
        count: sketch.n,
        sum: 0,
        mean: 0.5,
        stdDev: 0.29,
        min: 0,
        max: 1,
        sample: sketch.toWeightedSample(),
        exact: false,
      };
    };
    const reversed = Array.from({ length: values.length }, (_, i) => values.length - 1 - i);
    const metrics = numericalMetrics(summary(1, null), summary(2, reversed));
    // D is the two sketches' error alone, inside their margins: no evidence of a difference
    expect(metrics.ks.statistic).toBeGreaterThan(0);
    expect(metrics.ks.statistic).toBeLessThan(2 * kllRankError(2048));
    expect(metrics.ks.pValue).toBe(1);
  });
});
