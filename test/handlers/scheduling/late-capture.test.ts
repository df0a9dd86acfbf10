import { describe, expect, test } from 'vitest';
import { makeDynamoRunRepository } from '../../../functions/adapters/dynamodb/dynamodb-run-repository.ts';
import type { RunRecord } from '../../../functions/adapters/run-repository.ts';
import {
  classifyWindow,
  decideLateCapture,
  type LateCaptureInput,
  reopenEvents,
} from '../../../functions/handler-kit/scheduling/late-capture.ts';
import { useDynalite } from '../../support/dynalite.ts';

const RUNS = 'mc-late-runs';
const dynalite = useDynalite([{ name: RUNS }]);
const runs = () => makeDynamoRunRepository(RUNS, dynalite.current.documentClient);

const PREFIX = 'capture/churn-ep/AllTraffic/';
const hourly = { expression: 'rate(1 hour)', windowMinutes: 60, graceMinutes: 10 };

const input = (model: string, overrides: Partial<LateCaptureInput> = {}): LateCaptureInput => ({
  model,
  // written by SageMaker at 09:42:10.500 into the 09 partition, created in S3 at 10:31
  key: `${PREFIX}2026/03/02/09/42-10-500-0b7e2f1c-1d7a-4c63-9a51-3f8f2d0c9b11.jsonl`,
  variantPrefix: PREFIX,
  objectCreatedAt: new Date('2026-03-02T10:31:00Z'),
  now: new Date('2026-03-02T10:31:05Z'),
  schedule: hourly,
  dispatchEveryMinutes: 5,
  ...overrides,
});

const run = (
  model: string,
  start: string,
  end: string,
  startedAt: string,
  status: RunRecord['status'] = 'ok',
): RunRecord => ({
  model,
  job: 'data',
  windowStart: start,
  windowEnd: end,
  status,
  rowCount: status === 'no-data' ? 0 : 500,
  malformedCount: 0,
  quarantinedObjects: 0,
  violationCount: 0,
  startedAt,
  finishedAt: startedAt,
  summary: {},
});

const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');

describe('one window', () => {
  const window = { start: new Date('2026-03-02T09:00:00Z'), end: new Date('2026-03-02T10:00:00Z') };
  const when = {
    objectCreatedAt: new Date('2026-03-02T10:31:00Z'),
    now: new Date('2026-03-02T10:31:05Z'),
    dispatchEveryMinutes: 5,
    graceMinutes: 10,
  };
  test.each([
    [
      'a run that started after the object was created listed it',
      { status: 'ok', startedAt: '2026-03-02T10:31:00Z' },
      when,
      'counted',
    ],
    [
      'a run that started before it did not',
      { status: 'violations', startedAt: '2026-03-02T10:10:20Z' },
      when,
      'reopen',
    ],
    [
      'a no-data verdict is wrong now',
      { status: 'no-data', startedAt: '2026-03-02T10:10:20Z' },
      when,
      'reopen',
    ],
    ['a failed run is run again', { status: 'failed', startedAt: '2026-03-02T10:10:20Z' }, when, 'reopen'],
    [
      'no run before the window is due: the scheduled run reads it',
      undefined,
      { ...when, now: new Date('2026-03-02T10:08:00Z') },
      'pending',
    ],
    [
      'no run while the dispatcher may still hand it out',
      undefined,
      { ...when, now: new Date('2026-03-02T10:14:59Z') },
      'pending',
    ],
    [
      'no run a whole period after it was due: in flight or lost',
      undefined,
      { ...when, now: new Date('2026-03-02T10:15:00Z') },
      'reopen',
    ],
  ] as const)('%s', (_name, recorded, at, action) => {
    expect(classifyWindow(window, recorded, at).action).toBe(action);
  });
});

describe('late capture against the run records (dynalite)', () => {
  test('re-opens the hour an object belongs to when its run started before the object landed', async () => {
    await runs().putRun(
      run('late-1', '2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z', '2026-03-02T10:10:20Z', 'violations'),
    );
    const decision = await decideLateCapture(input('late-1'), runs());
    expect(decision).toMatchObject({ kind: 'windows', at: new Date('2026-03-02T09:42:10.500Z') });
    if (decision.kind !== 'windows') throw new Error('unreachable');
    expect(decision.windows.map((w) => [iso(w.window.start), iso(w.window.end), w.action])).toEqual([
      ['2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z', 'reopen'],
    ]);
    expect(reopenEvents(decision, 'late-1', 4, new Date('2026-03-02T10:31:05Z'))).toEqual([
      {
        detailType: 'Window Due',
        detail: {
          model: 'late-1',
          configVersion: 4,
          job: 'data',
          window: { start: '2026-03-02T09:00:00Z', end: '2026-03-02T10:00:00Z' },
          reason: `late capture ${input('late-1').key}`,
        },
        time: new Date('2026-03-02T10:31:05Z'),
      },
    ]);
  });

  test('sliding windows: each window holding the object is decided on its own record', async () => {
    // 3-hour windows closing every hour: the 09:42 object is in the windows ending 10:00, 11:00 and 12:00
    const sliding = { expression: 'rate(1 hour)', windowMinutes: 180, graceMinutes: 10 };
    await runs().putRun(
      run('late-2', '2026-03-02T07:00:00Z', '2026-03-02T10:00:00Z', '2026-03-02T10:10:00Z'),
    );
    await runs().putRun(
      run('late-2', '2026-03-02T08:00:00Z', '2026-03-02T11:00:00Z', '2026-03-02T11:10:00Z'),
    );
    const decision = await decideLateCapture(
      input('late-2', {
        schedule: sliding,
        objectCreatedAt: new Date('2026-03-02T10:40:00Z'),
        now: new Date('2026-03-02T11:30:00Z'),
      }),
      runs(),
    );
    expect(decision.kind === 'windows' && decision.windows.map((w) => [iso(w.window.end), w.action])).toEqual(
      [
        ['2026-03-02T10:00:00Z', 'reopen'],
        ['2026-03-02T11:00:00Z', 'counted'],
        ['2026-03-02T12:00:00Z', 'pending'],
      ],
    );
  });

  test('an object in a gap between windows shorter than their period belongs to no window', async () => {
    const gaps = { expression: 'rate(1 hour)', windowMinutes: 15, graceMinutes: 10 };
    const decision = await decideLateCapture(input('late-3', { schedule: gaps }), runs());
    expect(decision).toMatchObject({ kind: 'windows', windows: [] });
    expect(reopenEvents(decision, 'late-3', 1, new Date())).toEqual([]);
  });

  test.each([
    [
      'another model’s capture',
      'capture/other-ep/AllTraffic/2026/03/02/09/42-10-500-x.jsonl',
      'not under the model',
    ],
    ['a key outside the hour partitions', `${PREFIX}2026/03/02/stray.jsonl`, 'yyyy/mm/dd/hh/'],
  ])('rejects %s as outside the layout', async (_name, key, reason) => {
    const decision = await decideLateCapture(input('late-4', { key }), runs());
    expect(decision).toMatchObject({ kind: 'outside-layout', key });
    expect(decision.kind === 'outside-layout' && decision.reason).toContain(reason);
  });
});
