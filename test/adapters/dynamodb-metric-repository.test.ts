import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, test } from 'vitest';
import { makeDynamoMetricRepository } from '../../functions/adapters/dynamodb/dynamodb-metric-repository.ts';
import { BatchWriteIncompleteError, InvalidRecordError } from '../../functions/adapters/errors.ts';
import { type MetricPoint, MODEL_LEVEL_FEATURE } from '../../functions/adapters/metric-repository.ts';
import type { RetryPolicy } from '../../functions/adapters/retry.ts';
import { useDynalite } from '../support/dynalite.ts';
import { TEST_TABLE_SPECS, TEST_TABLES } from './dynamodb-tables.ts';

const dynalite = useDynalite(TEST_TABLE_SPECS);
const NOW = new Date('2026-11-24T00:00:00Z');
const repo = (options = {}) =>
  makeDynamoMetricRepository(TEST_TABLES.metrics, dynalite.current.documentClient, {
    now: () => NOW,
    ...options,
  });

const features = (n: number, value: (i: number) => number): MetricPoint[] =>
  Array.from({ length: n }, (_, i) => ({ feature: `f${i}`, metric: 'baseline_drift', value: value(i) }));

describe('DynamoMetricRepository against dynalite', () => {
  test('writes more points than one batch holds and reads each series back', async () => {
    const r = repo();
    // 60 features x 2 metrics = 120 items = 5 batches
    const points = [
      ...features(60, (i) => i / 100),
      ...features(60, (i) => (100 - i) / 100).map((p) => ({ ...p, metric: 'completeness' })),
    ];
    await r.putMetrics('many', '2026-11-23T08:00:00Z', points);
    await r.putMetrics(
      'many',
      '2026-11-23T09:00:00Z',
      features(60, (i) => i / 50),
    );
    const series = await r.getSeries(
      'many',
      'f37',
      'baseline_drift',
      '2026-11-23T00:00:00Z',
      '2026-11-24T00:00:00Z',
    );
    expect(series).toEqual([
      { windowStart: '2026-11-23T08:00:00Z', value: 0.37 },
      { windowStart: '2026-11-23T09:00:00Z', value: 0.74 },
    ]);
    expect(
      await r.getSeries('many', 'f59', 'completeness', '2026-11-23T00:00:00Z', '2026-11-24T00:00:00Z'),
    ).toEqual([{ windowStart: '2026-11-23T08:00:00Z', value: 0.41 }]);
  });

  test('a re-run of the window overwrites its values instead of adding points', async () => {
    const r = repo();
    await r.putMetrics('rerun', '2026-11-23T08:00:00Z', [{ feature: 'age', metric: 'psi', value: 0.5 }]);
    await r.putMetrics('rerun', '2026-11-23T08:00:00.000Z', [{ feature: 'age', metric: 'psi', value: 0.1 }]);
    expect(await r.getSeries('rerun', 'age', 'psi', '2026-11-23T00:00:00Z', '2026-11-24T00:00:00Z')).toEqual([
      { windowStart: '2026-11-23T08:00:00Z', value: 0.1 },
    ]);
  });

  test('a point repeated in one call keeps its last value (BatchWrite refuses duplicate keys)', async () => {
    const r = repo();
    await r.putMetrics('dupes', '2026-11-23T08:00:00Z', [
      { feature: 'age', metric: 'psi', value: 1 },
      { feature: 'age', metric: 'psi', value: 2 },
    ]);
    expect(await r.getSeries('dupes', 'age', 'psi', '2026-11-23T00:00:00Z', '2026-11-24T00:00:00Z')).toEqual([
      { windowStart: '2026-11-23T08:00:00Z', value: 2 },
    ]);
  });

  test('feature names with # and % cannot collide with other series', async () => {
    const r = repo();
    await r.putMetrics('escape', '2026-11-23T08:00:00Z', [
      { feature: 'a#METRIC#b', metric: 'c', value: 1 },
      { feature: 'a', metric: 'b#METRIC#c', value: 2 },
      { feature: '100%', metric: 'x', value: 3 },
      { feature: MODEL_LEVEL_FEATURE, metric: 'accuracy', value: 0.93 },
    ]);
    const range = ['2026-11-23T00:00:00Z', '2026-11-24T00:00:00Z'] as const;
    expect(await r.getSeries('escape', 'a#METRIC#b', 'c', ...range)).toEqual([
      { windowStart: '2026-11-23T08:00:00Z', value: 1 },
    ]);
    expect(await r.getSeries('escape', 'a', 'b#METRIC#c', ...range)).toEqual([
      { windowStart: '2026-11-23T08:00:00Z', value: 2 },
    ]);
    expect(await r.getSeries('escape', '100%', 'x', ...range)).toHaveLength(1);
    expect(await r.getSeries('escape', MODEL_LEVEL_FEATURE, 'accuracy', ...range)).toHaveLength(1);
  });

  test('sets expiresAt from the window start and leaves expired points out of series', async () => {
    const r = repo({ retentionDays: 30 });
    await r.putMetrics('ttl', '2026-10-01T00:00:00Z', [{ feature: 'age', metric: 'psi', value: 1 }]);
    await r.putMetrics('ttl', '2026-11-20T00:00:00Z', [{ feature: 'age', metric: 'psi', value: 2 }]);
    const { Item } = await dynalite.current.documentClient.send(
      new GetCommand({
        TableName: TEST_TABLES.metrics,
        Key: { pk: 'MODEL#ttl#FEATURE#age#METRIC#psi', sk: '2026-11-20T00:00:00Z' },
      }),
    );
    expect(Item?.expiresAt).toBe(Date.parse('2026-12-20T00:00:00Z') / 1000);
    // the October point expired on 2026-10-31; TTL may not have deleted it yet, the read filters it
    expect(await r.getSeries('ttl', 'age', 'psi', '2026-09-01T00:00:00Z', '2026-12-01T00:00:00Z')).toEqual([
      { windowStart: '2026-11-20T00:00:00Z', value: 2 },
    ]);
  });

  test('rejects non-finite values before writing anything', async () => {
    const r = repo();
    await expect(
      r.putMetrics('nan', '2026-11-23T08:00:00Z', [
        { feature: 'ok', metric: 'psi', value: 1 },
        { feature: 'age', metric: 'psi', value: Number.NaN },
      ]),
    ).rejects.toThrow(InvalidRecordError);
    expect(await r.getSeries('nan', 'ok', 'psi', '2026-11-23T00:00:00Z', '2026-11-24T00:00:00Z')).toEqual([]);
  });
});

describe('DynamoMetricRepository retries UnprocessedItems', () => {
  const noWait: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {} };
  const mockedRepo = () => {
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const mock = mockClient(client);
    return {
      mock,
      repo: makeDynamoMetricRepository('mc-metrics', client, { retry: noWait, now: () => NOW }),
    };
  };

  test('resends exactly the unprocessed items until none are left', async () => {
    const { mock, repo: r } = mockedRepo();
    mock.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, unknown[]> }) => {
      const requests = input.RequestItems['mc-metrics'] ?? [];
      // the first call leaves its last two items unprocessed, as a throttled partition would
      return mock.commandCalls(BatchWriteCommand).length === 1
        ? { UnprocessedItems: { 'mc-metrics': requests.slice(-2) } }
        : { UnprocessedItems: {} };
    });
    await r.putMetrics(
      'm',
      '2026-11-23T08:00:00Z',
      features(5, (i) => i),
    );
    const calls = mock.commandCalls(BatchWriteCommand);
    expect(calls).toHaveLength(2);
    const resent = calls[1]?.args[0].input.RequestItems?.['mc-metrics'] ?? [];
    expect(resent.map((r) => r.PutRequest?.Item?.feature)).toEqual(['f3', 'f4']);
  });

  test('fails with BatchWriteIncompleteError when items stay unprocessed', async () => {
    const { mock, repo: r } = mockedRepo();
    mock.on(BatchWriteCommand).callsFake((input: { RequestItems: Record<string, unknown[]> }) => ({
      UnprocessedItems: { 'mc-metrics': input.RequestItems['mc-metrics'] },
    }));
    await expect(
      r.putMetrics(
        'm',
        '2026-11-23T08:00:00Z',
        features(3, (i) => i),
      ),
    ).rejects.toMatchObject({
      name: 'BatchWriteIncompleteError',
      unprocessed: 3,
      attempts: 3,
    });
    expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(3);
    await expect(
      r.putMetrics(
        'm',
        '2026-11-23T08:00:00Z',
        features(1, (i) => i),
      ),
    ).rejects.toBeInstanceOf(BatchWriteIncompleteError);
  });
});
