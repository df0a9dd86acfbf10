import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KllSketch } from '../../../functions/engine/sketch/kll-sketch.ts';
import { mulberry32 } from '../../support/random.ts';

/** worst absolute gap between the sketch's rank and the true rank over a grid of probe points */
const maxRankError = (sketch: KllSketch, sortedData: Float64Array): number => {
  let worst = 0;
  for (let q = 0.01; q < 1; q += 0.01) {
    const probe = sortedData[Math.floor(q * (sortedData.length - 1))]!;
    // true rank = share of values <= probe, found by binary search over the sorted data
    let lo = 0;
    let hi = sortedData.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sortedData[mid]! <= probe) lo = mid + 1;
      else hi = mid;
    }
    worst = Math.max(worst, Math.abs(sketch.rank(probe) - lo / sortedData.length));
  }
  return worst;
};

describe('KllSketch', () => {
  it('is exact while the data fits in level 0', () => {
    const sketch = new KllSketch(64);
    const data = [5, 3, 3, 9, 1, 7, 7, 7];
    for (const x of data) sketch.update(x);
    expect(sketch.isExact).toBe(true);
    expect(sketch.n).toBe(8);
    expect(sketch.rank(3)).toBe(3 / 8);
    expect(sketch.rank(7)).toBe(7 / 8);
    expect(sketch.quantile(0.5)).toBe(5);
    const sample = sketch.toWeightedSample();
    expect(Array.from(sample.values)).toEqual([1, 3, 5, 7, 9]);
    expect(Array.from(sample.weights)).toEqual([1, 2, 1, 3, 1]);
  });

  it.each([
    ['uniform', (r: () => number) => r()],
    ['lognormal-ish skew', (r: () => number) => Math.exp(4 * r()) * (r() < 0.01 ? 1000 : 1)],
    ['few distinct values', (r: () => number) => Math.floor(r() * 5)],
  ])('keeps rank error under 0.3%% at n = 200k, k = 2048 (%s)', (_name, draw) => {
    const random = mulberry32(42);
    const sketch = new KllSketch();
    const data = new Float64Array(200_000);
    for (let i = 0; i < data.length; i++) {
      data[i] = draw(random);
      sketch.update(data[i]!);
    }
    expect(sketch.isExact).toBe(false);
    expect(sketch.n).toBe(200_000);
    // total weight is conserved by every compaction
    const { weights } = sketch.toWeightedSample();
    expect(Array.from(weights).reduce((a, b) => a + b, 0)).toBe(200_000);
    expect(maxRankError(sketch, data.sort())).toBeLessThan(0.003);
  });

  it('merges parts into a sketch of the whole within the same bound, in any order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 2, max: 6 }), (seed, parts) => {
        const random = mulberry32(seed);
        const data = new Float64Array(60_000);
        const sketches = Array.from({ length: parts }, () => new KllSketch(512));
        for (let i = 0; i < data.length; i++) {
          data[i] = random() * 100;
          sketches[i % parts]!.update(data[i]!);
        }
        const forward = sketches.map((s) => KllSketch.fromJSON(s.toJSON())).reduce((a, b) => a.merge(b));
        const backward = [...sketches].reverse().reduce((a, b) => a.merge(b));
        data.sort();
        expect(forward.n).toBe(data.length);
        expect(backward.n).toBe(data.length);
        // k = 512 is four times coarser than the default, so its bound is looser
        expect(maxRankError(forward, data)).toBeLessThan(0.012);
        expect(maxRankError(backward, data)).toBeLessThan(0.012);
      }),
      { numRuns: 8 },
    );
  });

  it('round-trips through JSON without changing any answer', () => {
    const random = mulberry32(7);
    const sketch = new KllSketch(128);
    for (let i = 0; i < 10_000; i++) sketch.update(random());
    const copy = KllSketch.fromJSON(JSON.parse(JSON.stringify(sketch.toJSON())));
    expect(copy.n).toBe(sketch.n);
    for (const q of [0.01, 0.25, 0.5, 0.75, 0.99]) expect(copy.quantile(q)).toBe(sketch.quantile(q));
    // the generator state travels too, so both go on identically
    for (let i = 0; i < 5_000; i++) {
      const x = random();
      sketch.update(x);
      copy.update(x);
    }
    expect(copy.toJSON()).toEqual(sketch.toJSON());
  });

  it("reads the sketch Model Monitor wrote for the fixture's _c0 column", () => {
    const statistics = JSON.parse(
      readFileSync('test/fixtures/model-monitor/data_quality--statistics.json', 'utf8'),
    );
    const sketchJson = statistics.features[0].numerical_statistics.distribution.kll.sketch;
    const sketch = KllSketch.fromJSON(sketchJson);
    expect(sketch.k).toBe(2048);
    expect(sketch.c).toBe(0.64);
    expect(sketch.n).toBe(100);
    expect(sketch.isExact).toBe(true);
    // the fixture's bucket counts: 24 ones, 21 twos, 55 threes
    expect(sketch.rank(1)).toBeCloseTo(0.24, 12);
    expect(sketch.rank(2)).toBeCloseTo(0.45, 12);
  });

  it.each([
    [4, 0.64],
    [2048, 0.4],
    [2048, 1],
    [10.5, 0.64],
  ])('rejects k = %s, c = %s', (k, c) => {
    expect(() => new KllSketch(k, c)).toThrow(RangeError);
  });

  it('rejects merging sketches with different k', () => {
    expect(() => new KllSketch(64).merge(new KllSketch(128))).toThrow(/different parameters/);
  });
});
