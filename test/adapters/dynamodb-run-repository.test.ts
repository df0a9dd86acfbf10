import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, test } from 'vitest';
import { makeDynamoRunRepository } from '../../functions/adapters/dynamodb/dynamodb-run-repository.ts';
import {
  CorruptRecordError,
  InvalidKeyPartError,
  InvalidRecordError,
  RecordTooLargeError,
} from '../../functions/adapters/errors.ts';
import type { RunRecord } from '../../functions/adapters/run-repository.ts';
import { useDynalite } from '../support/dynalite.ts';
import { TEST_TABLE_SPECS, TEST_TABLES } from './dynamodb-tables.ts';

const dynalite = useDynalite(TEST_TABLE_SPECS);
const repo = () => makeDynamoRunRepository(TEST_TABLES.runs, dynalite.current.documentClient);

const run = (overrides: Partial<RunRecord> = {}): RunRecord => ({
  model: 'churn',
  job: 'data',
  windowStart: '2026-11-23T08:00:00Z',
  windowEnd: '2026-11-23T09:00:00Z',
  status: 'violations',
  rowCount: 1200,
  malformedCount: 3,
  quarantinedObjects: 1,
  violationCount: 2,
  reportKey: 'reports/churn/2026-11-23T08:00:00Z/',
  startedAt: '2026-11-23T09:00:02.120Z',
  finishedAt: '2026-11-23T09:00:04.870Z',
  summary: { drifted: ['age', 'plan'], maxDistance: 0.31, nested: { ok: false } },
  ...overrides,
});

describe('DynamoRunRepository', () => {
  test('puts and gets a run, with the summary back exactly', async () => {
    const r = repo();
    await r.putRun(run({ model: 'get-1' }));
    expect(await r.getRun('get-1', 'data', '2026-11-23T08:00:00Z')).toEqual(run({ model: 'get-1' }));
  });

  test('re-running the same model, job and window replaces the record (idempotent)', async () => {
    const r = repo();
    await r.putRun(run({ model: 'rerun', status: 'failed', rowCount: 0 }));
    // the same window spelled differently is the same key
    await r.putRun(
      run({ model: 'rerun', windowStart: '2026-11-23T08:00:00.000Z', status: 'ok', violationCount: 0 }),
    );
    const runs = await r.listRuns('rerun', 'data', '2026-11-23T00:00:00Z', '2026-11-24T00:00:00Z');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'ok', violationCount: 0, windowStart: '2026-11-23T08:00:00Z' });
  });

  test('lists runs in [from, to) oldest first, per model and job only', async () => {
    const r = repo();
    const hours = [6, 7, 8, 9, 10].map((h) => `2026-11-23T${String(h).padStart(2, '0')}:00:00Z`);
    for (const start of [...hours].reverse()) {
      const end = new Date(Date.parse(start) + 3_600_000).toISOString();
      await r.putRun(run({ model: 'list', windowStart: start, windowEnd: end }));
    }
    await r.putRun(run({ model: 'list', job: 'quality', windowStart: hours[2] as string }));
    await r.putRun(run({ model: 'list-other', windowStart: hours[2] as string }));

    const listed = await r.listRuns('list', 'data', '2026-11-23T07:00:00Z', '2026-11-23T10:00:00Z');
    expect(listed.map((x) => x.windowStart)).toEqual(hours.slice(1, 4));
    expect(listed.every((x) => x.model === 'list' && x.job === 'data')).toBe(true);
    expect(await r.listRuns('list', 'data', '2026-11-23T10:00:00Z', '2026-11-23T07:00:00Z')).toEqual([]);
  });

  test('returns undefined for a run never written', async () => {
    expect(await repo().getRun('nobody', 'data', '2026-11-23T08:00:00Z')).toBeUndefined();
  });

  test.each([
    ['a negative count', { rowCount: -1 }],
    ['a fractional count', { violationCount: 1.5 }],
    ['an unknown status', { status: 'great' as never }],
    ['an unknown job', { job: 'nightly' as never }],
    ['a window that ends before it starts', { windowEnd: '2026-11-23T07:00:00Z' }],
  ])('rejects a run with %s', async (_name, overrides) => {
    await expect(repo().putRun(run({ model: 'invalid', ...overrides }))).rejects.toThrow(InvalidRecordError);
  });

  test('rejects a model name that would break the key, and a sub-second window', async () => {
    await expect(repo().putRun(run({ model: 'a#b' }))).rejects.toThrow(InvalidKeyPartError);
    await expect(repo().putRun(run({ windowStart: '2026-11-23T08:00:00.250Z' }))).rejects.toThrow(
      InvalidKeyPartError,
    );
  });

  test('rejects a summary over 64 KB before DynamoDB would', async () => {
    const summary = { blob: 'x'.repeat(70 * 1024) };
    await expect(repo().putRun(run({ model: 'big', summary }))).rejects.toThrow(RecordTooLargeError);
  });

  test('fails reading an item that was edited into another shape', async () => {
    await dynalite.current.documentClient.send(
      new PutCommand({
        TableName: TEST_TABLES.runs,
        Item: {
          pk: 'MODEL#corrupt#JOB#data',
          sk: '2026-11-23T08:00:00Z',
          model: 'corrupt',
          rowCount: 'many',
        },
      }),
    );
    await expect(repo().getRun('corrupt', 'data', '2026-11-23T08:00:00Z')).rejects.toThrow(
      CorruptRecordError,
    );
  });
});
