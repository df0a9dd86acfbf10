import { describe, expect, test } from 'vitest';
import { type PlannedObject, planFanOut } from '../../functions/data-job/fan-out/plan-fan-out.ts';

const plain = (key: string, size: number): PlannedObject => ({ key, size, gzip: false });
const gz = (key: string, size: number): PlannedObject => ({ key, size, gzip: true });

describe('planFanOut', () => {
  test.each([
    { name: 'no objects: no parts', objects: [], max: 10, parts: [] },
    {
      name: 'a small plain object stays whole',
      objects: [plain('a', 10)],
      max: 10,
      parts: [{ n: 0, key: 'a' }],
    },
    { name: 'an empty object stays whole', objects: [plain('a', 0)], max: 10, parts: [{ n: 0, key: 'a' }] },
    {
      name: 'a plain object just over the limit splits in two',
      objects: [plain('a', 11)],
      max: 10,
      parts: [
        { n: 0, key: 'a', range: { start: 0, end: 5 } },
        { n: 1, key: 'a', range: { start: 5, end: 11 } },
      ],
    },
    {
      name: 'a big gzip object stays whole (it cannot be read from the middle)',
      objects: [gz('g', 1000)],
      max: 10,
      parts: [{ n: 0, key: 'g' }],
    },
    {
      name: 'mixed objects keep window order and number parts through',
      objects: [plain('a', 30), gz('g', 50), plain('b', 5)],
      max: 10,
      parts: [
        { n: 0, key: 'a', range: { start: 0, end: 10 } },
        { n: 1, key: 'a', range: { start: 10, end: 20 } },
        { n: 2, key: 'a', range: { start: 20, end: 30 } },
        { n: 3, key: 'g' },
        { n: 4, key: 'b' },
      ],
    },
  ])('$name', ({ objects, max, parts }) => {
    expect(planFanOut(objects, { maxBytesPerPart: max })).toEqual(parts);
  });

  test('ranges tile each object and none exceeds the limit', () => {
    for (const size of [1, 99, 100, 101, 12_345, 1_000_003]) {
      const parts = planFanOut([plain('x', size)], { maxBytesPerPart: 100 });
      const ranges = parts.map((p) => p.range ?? { start: 0, end: size });
      expect(ranges[0]?.start).toBe(0);
      expect(ranges.at(-1)?.end).toBe(size);
      ranges.slice(1).forEach((r, i) => {
        expect(r.start).toBe(ranges[i]?.end);
      });
      for (const r of ranges) expect(r.end - r.start).toBeLessThanOrEqual(100);
    }
  });

  test.each([0, -1, 1.5, Number.NaN])('rejects maxBytesPerPart %s', (max) => {
    expect(() => planFanOut([plain('a', 1)], { maxBytesPerPart: max })).toThrow(RangeError);
  });
});
