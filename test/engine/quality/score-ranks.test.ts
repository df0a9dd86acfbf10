import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rankingMetrics } from '../../../functions/engine/quality/ranking-metrics.ts';
import { RankMemory, ScoreRanks } from '../../../functions/engine/quality/score-ranks.ts';

/** the curve as the walk reports it: one [tps, fps] per distinct score, highest first */
const curveOf = (ranks: ScoreRanks): [number, number][] => {
  const points: [number, number][] = [];
  ranks.walk((tps, fps) => points.push([tps, fps]));
  return points;
};

/** the curve by the textbook: distinct scores descending, counts at or above each */
const textbookCurve = (scores: number[], labels: (0 | 1)[]): [number, number][] => {
  const distinct = [...new Set(scores.map((s) => s + 0))].sort((a, b) => b - a);
  return distinct.map((t) => {
    let tps = 0;
    let fps = 0;
    scores.forEach((s, i) => {
      if (s >= t) {
        if (labels[i] === 1) tps += 1;
        else fps += 1;
      }
    });
    return [tps, fps];
  });
};

const fill = (ranks: ScoreRanks, scores: number[], labels: (0 | 1)[]): ScoreRanks => {
  scores.forEach((s, i) => {
    ranks.add(s, labels[i]!);
  });
  return ranks;
};

// scores that tie a lot, crowd into one bucket (0.5 + tiny), sit on bucket edges, and include 0, -0 and 1
const score = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.constantFrom(0, -0, 1, 0.5, 1 / 64, 63 / 64, 0.25),
  fc.integer({ min: 0, max: 20 }).map((k) => 0.5 + k * 2 ** -50),
  fc.integer({ min: 0, max: 20 }).map((k) => k * 2 ** -1070),
);
const sample = fc
  .array(fc.tuple(score, fc.constantFrom<0 | 1>(0, 1)), { maxLength: 300 })
  .map((pairs) => ({ scores: pairs.map((p) => p[0]), labels: pairs.map((p) => p[1]) }));

describe('ScoreRanks', () => {
  it('walks every distinct score from the top with the counts at or above it, in memory and on disk (property)', () => {
    fc.assert(
      fc.property(sample, fc.integer({ min: 1, max: 12 }), ({ scores, labels }, limit) => {
        // Prepare
        const expected = textbookCurve(scores, labels);
        const memory = new RankMemory(limit, { bufferBytes: 64 });
        // Act
        const inMemory = fill(new ScoreRanks(), scores, labels);
        const onDisk = fill(new ScoreRanks(memory), scores, labels);
        // Assess
        expect(curveOf(inMemory)).toEqual(expected);
        expect(curveOf(onDisk)).toEqual(expected);
        expect(rankingMetrics(onDisk)).toEqual(rankingMetrics(inMemory));
        expect(memory.used).toBeLessThanOrEqual(limit);
        onDisk.dispose();
      }),
      { numRuns: 300 },
    );
  });

  it('splits a bucket too big for memory by score bits, and counts one score repeated past the limit at once', () => {
    // Prepare: 2,000 scores inside one first-level bucket, 100 copies of 0.75, 10 allowed in memory
    const scores = [
      ...Array.from({ length: 2000 }, (_, i) => 0.5 + (i % 997) * 2 ** -40),
      ...Array.from({ length: 100 }, () => 0.75),
    ];
    const labels = scores.map((_, i) => (i % 3 === 0 ? 1 : 0) as 0 | 1);
    const memory = new RankMemory(10, { bufferBytes: 256 });
    // Act
    const ranks = fill(new ScoreRanks(memory), scores, labels);
    // Assess
    expect(ranks.spilled).toBe(true);
    expect(curveOf(ranks)).toEqual(textbookCurve(scores, labels));
    ranks.dispose();
  });

  it('spills every curve that shares a budget when together they pass it', () => {
    const memory = new RankMemory(5);
    const a = new ScoreRanks(memory);
    const b = new ScoreRanks(memory);
    for (let i = 0; i < 3; i++) a.add(i / 10, 1);
    for (let i = 0; i < 3; i++) b.add(i / 10, 0);
    expect([a.spilled, b.spilled, memory.used]).toEqual([true, true, 0]);
    expect(curveOf(a)).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
    a.dispose();
    b.dispose();
  });
});
