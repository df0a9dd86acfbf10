import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../functions/engine/errors.ts';
import { Adwin } from '../../../functions/engine/quality/adwin.ts';
import { Ddm } from '../../../functions/engine/quality/ddm.ts';
import { PageHinkley } from '../../../functions/engine/quality/page-hinkley.ts';
import { type AnyDetector, restoreDetector } from '../../../functions/engine/quality/restore-detector.ts';
import { loadReference } from './reference.ts';

interface StreamCase {
  name: string;
  changeAt: number | null;
  values: number[];
  adwin: { drifts: number[] };
  ddm?: { drifts: number[]; warnings: number[] };
  pageHinkley: { drifts: number[] };
}

const reference = loadReference<{ streams: StreamCase[] }>('detectors_reference.json');
const streams = reference.streams;
const binaryStreams = streams.filter((s) => s.ddm !== undefined);

const makers = {
  adwin: () => new Adwin(),
  ddm: () => new Ddm(),
  pageHinkley: () => new PageHinkley(),
} as const;

/** drift and warning indices of a detector run over a stream, optionally persisted at `pauseAt` */
const run = (make: () => AnyDetector, values: readonly number[], pauseAt: readonly number[] = []) => {
  let detector = make();
  const drifts: number[] = [];
  const warnings: number[] = [];
  values.forEach((x, i) => {
    if (pauseAt.includes(i)) detector = restoreDetector(JSON.parse(JSON.stringify(detector.toJSON())));
    const r = detector.update(x);
    if (r.drift) drifts.push(i);
    if (r.warning === true) warnings.push(i);
  });
  return { drifts, warnings };
};

const stream = (name: string): StreamCase => streams.find((s) => s.name === name)!;

describe('drift detectors against the Python port of river', () => {
  it.each(streams)('ADWIN detects where river does on "$name"', (s) => {
    expect(run(makers.adwin, s.values).drifts).toEqual(s.adwin.drifts);
  });

  it.each(streams)('Page-Hinkley detects where river does on "$name"', (s) => {
    expect(run(makers.pageHinkley, s.values).drifts).toEqual(s.pageHinkley.drifts);
  });

  it.each(binaryStreams)('DDM warns and detects where river does on "$name"', (s) => {
    expect(run(makers.ddm, s.values)).toEqual(s.ddm);
  });

  it("reproduces river's docstring examples", () => {
    expect(run(makers.adwin, stream('river-docstring-adwin-ph').values).drifts).toEqual([1023]);
    expect(run(makers.pageHinkley, stream('river-docstring-adwin-ph').values).drifts).toEqual([1006]);
    // river prints the first warning after each drift: 1084, then the drift at 1334, then 1492
    const ddm = run(makers.ddm, stream('river-docstring-ddm').values);
    expect(ddm.drifts).toEqual([1334]);
    expect(ddm.warnings[0]).toBe(1084);
    expect(ddm.warnings.find((i) => i > 1334)).toBe(1492);
  });
});

describe('drift detectors on known change points', () => {
  const changing = streams.filter((s) => s.changeAt !== null && !s.name.startsWith('river'));
  const stationary = streams.filter((s) => s.changeAt === null);

  it.each(changing)('ADWIN finds the change on "$name" within 160 values and never before it', (s) => {
    const { drifts } = run(makers.adwin, s.values);
    const first = drifts.find((i) => i >= s.changeAt!);
    expect(drifts.filter((i) => i < s.changeAt!)).toEqual([]);
    expect(first! - s.changeAt!).toBeLessThanOrEqual(160);
  });

  it.each(changing)('Page-Hinkley finds the change on "$name" within 130 values and never before it', (s) => {
    const { drifts } = run(makers.pageHinkley, s.values);
    expect(drifts.filter((i) => i < s.changeAt!)).toEqual([]);
    expect(drifts.find((i) => i >= s.changeAt!)! - s.changeAt!).toBeLessThanOrEqual(130);
  });

  it.each(changing.filter((s) => s.ddm !== undefined))(
    'DDM finds the change on "$name" within 50 values',
    (s) => {
      const { drifts } = run(makers.ddm, s.values);
      expect(drifts.find((i) => i >= s.changeAt!)! - s.changeAt!).toBeLessThanOrEqual(50);
    },
  );

  it('DDM can raise an early false alarm with river defaults (documented, seed 2 at index 176)', () => {
    expect(run(makers.ddm, stream('bernoulli-0.1-to-0.5-seed2').values).drifts).toEqual([176, 1039]);
  });

  it.each(stationary)('ADWIN raises no alarm on the stationary stream "$name" (5000 values)', (s) => {
    expect(s.values).toHaveLength(5000);
    expect(run(makers.adwin, s.values).drifts).toEqual([]);
  });

  it.each(binaryStreams.filter((s) => s.changeAt === null))(
    'DDM and Page-Hinkley raise no alarm on the stationary error stream "$name"',
    (s) => {
      expect(run(makers.ddm, s.values).drifts).toEqual([]);
      expect(run(makers.pageHinkley, s.values).drifts).toEqual([]);
    },
  );
});

describe('drift detector persistence', () => {
  const cases = [
    ['adwin', 'bernoulli-0.1-to-0.5-seed1'],
    ['ddm', 'bernoulli-0.1-to-0.5-seed2'],
    ['pageHinkley', 'stationary-gaussian-seed8'],
  ] as const;

  it.each(cases)('%s restored mid-stream on "%s" detects exactly as an uninterrupted run', (kind, name) => {
    const values = stream(name).values;
    const straight = run(makers[kind], values);
    expect(straight.drifts.length).toBeGreaterThan(0);
    // pause just before and just after each detection (the state then carries the pending reset)
    const pauses = straight.drifts.flatMap((i) => [i, i + 1]).concat([1, 31, 500]);
    expect(run(makers[kind], values, pauses)).toEqual(straight);
  });

  it.each(cases)('%s survives a JSON round trip at any point of "%s"', (kind, name) => {
    const values = stream(name).values.slice(0, 1300);
    const straight = run(makers[kind], values);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: values.length - 1 }), { maxLength: 4 }), (pauses) => {
        expect(run(makers[kind], values, pauses)).toEqual(straight);
      }),
      { numRuns: 25 },
    );
  });

  it('stores no NaN or Infinity, only JSON', () => {
    for (const make of Object.values(makers)) {
      const json = JSON.stringify(make().toJSON());
      expect(json).not.toMatch(/NaN|Infinity/);
      expect(restoreDetector(JSON.parse(json)).toJSON()).toEqual(JSON.parse(json));
    }
  });

  it('ADWIN exposes its window length and mean', () => {
    const adwin = new Adwin();
    for (let i = 0; i < 100; i++) adwin.update(i % 2);
    expect(adwin.windowLength).toBe(100);
    expect(adwin.estimation).toBe(0.5);
  });

  it('keeps custom options through a round trip', () => {
    const a = Adwin.fromJSON(new Adwin({ delta: 0.01, clock: 8 }).toJSON());
    expect([a.delta, a.clock]).toEqual([0.01, 8]);
    const p = PageHinkley.fromJSON(new PageHinkley({ mode: 'up', threshold: 5 }).toJSON());
    expect([p.mode, p.threshold]).toEqual(['up', 5]);
  });
});

describe('drift detector input checks', () => {
  it.each([
    ['ADWIN', () => new Adwin().update(Number.NaN)],
    ['Page-Hinkley', () => new PageHinkley().update(Number.POSITIVE_INFINITY)],
    ['DDM', () => new Ddm().update(0.5)],
  ])('%s rejects a value it cannot use', (_, call) => {
    expect(call).toThrow(InputError);
  });

  it('DDM accepts booleans as errors', () => {
    expect(new Ddm().update(true)).toEqual({ drift: false, warning: false });
  });

  it.each([
    ['an unknown kind', { kind: 'kswin' }],
    ['a wrong version', { ...new Adwin().toJSON(), version: 2 }],
    ['a string where a number belongs', { ...new Ddm().toJSON(), n: '3' }],
    ['a bad mode', { ...new PageHinkley().toJSON(), mode: 'sideways' }],
    ['ADWIN buckets that disagree with the width', { ...new Adwin().toJSON(), width: 3 }],
    ['ADWIN rows that are not arrays', { ...new Adwin().toJSON(), rows: [{ totals: 1 }] }],
    ['null', null],
  ])('rejects a stored state with %s', (_, state) => {
    expect(() => restoreDetector(state)).toThrow(InputError);
  });
});
