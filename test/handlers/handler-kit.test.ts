import { describe, expect, test } from 'vitest';
import * as z from 'zod';
import type {
  DetectorState,
  DetectorStateRepository,
} from '../../functions/adapters/detector-state-repository.ts';
import { StaleStateError } from '../../functions/adapters/errors.ts';
import { partitionTimes } from '../../functions/handler-kit/capture-objects.ts';
import { InvalidEventError } from '../../functions/handler-kit/invalid-event-error.ts';
import { parseJobEnvelope } from '../../functions/handler-kit/job-event.ts';
import { closedWindow, jobWindow } from '../../functions/handler-kit/job-window.ts';
import { feedConceptDrift } from '../../functions/quality-job/concept-drift.ts';
import { advanceWatermarks, SETTLE_MS, unfedBatches } from '../../functions/quality-job/label-watermark.ts';
import type { LabelBatch } from '../../functions/quality-job/window-labels.ts';

const iso = (d: Date) => d.toISOString();

describe('job windows', () => {
  test.each([
    [
      'an hourly rule firing late',
      '2026-03-01T10:17:42Z',
      60,
      '2026-03-01T09:00:00.000Z',
      '2026-03-01T10:00:00.000Z',
    ],
    [
      'an hourly rule on the hour',
      '2026-03-01T10:00:00Z',
      60,
      '2026-03-01T09:00:00.000Z',
      '2026-03-01T10:00:00.000Z',
    ],
    ['a daily rule', '2026-03-01T00:04:00Z', 1440, '2026-02-28T00:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    ['15-minute windows', '2026-03-01T10:31:00Z', 15, '2026-03-01T10:15:00.000Z', '2026-03-01T10:30:00.000Z'],
  ])('%s checks the period that just closed', (_name, time, minutes, start, end) => {
    const window = closedWindow(new Date(time), minutes);
    expect([iso(window.start), iso(window.end)]).toEqual([start, end]);
  });

  test('a window named in the event wins over the schedule', () => {
    const window = jobWindow('2026-03-05T00:00:00Z', 60, {
      start: '2026-03-01T00:00:00Z',
      end: '2026-03-02T00:00:00Z',
    });
    expect(iso(window.end)).toBe('2026-03-02T00:00:00.000Z');
  });

  test('rejects window bounds with milliseconds', () => {
    expect(() =>
      jobWindow('2026-03-05T00:00:00Z', 60, { start: '2026-03-01T00:00:00.5Z', end: '2026-03-02T00:00:00Z' }),
    ).toThrow(InvalidEventError);
  });
});

describe('capture keys', () => {
  test.each([
    ['capture/e/v/2026/03/01/10/15-30-250-abc.jsonl', '2026-03-01T10:00:00.000Z', '2026-03-01T10:15:30.250Z'],
    ['capture/e/v/2026/03/01/10/other-name.jsonl', '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z'],
  ])('%s is read at its hour and minute', (key, hour, at) => {
    const times = partitionTimes('capture/e/v/', key);
    expect(times && [iso(times.hour), iso(times.at)]).toEqual([hour, at]);
  });

  test('a key outside the hour partitions has no time', () => {
    expect(partitionTimes('capture/e/v/', 'capture/e/v/stray.jsonl')).toBeUndefined();
  });
});

describe('event parsing', () => {
  test('fails on an event without the model, naming it', () => {
    expect(() => parseJobEnvelope({ trigger: {} }, z.unknown())).toThrow(/^event\.model: is required/);
  });
});

const batch = (key: string, at: string, labels = 1): LabelBatch => ({
  key,
  lastModified: new Date(at),
  labels: Array.from({ length: labels }, (_, i) => ({ line: i + 1, id: `${key}-${i}`, label: 1 })),
});

describe('label watermarks', () => {
  const window = { start: '2026-03-01T00:00:00Z', end: '2026-03-02T00:00:00Z' };
  const horizon = 48 * 3_600_000;

  test('feeds each ground-truth object once, late ones included', () => {
    const a = batch('a', '2026-03-01T20:00:00Z');
    const b = batch('b', '2026-03-02T00:05:00Z');
    const empty = { windows: {}, settledBefore: null };
    expect(unfedBatches(empty, window.start, [a, b])).toEqual([a, b]);
    const after = advanceWatermarks(empty, window, [a, b], new Date('2026-03-02T00:10:00Z'), horizon);
    expect(unfedBatches(after, window.start, [a, b])).toEqual([]);
    // written a minute before the run but listed only now: inside the settle margin, known by key
    const late = batch('c', '2026-03-02T05:00:00Z');
    expect(unfedBatches(after, window.start, [a, b, late])).toEqual([late]);
    const later = advanceWatermarks(after, window, [late], new Date('2026-03-02T05:01:00Z'), horizon);
    expect(unfedBatches(later, window.start, [a, b, late])).toEqual([]);
    expect(later.windows[window.start]?.recent).toEqual([{ key: 'c', at: '2026-03-02T05:00:00.000Z' }]);
  });

  test('drops a window once its horizon has passed and treats it as settled', () => {
    const now = new Date(Date.parse(window.end) + horizon + SETTLE_MS + 1);
    const marks = advanceWatermarks(
      { windows: {}, settledBefore: null },
      window,
      [],
      new Date('2026-03-02T00:10:00Z'),
      horizon,
    );
    const next = advanceWatermarks(
      marks,
      { start: '2026-03-04T00:00:00Z', end: '2026-03-05T00:00:00Z' },
      [],
      now,
      horizon,
    );
    expect(Object.keys(next.windows)).toEqual(['2026-03-04T00:00:00Z']);
    expect(next.settledBefore).toBe(window.end);
    expect(unfedBatches(next, window.start, [batch('z', '2026-03-10T00:00:00Z')])).toEqual([]);
  });
});

/** an in-memory repository where another run saves right after the first load: the first save goes stale */
const racingRepository = (): DetectorStateRepository & { saves: number } => {
  let stored: DetectorState | undefined;
  let raced = false;
  const repo = {
    saves: 0,
    async load() {
      return stored;
    },
    async save(_model: string, _detector: string, stateJson: string, expected: number) {
      if (!raced) {
        raced = true;
        // a concurrent run of another window saved meanwhile (a fresh state with 5 values fed)
        stored = {
          stateJson: JSON.stringify({ ...JSON.parse(stateJson), streamLength: 5, windows: {} }),
          version: 1,
          updatedAt: '',
        };
        throw new StaleStateError('x', expected);
      }
      if ((stored?.version ?? 0) !== expected) throw new StaleStateError('x', expected);
      repo.saves += 1;
      stored = { stateJson, version: expected + 1, updatedAt: '' };
      return expected + 1;
    },
  };
  return repo;
};

describe('detector state under concurrent runs', () => {
  test('a run that loses the race reloads and replays: nothing fed twice, nothing lost', async () => {
    const repository = racingRepository();
    const labels = batch('g', '2026-03-01T20:00:00Z', 3);
    const predictions = new Map(labels.labels.map((l) => [l.id, { id: l.id, prediction: 1, score: 0.9 }]));
    const result = await feedConceptDrift({
      repository,
      model: 'm',
      problem: 'binary',
      threshold: 0.5,
      window: { start: '2026-03-01T00:00:00Z', end: '2026-03-02T00:00:00Z' },
      batches: [labels],
      predictions,
      horizonMs: 48 * 3_600_000,
      now: new Date('2026-03-02T00:10:00Z'),
    });
    expect(result).toMatchObject({ fed: 3, streamLength: 8 });
    expect(repository.saves).toBe(1);
  });
});
