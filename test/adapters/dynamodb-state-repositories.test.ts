import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, test } from 'vitest';
import { makeDynamoAlertStateRepository } from '../../functions/adapters/dynamodb/dynamodb-alert-state-repository.ts';
import { makeDynamoDetectorStateRepository } from '../../functions/adapters/dynamodb/dynamodb-detector-state-repository.ts';
import { makeDynamoLockRepository } from '../../functions/adapters/dynamodb/dynamodb-lock-repository.ts';
import { InvalidRecordError, RecordTooLargeError, StaleStateError } from '../../functions/adapters/errors.ts';
import { useDynalite } from '../support/dynalite.ts';
import { TEST_TABLE_SPECS, TEST_TABLES } from './dynamodb-tables.ts';

const dynalite = useDynalite(TEST_TABLE_SPECS);
const T0 = new Date('2026-11-23T10:00:00Z');
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('DynamoLockRepository', () => {
  const locks = () => makeDynamoLockRepository(TEST_TABLES.state, dynalite.current.documentClient);

  test('of 20 concurrent acquirers exactly one wins', async () => {
    const l = locks();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => l.acquire('race', 'retraining', `exec-${i}`, 3600, T0)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = `exec-${results.indexOf(true)}`;
    expect((await l.holder('race', 'retraining', T0))?.owner).toBe(winner);
  });

  test('a held lock is refused to others until it expires, then it can be taken over', async () => {
    const l = locks();
    expect(await l.acquire('expiry', 'retraining', 'first', 60, T0)).toBe(true);
    expect(await l.acquire('expiry', 'retraining', 'second', 60, later(59))).toBe(false);
    // expiry is compared on expiresAt, without relying on DynamoDB TTL having deleted the item
    expect(await l.acquire('expiry', 'retraining', 'second', 60, later(60))).toBe(true);
    expect(await l.holder('expiry', 'retraining', later(61))).toMatchObject({
      owner: 'second',
      expiresAt: later(120),
    });
    expect(await l.holder('expiry', 'retraining', later(120))).toBeUndefined();
  });

  test('the holder may acquire again (a retried step renews its lock)', async () => {
    const l = locks();
    expect(await l.acquire('renew', 'retraining', 'exec-a', 60, T0)).toBe(true);
    expect(await l.acquire('renew', 'retraining', 'exec-a', 60, later(30))).toBe(true);
    expect((await l.holder('renew', 'retraining', later(80)))?.expiresAt).toEqual(later(90));
  });

  test('release only by the owner; after release the lock is free', async () => {
    const l = locks();
    await l.acquire('release', 'retraining', 'owner-1', 60, T0);
    expect(await l.release('release', 'retraining', 'intruder')).toBe(false);
    expect((await l.holder('release', 'retraining', T0))?.owner).toBe('owner-1');
    expect(await l.release('release', 'retraining', 'owner-1')).toBe(true);
    expect(await l.release('release', 'retraining', 'owner-1')).toBe(false);
    expect(await l.acquire('release', 'retraining', 'owner-2', 60, T0)).toBe(true);
  });

  test('locks with different names or models do not interfere', async () => {
    const l = locks();
    expect(await l.acquire('iso', 'retraining', 'a', 60, T0)).toBe(true);
    expect(await l.acquire('iso', 'baseline', 'b', 60, T0)).toBe(true);
    expect(await l.acquire('iso-2', 'retraining', 'c', 60, T0)).toBe(true);
  });

  test('rejects a non-positive ttl or an empty owner', async () => {
    await expect(locks().acquire('bad', 'retraining', 'x', 0, T0)).rejects.toThrow(InvalidRecordError);
    await expect(locks().acquire('bad', 'retraining', '', 60, T0)).rejects.toThrow(InvalidRecordError);
  });
});

describe('DynamoAlertStateRepository', () => {
  const alerts = () => makeDynamoAlertStateRepository(TEST_TABLES.state, dynalite.current.documentClient);

  test('of 50 concurrent shouldNotify calls exactly one is told to notify', async () => {
    const a = alerts();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => a.shouldNotify('burst', 'baseline_drift_check', 'warning', T0, 3600)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  test('dedupes within the cooldown and notifies again once it has passed', async () => {
    const a = alerts();
    expect(await a.shouldNotify('cool', 'drift', 'warning', T0, 600)).toBe(true);
    expect(await a.shouldNotify('cool', 'drift', 'warning', later(599), 600)).toBe(false);
    expect(await a.shouldNotify('cool', 'drift', 'info', later(300), 600)).toBe(false);
    expect(await a.shouldNotify('cool', 'drift', 'warning', later(600), 600)).toBe(true);
  });

  test('a higher severity breaks through the cooldown, once, and restarts it', async () => {
    const a = alerts();
    expect(await a.shouldNotify('escalate', 'drift', 'warning', T0, 600)).toBe(true);
    const critical = await Promise.all(
      Array.from({ length: 10 }, () => a.shouldNotify('escalate', 'drift', 'critical', later(60), 600)),
    );
    expect(critical.filter(Boolean)).toHaveLength(1);
    // the cooldown now runs from the critical notification, at the critical level
    expect(await a.shouldNotify('escalate', 'drift', 'warning', later(610), 600)).toBe(false);
    expect(await a.shouldNotify('escalate', 'drift', 'critical', later(659), 600)).toBe(false);
    expect(await a.shouldNotify('escalate', 'drift', 'warning', later(660), 600)).toBe(true);
  });

  test('clear lets the next violation notify at once; checks are independent', async () => {
    const a = alerts();
    expect(await a.shouldNotify('recover', 'drift', 'warning', T0, 3600)).toBe(true);
    expect(await a.shouldNotify('recover', 'completeness', 'warning', T0, 3600)).toBe(true);
    await a.clear('recover', 'drift');
    expect(await a.shouldNotify('recover', 'drift', 'warning', later(1), 3600)).toBe(true);
    expect(await a.shouldNotify('recover', 'completeness', 'warning', later(1), 3600)).toBe(false);
  });

  test('stores the TTL attribute after the cooldown', async () => {
    await alerts().shouldNotify('ttl', 'drift#age', 'critical', T0, 600);
    const { Item } = await dynalite.current.documentClient.send(
      new GetCommand({ TableName: TEST_TABLES.state, Key: { pk: 'ALERT#ttl#drift%23age', sk: 'ALERT' } }),
    );
    expect(Item).toMatchObject({ severity: 'critical', cooldownUntil: T0.getTime() / 1000 + 600 });
    expect(Item?.expiresAt).toBeGreaterThan(Item?.cooldownUntil);
  });

  test('rejects an unknown severity or a negative cooldown', async () => {
    await expect(alerts().shouldNotify('bad', 'drift', 'urgent' as never, T0, 60)).rejects.toThrow(
      InvalidRecordError,
    );
    await expect(alerts().shouldNotify('bad', 'drift', 'info', T0, -1)).rejects.toThrow(InvalidRecordError);
  });
});

describe('DynamoDetectorStateRepository', () => {
  const states = () => makeDynamoDetectorStateRepository(TEST_TABLES.state, dynalite.current.documentClient);

  test('saves from version 0, loads, and saves on top of the loaded version', async () => {
    const s = states();
    expect(await s.load('det', 'adwin:accuracy')).toBeUndefined();
    expect(await s.save('det', 'adwin:accuracy', '{"width":10}', 0, T0)).toBe(1);
    expect(await s.load('det', 'adwin:accuracy')).toEqual({
      stateJson: '{"width":10}',
      version: 1,
      updatedAt: T0.toISOString(),
    });
    expect(await s.save('det', 'adwin:accuracy', '{"width":11}', 1)).toBe(2);
    expect((await s.load('det', 'adwin:accuracy'))?.stateJson).toBe('{"width":11}');
  });

  test('rejects a save based on a stale version and keeps the newer state', async () => {
    const s = states();
    await s.save('stale', 'ph', '"a"', 0);
    await s.save('stale', 'ph', '"b"', 1);
    await expect(s.save('stale', 'ph', '"c"', 1)).rejects.toThrow(StaleStateError);
    await expect(s.save('stale', 'ph', '"c"', 0)).rejects.toThrow(StaleStateError);
    expect(await s.load('stale', 'ph')).toMatchObject({ stateJson: '"b"', version: 2 });
  });

  test('of concurrent saves from the same version exactly one lands', async () => {
    const s = states();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => s.save('race', 'ph', JSON.stringify(i), 0)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  test('rejects a state too large for one item', async () => {
    await expect(states().save('big', 'ph', 'x'.repeat(400 * 1024), 0)).rejects.toThrow(RecordTooLargeError);
  });
});
