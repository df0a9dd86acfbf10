import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { firstLabelPerId } from '../../../functions/engine/labels/first-label-wins.ts';
import type { LabelRecord } from '../../../functions/engine/labels/ground-truth.ts';
import { joinLabels } from '../../../functions/engine/labels/join-labels.ts';

const label = (id: string, value: string, line = 1): LabelRecord => ({ line, id, label: value });

describe('firstLabelPerId', () => {
  test('keeps the first label of an id, counts a repeat as a duplicate and another value as a conflict', () => {
    // Prepare
    const batches = [
      { key: 'a', labels: [label('x', '1'), label('y', '0'), label('x', '1', 3)] },
      { key: 'b', labels: [label('y', '1'), label('z', '0')] },
    ];

    // Act
    const first = firstLabelPerId(batches);

    // Assess
    expect(first.batches.map((b) => [b.key, b.labels.map((l) => `${l.id}=${l.label}`)])).toEqual([
      ['a', ['x=1', 'y=0']],
      ['b', ['z=0']],
    ]);
    expect(first).toMatchObject({ duplicates: 1, conflicts: 1 });
    expect(first.conflictSamples).toEqual([{ id: 'y', kept: '0', ignored: '1' }]);
  });

  test('every id once, with the value of its earliest occurrence; kept + duplicates + conflicts = all', () => {
    const batchArb = fc.array(
      fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.constantFrom('0', '1')), {
        maxLength: 8,
      }),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(batchArb, (raw) => {
        const batches = raw.map((pairs) => ({ labels: pairs.map(([id, v]) => label(id, v)) }));
        const first = firstLabelPerId(batches);
        const kept = first.batches.flatMap((b) => b.labels);
        const all = raw.flat();
        expect(new Set(kept.map((l) => l.id)).size).toBe(kept.length);
        for (const l of kept) expect(l.label).toBe(all.find(([id]) => id === l.id)?.[1]);
        expect(kept.length + first.duplicates + first.conflicts).toBe(all.length);
      }),
    );
  });
});

describe('joinLabels', () => {
  test('a repeated id keeps its first prediction and its first label, and counts the repeats', async () => {
    const joined = await joinLabels(
      [
        { id: 'p', prediction: 1, score: 0.9 },
        { id: 'p', prediction: 0, score: 0.1 },
      ],
      [label('p', '1'), label('p', '0')],
    );
    expect(joined.pairs).toEqual([{ id: 'p', prediction: 1, score: 0.9, label: '1' }]);
    expect(joined.duplicateIds).toBe(2);
  });
});
