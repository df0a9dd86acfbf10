import { describe, expect, test } from 'vitest';
import { makeDynamoLockRepository } from '../../../functions/adapters/dynamodb/dynamodb-lock-repository.ts';
import { makeDynamoRetrainingRunLog } from '../../../functions/adapters/dynamodb/dynamodb-retraining-run-log.ts';
import { makeAcquireLockHandler } from '../../../functions/retraining/acquire-lock/acquire-lock.ts';
import { makeReleaseLockHandler } from '../../../functions/retraining/release-lock/release-lock.ts';
import { RetrainingNotConfiguredError } from '../../../functions/retraining/shared/step-input.ts';
import type { ModelConfig } from '../../../functions/shared/config/model-schema.ts';
import type { AcquireLockResult } from '../../../functions/shared/retraining-contract.ts';
import { retrainingTimeoutMinutes } from '../../../functions/shared/retraining-contract.ts';
import { useDynalite } from '../../support/dynalite.ts';
import { recordingLogger } from './support/silent-logger.ts';
import { execution, HOUR, stepModel } from './support/step-fixtures.ts';

const STATE = 'lock-state';
const dynalite = useDynalite([{ name: STATE }]);

/** acquire and release over one table and one clock, as the state machine calls them */
const steps = () => {
  const clock = { now: new Date('2026-11-23T08:00:00Z') };
  const deps = {
    locks: makeDynamoLockRepository(STATE, dynalite.current.documentClient),
    runs: makeDynamoRetrainingRunLog(STATE, dynalite.current.documentClient),
    now: () => clock.now,
    logger: recordingLogger(),
  };
  const acquire = makeAcquireLockHandler(deps);
  const release = makeReleaseLockHandler(deps);
  return {
    clock,
    deps,
    acquire: (model: ModelConfig, name: string) =>
      acquire({ model, execution: execution(name), trigger: { id: 't', detail: {} } }),
    release: (model: ModelConfig, name: string, lock: AcquireLockResult | null) =>
      release({ model, execution: execution(name), lock }),
    later: (hours: number) => {
      clock.now = new Date(clock.now.getTime() + hours * HOUR);
    },
  };
};

describe('acquire-lock and release-lock', () => {
  test('takes the lock for the whole execution timeout, records the run, and gives it back', async () => {
    const s = steps();
    const model = stepModel({ name: 'lock-a' });
    const lock = await s.acquire(model, 'run-1');
    const ttlMs = (retrainingTimeoutMinutes(model.retraining!) + 5) * 60_000;
    expect(lock).toEqual({
      acquired: true,
      reason: 'acquired',
      lockId: execution('run-1').id,
      expiresAt: new Date(s.clock.now.getTime() + ttlMs).toISOString(),
    });
    expect((await s.deps.locks.holder('lock-a', 'retraining', s.clock.now))?.owner).toBe(lock.lockId);

    s.later(1);
    expect(await s.release(model, 'run-1', lock)).toEqual({ released: true });
    expect(await s.deps.locks.holder('lock-a', 'retraining', s.clock.now)).toBeUndefined();
    expect(await s.deps.runs.list('lock-a')).toEqual([
      { execution: lock.lockId, startedAt: '2026-11-23T08:00:00.000Z', endedAt: '2026-11-23T09:00:00.000Z' },
    ]);
  });

  test('answers a retried acquire of the same execution with the same lock, recording one run', async () => {
    const s = steps();
    const model = stepModel({ name: 'lock-b' });
    const first = await s.acquire(model, 'run-1');
    const again = await s.acquire(model, 'run-1');
    expect(again.acquired).toBe(true);
    expect(again.lockId).toBe(first.lockId);
    expect(await s.deps.runs.list('lock-b')).toHaveLength(1);
  });

  test('refuses while another execution holds the lock, and takes over a lock that expired', async () => {
    const s = steps();
    const model = stepModel({ name: 'lock-c' });
    const first = await s.acquire(model, 'run-1');
    expect(await s.acquire(model, 'run-2')).toEqual({
      acquired: false,
      reason: 'held',
      lockId: null,
      expiresAt: null,
    });
    // run-1 crashed without releasing: its lock outlives the state machine's timeout, then lapses
    s.later((Date.parse(first.expiresAt!) - s.clock.now.getTime()) / HOUR + 0.01);
    expect(await s.acquire(model, 'run-3')).toMatchObject({ acquired: true, lockId: execution('run-3').id });
  });

  test('refuses within the cooldown after the last run ended, and frees the lock it took to check', async () => {
    const s = steps();
    const model = stepModel({ name: 'lock-d' }, { cooldownHours: 6, maxRunsPerDay: 10 });
    await s.release(model, 'run-1', await s.acquire(model, 'run-1'));
    s.later(5);
    expect(await s.acquire(model, 'run-2')).toMatchObject({ acquired: false, reason: 'cooldown' });
    expect(await s.deps.locks.holder('lock-d', 'retraining', s.clock.now)).toBeUndefined();
    s.later(1.5);
    expect(await s.acquire(model, 'run-3')).toMatchObject({ acquired: true });
  });

  test('refuses once maxRunsPerDay runs started in the last 24 hours', async () => {
    const s = steps();
    const model = stepModel({ name: 'lock-e' }, { cooldownHours: 0, maxRunsPerDay: 2 });
    for (const name of ['run-1', 'run-2']) {
      await s.release(model, name, await s.acquire(model, name));
      s.later(2);
    }
    expect(await s.acquire(model, 'run-3')).toMatchObject({ acquired: false, reason: 'daily-limit' });
    s.later(21);
    expect(await s.acquire(model, 'run-4')).toMatchObject({ acquired: true });
  });

  test('release frees only its own lock: nothing to release without one, false for another holder', async () => {
    const s = steps();
    const model = stepModel({ name: 'lock-f' });
    expect(await s.release(model, 'run-0', null)).toEqual({ released: false });
    const refused: AcquireLockResult = { acquired: false, reason: 'held', lockId: null, expiresAt: null };
    expect(await s.release(model, 'run-0', refused)).toEqual({ released: false });
    const mine = await s.acquire(model, 'run-1');
    expect(await s.release(model, 'run-2', { ...mine, lockId: execution('run-2').id })).toEqual({
      released: false,
    });
    expect((await s.deps.locks.holder('lock-f', 'retraining', s.clock.now))?.owner).toBe(mine.lockId);
    expect(await s.release(model, 'run-1', mine)).toEqual({ released: true });
    expect(await s.release(model, 'run-1', mine)).toEqual({ released: false });
  });

  test.each([
    [{ execution: { id: 'x', name: 'x' } }, /^acquire-lock: event\.execution\.startTime: /],
    [
      { execution: { id: 'x', name: 'x', startTime: 'yesterday' } },
      /event\.execution\.startTime: is not an ISO-8601/,
    ],
    [{ execution: execution(), model: { name: 'Bad Name' } }, /^acquire-lock: event\.model/],
  ])('rejects a malformed event, naming the field (%#)', async (event, message) => {
    const s = steps();
    const model = stepModel({ name: 'lock-g' });
    await expect(makeAcquireLockHandler(s.deps)({ model, trigger: {}, ...event })).rejects.toThrow(message);
  });

  test('rejects a model without a retraining section', async () => {
    const s = steps();
    const { retraining: _none, ...model } = stepModel({ name: 'lock-h' });
    await expect(s.acquire(model as ModelConfig, 'run-1')).rejects.toThrow(RetrainingNotConfiguredError);
  });
});
