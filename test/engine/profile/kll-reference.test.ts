import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KllSketch, type KllSketchJson } from '../../../functions/engine/sketch/kll-sketch.ts';

/**
 * The sketch as first written: plain arrays, a level sorted whole at each compaction. The faster sketch
 * (typed buffers, sorted levels merged into) must hold the same items at every level after any stream,
 * merge and JSON round trip, and so answer every query alike: the speed work changes no statistic.
 */
class ReferenceKll {
  levels: number[][] = [[]];
  seed = 0x9e3779b9;
  retained = 0;
  constructor(readonly k: number) {}

  static fromJSON(json: KllSketchJson): ReferenceKll {
    const sketch = new ReferenceKll(json.parameters.k);
    sketch.levels = json.data.map((items) => [...items]);
    sketch.seed = json.seed!;
    sketch.retained = json.data.reduce((sum, items) => sum + items.length, 0);
    return sketch;
  }

  update(value: number): void {
    // the one change on purpose: -0 is stored as 0 (the same number; JSON cannot tell them apart)
    this.levels[0]!.push(value === 0 ? 0 : value);
    this.retained += 1;
    if (this.retained > this.capacityTotal()) this.compress();
  }

  merge(other: ReferenceKll): void {
    while (this.levels.length < other.levels.length) this.levels.push([]);
    other.levels.forEach((items, h) => {
      this.levels[h]!.push(...items);
    });
    this.retained += other.retained;
    this.seed = (this.seed ^ other.seed ^ 0x85ebca6b) >>> 0 || 0x9e3779b9;
    while (this.retained > this.capacityTotal()) this.compress();
  }

  private capacity(level: number): number {
    return Math.max(2, Math.ceil(this.k * 0.64 ** (this.levels.length - level - 1)));
  }

  private capacityTotal(): number {
    let total = 0;
    for (let h = 0; h < this.levels.length; h++) total += this.capacity(h);
    return total;
  }

  private compress(): void {
    for (let h = 0; h < this.levels.length; h++) {
      const items = this.levels[h]!;
      if (items.length < this.capacity(h)) continue;
      if (h + 1 === this.levels.length) this.levels.push([]);
      const sorted = Float64Array.from(items).sort();
      const keepBack = sorted.length % 2;
      let x = this.seed;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.seed = x >>> 0;
      for (let i = keepBack + (this.seed & 1); i < sorted.length; i += 2)
        this.levels[h + 1]!.push(sorted[i]!);
      this.levels[h] = keepBack ? [sorted[0]!] : [];
      this.retained -= (sorted.length - keepBack) / 2;
      return;
    }
  }
}

const sortedLevels = (levels: number[][]): number[][] =>
  levels.map((items) => Array.from(Float64Array.from(items).sort()));

const expectSameItems = (fast: KllSketch, reference: ReferenceKll): void => {
  expect(sortedLevels(fast.toJSON().data)).toEqual(sortedLevels(reference.levels));
};

describe('KllSketch against the reference algorithm', () => {
  const value = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom(0, 0.5, 1e-300),
  );

  it('holds the same items at every level after streams, merges and JSON round trips', () => {
    fc.assert(
      fc.property(
        fc.array(value, { maxLength: 3000 }),
        fc.array(value, { maxLength: 3000 }),
        fc.constantFrom(8, 16, 200),
        (first, second, k) => {
          const a = new KllSketch(k);
          const b = new KllSketch(k);
          const ra = new ReferenceKll(k);
          const rb = new ReferenceKll(k);
          for (const x of first) {
            a.update(x);
            ra.update(x);
          }
          for (const x of second) {
            b.update(x);
            rb.update(x);
          }
          expectSameItems(a, ra);
          const merged = KllSketch.fromJSON(JSON.parse(JSON.stringify(a.toJSON()))).merge(b);
          ra.merge(rb);
          expectSameItems(merged, ra);
          for (const x of first) {
            merged.update(x);
            ra.update(x);
          }
          expectSameItems(merged, ra);
          const resumed = ReferenceKll.fromJSON(merged.toJSON());
          expect(resumed.seed).toBe(ra.seed);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives the same weighted sample and quantiles for a long stream', () => {
    const fast = new KllSketch();
    const reference = new ReferenceKll(2048);
    let seed = 7;
    for (let i = 0; i < 300_000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const x = i % 3 === 0 ? Math.floor(seed / 2 ** 28) : seed / 2 ** 32;
      fast.update(x);
      reference.update(x);
    }
    expectSameItems(fast, reference);
    const sample = fast.toWeightedSample();
    const pairs = reference.levels.flatMap((items, h) => items.map((x) => [x, 2 ** h] as const));
    pairs.sort((p, q) => p[0] - q[0]);
    const values: number[] = [];
    const weights: number[] = [];
    for (const [x, w] of pairs) {
      if (values.at(-1) === x) weights[weights.length - 1]! += w;
      else {
        values.push(x);
        weights.push(w);
      }
    }
    expect(Array.from(sample.values)).toEqual(values);
    expect(Array.from(sample.weights)).toEqual(weights);
  });

  it('stores -0 as 0', () => {
    const sketch = new KllSketch(8);
    sketch.update(-0);
    expect(Object.is(sketch.toJSON().data[0]![0], 0)).toBe(true);
  });
});
