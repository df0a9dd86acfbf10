import {
  type DetectorUpdate,
  type DriftDetector,
  isNonNegativeInteger,
  isPositiveInteger,
  requireDetectorInput,
  StateReader,
} from './detector-state.ts';

export interface AdwinOptions {
  /** significance of the cut test @default 0.002 */
  readonly delta?: number;
  /** test for a cut every `clock` values @default 32 */
  readonly clock?: number;
  /** buckets of each size kept before two merge @default 5 */
  readonly maxBuckets?: number;
  /** smallest sub-window a cut may leave @default 5 */
  readonly minWindowLength?: number;
  /** no test until the window holds more than this many values @default 10 */
  readonly gracePeriod?: number;
}

/** One row of the exponential histogram: buckets that each summarise 2^row values, oldest first. */
interface BucketRow {
  totals: number[];
  variances: number[];
}

export interface AdwinState {
  kind: 'adwin';
  version: 1;
  delta: number;
  clock: number;
  maxBuckets: number;
  minWindowLength: number;
  gracePeriod: number;
  driftDetected: boolean;
  tick: number;
  width: number;
  total: number;
  variance: number;
  rows: BucketRow[];
}

/**
 * ADWIN (Bifet & Gavaldà 2007), ported from river 0.21/0.22 (`drift/adwin.py`, `drift/adwin_c.pyx`) with
 * river's defaults, and checked against a Python port of that source on seeded streams, including the
 * example in river's docstring (one detection, at index 1023).
 *
 * Faithful to river, quirks included:
 * - the window is tested for a cut only every `clock` values, once it holds more than `gracePeriod`;
 * - within each bucket row the newest bucket is not tried as a cut point (river's
 *   `range(bucket.current_idx - 1)`, discussed in river issue #1539);
 * - the value after a detection starts a fresh window (river resets the detector then), so a shift is
 *   reported once rather than at every clock tick while old data drains.
 * Memory is O(maxBuckets * log(width)) numbers.
 */
export class Adwin implements DriftDetector {
  readonly delta: number;
  readonly clock: number;
  readonly maxBuckets: number;
  readonly minWindowLength: number;
  readonly gracePeriod: number;
  private driftDetected = false;
  private tick = 0;
  private width = 0;
  private total = 0;
  private variance = 0;
  private rows: BucketRow[] = [{ totals: [], variances: [] }];

  constructor(options: AdwinOptions = {}) {
    this.delta = options.delta ?? 0.002;
    this.clock = options.clock ?? 32;
    this.maxBuckets = options.maxBuckets ?? 5;
    this.minWindowLength = options.minWindowLength ?? 5;
    this.gracePeriod = options.gracePeriod ?? 10;
  }

  /** number of values in the current window */
  get windowLength(): number {
    return this.width;
  }

  /** mean of the current window, 0 when empty */
  get estimation(): number {
    return this.width === 0 ? 0 : this.total / this.width;
  }

  /** Adds one value; `drift` is true when the window was cut. */
  update(x: number): DetectorUpdate {
    requireDetectorInput(x);
    if (this.driftDetected) this.reset();
    this.insert(x);
    this.driftDetected = this.detectChange();
    return { drift: this.driftDetected };
  }

  private reset(): void {
    this.driftDetected = false;
    this.tick = 0;
    this.width = 0;
    this.total = 0;
    this.variance = 0;
    this.rows = [{ totals: [], variances: [] }];
  }

  private insert(value: number): void {
    this.rows[0]!.totals.push(value);
    this.rows[0]!.variances.push(0);
    this.width += 1;
    if (this.width > 1) {
      const d = value - this.total / (this.width - 1);
      this.variance += ((this.width - 1) * d * d) / this.width;
    }
    this.total += value;
    this.compress();
  }

  /** when a row holds maxBuckets + 1 buckets, merge its two oldest into one bucket of the next row */
  private compress(): void {
    for (let idx = 0; idx < this.rows.length; idx++) {
      const row = this.rows[idx]!;
      if (row.totals.length !== this.maxBuckets + 1) break;
      if (idx + 1 === this.rows.length) this.rows.push({ totals: [], variances: [] });
      const next = this.rows[idx + 1]!;
      const n = 2 ** idx;
      const mu1 = row.totals[0]! / n;
      const mu2 = row.totals[1]! / n;
      const total12 = row.totals[0]! + row.totals[1]!;
      const temp = (n * n * (mu1 - mu2) * (mu1 - mu2)) / (n + n);
      next.totals.push(total12);
      next.variances.push(row.variances[0]! + row.variances[1]! + temp);
      row.totals.splice(0, 2);
      row.variances.splice(0, 2);
      if (next.totals.length <= this.maxBuckets) break;
    }
  }

  /** drop the oldest bucket; returns how many values it held */
  private deleteOldest(): number {
    const last = this.rows.length - 1;
    const row = this.rows[last]!;
    const n = 2 ** last;
    const u = row.totals[0]!;
    const mu = u / n;
    const v = row.variances[0]!;
    this.width -= n;
    this.total -= u;
    const muWindow = this.total / this.width;
    this.variance -= v + (n * this.width * (mu - muWindow) * (mu - muWindow)) / (n + this.width);
    row.totals.shift();
    row.variances.shift();
    if (row.totals.length === 0) this.rows.pop();
    return n;
  }

  private detectChange(): boolean {
    let changeDetected = false;
    this.tick += 1;
    if (this.tick % this.clock !== 0 || this.width <= this.gracePeriod) return false;
    let reduceWidth = true;
    while (reduceWidth) {
      reduceWidth = false;
      // river also tracks the two sub-windows' variances here; the cut test does not use them
      let n0 = 0;
      let n1 = this.width;
      let u0 = 0;
      let u1 = this.total;
      scan: for (let idx = this.rows.length - 1; idx >= 0; idx--) {
        const row = this.rows[idx]!;
        const size = 2 ** idx;
        const cuts = row.totals.length - 1; // river skips the newest bucket of each row
        for (let k = 0; k < cuts; k++) {
          n0 += size;
          n1 -= size;
          u0 += row.totals[k]!;
          u1 -= row.totals[k]!;
          const deltaMean = u0 / n0 - u1 / n1;
          if (n1 >= this.minWindowLength && n0 >= this.minWindowLength && this.cutHolds(n0, n1, deltaMean)) {
            reduceWidth = true;
            changeDetected = true;
            if (this.width > 0) this.deleteOldest();
            break scan;
          }
        }
      }
    }
    return changeDetected;
  }

  /** Hoeffding-style bound with the window's variance (river's `_evaluate_cut`) */
  private cutHolds(n0: number, n1: number, deltaMean: number): boolean {
    const deltaPrime = Math.log((2 * Math.log(this.width)) / this.delta);
    const mRecip = 1 / (n0 - this.minWindowLength + 1) + 1 / (n1 - this.minWindowLength + 1);
    const epsilon =
      Math.sqrt(2 * mRecip * (this.variance / this.width) * deltaPrime) + (2 / 3) * deltaPrime * mRecip;
    return Math.abs(deltaMean) > epsilon;
  }

  /** Plain JSON state; `Adwin.fromJSON` continues exactly from it. */
  toJSON(): AdwinState {
    return {
      kind: 'adwin',
      version: 1,
      delta: this.delta,
      clock: this.clock,
      maxBuckets: this.maxBuckets,
      minWindowLength: this.minWindowLength,
      gracePeriod: this.gracePeriod,
      driftDetected: this.driftDetected,
      tick: this.tick,
      width: this.width,
      total: this.total,
      variance: this.variance,
      rows: this.rows.map((r) => ({ totals: [...r.totals], variances: [...r.variances] })),
    };
  }

  /** Restores a detector from `toJSON()` output; throws InputError on a malformed state. */
  static fromJSON(json: unknown): Adwin {
    const s = new StateReader(json, 'adwin', 1);
    const detector = new Adwin({
      delta: s.number('delta', (x) => x > 0 && x < 1),
      clock: s.number('clock', isPositiveInteger),
      maxBuckets: s.number('maxBuckets', isPositiveInteger),
      minWindowLength: s.number('minWindowLength', isPositiveInteger),
      gracePeriod: s.number('gracePeriod', isNonNegativeInteger),
    });
    detector.driftDetected = s.boolean('driftDetected');
    detector.tick = s.number('tick', isNonNegativeInteger);
    detector.width = s.number('width', isNonNegativeInteger);
    detector.total = s.number('total');
    detector.variance = s.number('variance');
    const rows = s.raw('rows');
    if (!Array.isArray(rows) || rows.length === 0) return s.fail('rows', 'expected a non-empty array');
    let width = 0;
    detector.rows = rows.map((row: unknown, i) => {
      const r = row as Partial<BucketRow> | null;
      const ok =
        r !== null &&
        typeof r === 'object' &&
        Array.isArray(r.totals) &&
        Array.isArray(r.variances) &&
        r.totals.length === r.variances.length &&
        r.totals.length <= detector.maxBuckets + 1 &&
        [...r.totals, ...r.variances].every((x) => typeof x === 'number' && Number.isFinite(x));
      if (!ok) return s.fail(`rows[${i}]`, 'expected equal-length arrays of finite totals and variances');
      width += r.totals!.length * 2 ** i;
      return { totals: [...r.totals!], variances: [...r.variances!] };
    });
    if (width !== detector.width)
      s.fail('width', `buckets hold ${width} values, width says ${detector.width}`);
    return detector;
  }
}
