import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CategoryCounter } from '../../../functions/engine/profile/category-counter.ts';
import { DatasetProfile } from '../../../functions/engine/profile/dataset-profile.ts';
import { FeatureProfile } from '../../../functions/engine/profile/feature-profile.ts';
import { classifyText, type DecimalScan, scanDecimal } from '../../../functions/engine/profile/value-kind.ts';

// Cells the reader's fast path hands over as spans of a line must profile exactly as the same cells
// handed over as strings.

const numberLike = fc.oneof(
  fc.constantFrom(
    '0',
    '-0',
    '+0',
    '-0.0',
    '1',
    '+7',
    '3.0',
    '.5',
    '5.',
    '-1.25e-3',
    '1E10',
    '1e400',
    '007',
    '00.10',
  ),
  fc.constantFrom(
    '123456789012345',
    '1234567890123456',
    '12345678901234567.5',
    '0.000000000000001',
    '9007199254740993',
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer().map(String),
  fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.nat(99999)).map(([i, f]) => `${i}.${f}`),
  fc.stringMatching(/^[+-]?\d{0,17}(\.\d{0,17})?([eE][+-]?\d{0,3})?$/),
);
const anyCell = fc.oneof(
  numberLike,
  fc.string({ maxLength: 8 }),
  fc.constantFrom('', ' 3', 'NaN', 'Infinity', '0x1f', '1.2.3'),
);

describe('scanDecimal', () => {
  it('classifies as classifyText does and reads the same double as Number()', () => {
    const out: DecimalScan = { kind: 'missing', value: 0 };
    fc.assert(
      fc.property(
        fc.string({ maxLength: 3 }),
        anyCell,
        fc.string({ maxLength: 3 }),
        (before, cell, after) => {
          const text = before + cell + after;
          const kind = scanDecimal(text, before.length, before.length + cell.length, out);
          expect(kind).toBe(classifyText(cell));
          if (kind === 'integral' || kind === 'fractional')
            expect(Object.is(out.value, Number(cell))).toBe(true);
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('FeatureProfile.addSpan', () => {
  it('profiles spans of a text exactly as add() profiles the sliced strings', () => {
    fc.assert(
      fc.property(
        fc.array(anyCell, { maxLength: 300 }),
        fc.integer({ min: 1, max: 40 }),
        (cells, capacity) => {
          const bySpan = new FeatureProfile('f', { sketchK: 8, categoryCapacity: capacity });
          const byValue = new FeatureProfile('f', { sketchK: 8, categoryCapacity: capacity });
          const text = cells.join(',');
          let start = 0;
          for (const cell of cells) {
            bySpan.addSpan(text, start, start + cell.length);
            byValue.add(cell === '' ? null : cell);
            start += cell.length + 1;
          }
          expect(bySpan.toJSON()).toEqual(byValue.toJSON());
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('DatasetProfile.addSpans', () => {
  it('adds a row of spans as addRow adds its cells', () => {
    const text = 'x|1.5,a,,7|y';
    const spans = new Int32Array([2, 5, 6, 7, 8, 8, 9, 10]);
    const bySpan = new DatasetProfile(['n', 's', 'm', 'i']);
    const byValue = new DatasetProfile(['n', 's', 'm', 'i']);
    bySpan.addSpans(text, spans, 0);
    byValue.addRow(['1.5', 'a', null, '7']);
    expect(bySpan.toJSON()).toEqual(byValue.toJSON());
  });
});

/** The counter as it was: a Map in first-seen order, bounded by capacity. */
const referenceCounts = (values: readonly string[], capacity: number) => {
  const counts = new Map<string, number>();
  let other = 0;
  for (const value of values) {
    const count = counts.get(value);
    if (count !== undefined) counts.set(value, count + 1);
    else if (counts.size < capacity) counts.set(value, 1);
    else other += 1;
  }
  return { counts, other };
};

describe('CategoryCounter', () => {
  it('counts as a bounded map does, whether values come as strings or spans', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 3 }),
      fc.string({ unit: 'binary', maxLength: 14 }),
      fc.constantFrom(
        'a',
        'b',
        'é',
        'ÿ',
        'Ā',
        '😀',
        'a'.repeat(20),
        'a'.repeat(13),
        '0.1234567',
        '0.1234568',
        '-0.00048',
      ),
      fc.double().map(String),
    );
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 400 }),
        fc.integer({ min: 1, max: 50 }),
        (values, capacity) => {
          const strings = new CategoryCounter(capacity);
          const spans = new CategoryCounter(capacity);
          const text = `<${values.join('\u0000')}>`;
          let start = 1;
          for (const v of values) {
            strings.add(v);
            spans.addSpan(text, start, start + v.length);
            start += v.length + 1;
          }
          const { counts, other } = referenceCounts(values, capacity);
          // most frequent first, ties in code-unit order, as the comparator over pairs had it
          const ordered = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
          for (const counter of [strings, spans]) {
            expect(counter.entries()).toEqual(ordered);
            expect(counter.other).toBe(other);
            expect(counter.distinct).toBe(counts.size);
            expect(counter.total).toBe(values.length);
            for (const [v, n] of counts) expect(counter.get(v)).toBe(n);
          }
          expect(spans.toJSON()).toEqual(strings.toJSON());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trips through JSON and merges as before', () => {
    const a = new CategoryCounter(3);
    const b = new CategoryCounter(3);
    for (const v of ['x', 'y', 'x', 'z', 'w']) a.add(v);
    for (const v of ['w', 'x', 'v']) b.add(v);
    const copy = CategoryCounter.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(copy.toJSON()).toEqual(a.toJSON());
    a.merge(b);
    expect(a.entries()).toEqual([
      ['x', 3],
      ['y', 1],
      ['z', 1],
    ]);
    expect(a.other).toBe(3);
  });
});
