import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedJoin } from '../../../functions/engine/labels/bounded-join.ts';
import { joinLabels } from '../../../functions/engine/labels/join-labels.ts';

interface Prediction {
  id: string;
  value: number;
  segment: number;
}
interface Label {
  id: string;
  value: number;
}

/** the pairs as sorted "prediction|segment|label" strings: the join hands them over in no particular order */
const asMultiset = (pairs: [number, number, number][]): string[] => pairs.map((p) => p.join('|')).sort();

/** the in-memory join (joinLabels), the reference for every count and pair */
const referenceJoin = async (predictions: Prediction[], labels: Label[]) => {
  const joined = await joinLabels(
    predictions.map((p) => ({ id: p.id, prediction: p.value, segment: String(p.segment) })),
    labels.map((l, i) => ({ line: i + 1, id: l.id, label: l.value })),
  );
  return {
    counts: {
      unmatchedPredictions: joined.unmatchedPredictions,
      unmatchedLabels: joined.unmatchedLabels,
      duplicateIds: joined.duplicateIds,
    },
    pairs: asMultiset(
      joined.pairs.map(
        (p) => [p.prediction as number, Number(p.segment), p.label as number] as [number, number, number],
      ),
    ),
  };
};

const boundedJoin = (predictions: Prediction[], labels: Label[], maxRowsInMemory: number, fanout = 4) => {
  const join = new BoundedJoin({ maxRowsInMemory, fanout, bufferBytes: 64 });
  for (const p of predictions) join.addPredictionId(p.id, p.value, p.segment);
  for (const l of labels) join.addLabelId(l.id, l.value);
  const pairs: [number, number, number][] = [];
  const counts = join.finish((prediction, segment, label) => pairs.push([prediction, segment, label]));
  return { counts, pairs: asMultiset(pairs), stats: join.stats };
};

// ids from a small alphabet, so that repeats, orphans and unlabelled predictions all happen often
const id = fc.oneof(
  fc.integer({ min: 0, max: 60 }).map(String),
  fc.constantFrom('é', 'ü-7', '日本', 'a,b', ''),
);
const predictions = fc.array(
  fc.record({ id, value: fc.integer({ min: 0, max: 9 }), segment: fc.integer({ min: 0, max: 2 }) }),
  { maxLength: 120 },
);
const labels = fc.array(fc.record({ id, value: fc.integer({ min: 0, max: 1 }) }), { maxLength: 120 });

describe('BoundedJoin', () => {
  it('gives the in-memory join its counts and pairs, however small its memory (property)', async () => {
    await fc.assert(
      fc.asyncProperty(predictions, labels, fc.integer({ min: 1, max: 40 }), async (ps, ls, maxRows) => {
        // Prepare
        const expected = await referenceJoin(ps, ls);
        // Act
        const actual = boundedJoin(ps, ls, maxRows, 2);
        // Assess
        expect(actual.counts).toEqual(expected.counts);
        expect(actual.pairs).toEqual(expected.pairs);
        expect(actual.stats.peakRowsInMemory).toBeLessThanOrEqual(maxRows);
      }),
      { numRuns: 300 },
    );
  });

  it('never holds more ids in memory than allowed: it partitions by id hash and splits a partition again', () => {
    // Prepare: 5,000 distinct ids, 200 allowed, 4 partitions a level: level 1 parts of ~1,250 must split again
    const ps = Array.from({ length: 5000 }, (_, i) => ({ id: `id-${i}`, value: i % 7, segment: 0 }));
    const ls = ps.filter((_, i) => i % 3 !== 0).map((p) => ({ id: p.id, value: 1 }));
    // Act
    const { counts, stats, pairs } = boundedJoin(ps, ls, 200);
    // Assess
    expect(stats.spilled).toBe(true);
    expect(stats.peakRowsInMemory).toBeLessThanOrEqual(200);
    expect(stats.depth).toBeGreaterThanOrEqual(2);
    expect(stats.partitionsJoined).toBeGreaterThan(25);
    expect(counts).toEqual({ unmatchedPredictions: 1667, unmatchedLabels: 0, duplicateIds: 0 });
    expect(pairs).toHaveLength(3333);
  });

  it('loads a partition of one id sent many times without splitting it forever', () => {
    // Prepare: 1,000 copies of one id and 50 other ids, 10 allowed in memory
    const ps = [
      ...Array.from({ length: 1000 }, (_, i) => ({ id: 'retried', value: i, segment: 0 })),
      ...Array.from({ length: 50 }, (_, i) => ({ id: `other-${i}`, value: 1, segment: 0 })),
    ];
    const ls = [{ id: 'retried', value: 1 }];
    // Act
    const { counts, pairs, stats } = boundedJoin(ps, ls, 10);
    // Assess: the last prediction of the retried id wins, each repeat counted once
    expect(pairs).toEqual(['0|0|1']);
    expect(counts).toEqual({ unmatchedPredictions: 50, unmatchedLabels: 0, duplicateIds: 999 });
    expect(stats.peakRowsInMemory).toBeLessThanOrEqual(10);
  });

  it('writes nothing to disk when the window fits in memory', () => {
    const { stats } = boundedJoin([{ id: 'a', value: 1, segment: 0 }], [{ id: 'a', value: 0 }], 10);
    expect(stats).toMatchObject({ spilled: false, spillBytes: 0, depth: 1, peakRowsInMemory: 1 });
  });

  it('rejects a prediction that comes after the labels', () => {
    const join = new BoundedJoin();
    join.addLabelId('a', 1);
    expect(() => join.addPredictionId('a', 1)).toThrow(/every prediction must come before the labels/);
    join.dispose();
  });

  it('forgets the labels on resetLabels, keeping the predictions', () => {
    const join = new BoundedJoin({ maxRowsInMemory: 1, fanout: 2 });
    join.addPredictionId('a', 0.5);
    join.addPredictionId('b', 0.25);
    join.addLabelId('a', 1);
    join.addLabelId('a', 1);
    join.addLabelId('zz', 1);
    join.resetLabels();
    join.addLabelId('b', 0);
    const pairs: number[][] = [];
    const counts = join.finish((p, s, l) => pairs.push([p, s, l]));
    expect(pairs).toEqual([[0.25, -1, 0]]);
    expect(counts).toEqual({ unmatchedPredictions: 1, unmatchedLabels: 0, duplicateIds: 0 });
  });
});
