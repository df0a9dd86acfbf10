import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, test } from 'vitest';
import type { AuditInput } from '../../functions/adapters/audit-log.ts';
import {
  AUDIT_RETRY,
  auditPartition,
  auditSort,
  makeDynamoAuditLog,
} from '../../functions/adapters/dynamodb/dynamodb-audit-log.ts';
import {
  CorruptRecordError,
  InvalidKeyPartError,
  InvalidRecordError,
} from '../../functions/adapters/errors.ts';
import { entryHash, GENESIS_HASH, verifyChain } from '../../functions/shared/audit/audit-chain.ts';
import { useDynalite } from '../support/dynalite.ts';

const TABLE = 'mc-audit';
const dynalite = useDynalite([{ name: TABLE }]);
const T0 = new Date('2026-11-23T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const log = () => makeDynamoAuditLog(TABLE, dynalite.current.documentClient);

const mute = (model: string, reason: string, until = '2026-11-23T12:00:00.000Z'): AuditInput => ({
  model,
  action: 'alert.muted',
  principal: 'arn:aws:sts::123456789012:assumed-role/on-call/ana',
  reason,
  before: { check: 'baseline_drift_check', mutedUntil: null },
  after: { check: 'baseline_drift_check', mutedUntil: until },
});

const appendSome = async (model: string, n: number) => {
  const audit = log();
  for (let i = 0; i < n; i++) await audit.append(mute(model, `mute ${i + 1}`), at(i));
};

const keyOf = (model: string, seq: number) => ({ pk: auditPartition(model), sk: auditSort(seq) });

const itemOf = async (model: string, seq: number) => {
  const { Item } = await dynalite.current.documentClient.send(
    new GetCommand({ TableName: TABLE, Key: keyOf(model, seq) }),
  );
  return Item!;
};

const putRaw = (item: Record<string, unknown>) =>
  dynalite.current.documentClient.send(new PutCommand({ TableName: TABLE, Item: item }));

const verdictOf = async (model: string) => verifyChain(model, await log().readChain(model));

describe('DynamoAuditLog', () => {
  test('appends entries linked by hash, numbered from 1, each stored as written', async () => {
    // Act
    const first = await log().append(
      {
        model: 'append',
        action: 'config.put',
        principal: 'cloudformation:care-prod',
        reason: 'seeded from config/models.json',
        before: null,
        after: { version: 1, configHash: 'c'.repeat(64), change: 'put' },
      },
      T0,
    );
    const second = await log().append(mute('append', 'upstream migration'), at(5));
    // Assess
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, at: '2026-11-23T10:00:00.000Z' });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash, action: 'alert.muted' });
    expect(entryHash(second)).toBe(second.hash);
    const chain = await log().readChain('append');
    expect(chain).toEqual([
      { seq: 1, entry: first },
      { seq: 2, entry: second },
    ]);
    expect(await itemOf('append', 2)).toMatchObject({
      format: 1,
      beforeJson: '{"check":"baseline_drift_check","mutedUntil":null}',
      afterJson: '{"check":"baseline_drift_check","mutedUntil":"2026-11-23T12:00:00.000Z"}',
    });
    expect(verifyChain('append', chain)).toMatchObject({
      ok: true,
      entries: 2,
      head: { seq: 2, hash: second.hash },
    });
  });

  test('lists from a time on, oldest first; chains of models stay apart', async () => {
    // Prepare
    await appendSome('listed', 6);
    await appendSome('listed-other', 2);
    // Act
    const all = await log().list('listed');
    const recent = await log().list('listed', { since: at(3) });
    // Assess
    expect(all.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(recent.map((r) => r.seq)).toEqual([4, 5, 6]);
    expect(await log().list('listed', { since: at(60) })).toEqual([]);
    expect((await log().list('listed-other')).map((r) => r.seq)).toEqual([1, 2]);
  });

  test('time never runs backwards along a chain, whatever the writer clock says', async () => {
    await log().append(mute('clock', 'first'), at(10));
    const late = await log().append(mute('clock', 'from a slow clock'), at(2));
    expect(late.at).toBe(at(10).toISOString());
    expect((await verdictOf('clock')).ok).toBe(true);
  });

  test('two writers racing append every entry once, in one unbroken chain', async () => {
    // Act: two writers, 15 appends each, all at once
    const writers = [1, 2].map(() => makeDynamoAuditLog(TABLE, dynalite.current.documentClient));
    await Promise.all(
      writers.flatMap((w, wi) =>
        Array.from({ length: 15 }, (_, i) => w.append(mute('race', `w${wi} #${i}`), T0)),
      ),
    );
    // Assess
    const chain = await log().readChain('race');
    expect(chain.map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const reasons = chain.flatMap((r) => ('entry' in r ? [r.entry.reason] : []));
    expect(new Set(reasons).size).toBe(30);
    expect(await verdictOf('race')).toMatchObject({ ok: true, entries: 30 });
  });

  test('eight writers racing still lose no entry', async () => {
    const writers = Array.from({ length: 8 }, () =>
      makeDynamoAuditLog(TABLE, dynalite.current.documentClient),
    );
    await Promise.all(
      writers.flatMap((w, wi) => [0, 1, 2].map((i) => w.append(mute('crowd', `${wi}.${i}`), T0))),
    );
    expect(await verdictOf('crowd')).toMatchObject({ ok: true, entries: 24 });
  });

  describe('tampering done in the table is found by verify', () => {
    test('fails on an edited item, naming it', async () => {
      await appendSome('t-edit', 4);
      await dynalite.current.documentClient.send(
        new UpdateCommand({
          TableName: TABLE,
          Key: keyOf('t-edit', 2),
          UpdateExpression: 'SET principal = :p',
          ExpressionAttributeValues: { ':p': 'arn:aws:iam::123456789012:user/someone-else' },
        }),
      );
      expect(await verdictOf('t-edit')).toMatchObject({
        ok: false,
        firstBad: { seq: 2, action: 'alert.muted', reason: expect.stringMatching(/edited/) },
      });
    });

    test('fails on a deleted item', async () => {
      await appendSome('t-delete', 4);
      await dynalite.current.documentClient.send(
        new DeleteCommand({ TableName: TABLE, Key: keyOf('t-delete', 3) }),
      );
      expect(await verdictOf('t-delete')).toMatchObject({
        ok: false,
        firstBad: { seq: 3, reason: expect.stringMatching(/missing/) },
      });
    });

    test('fails on two items reordered', async () => {
      await appendSome('t-reorder', 4);
      const [two, three] = [await itemOf('t-reorder', 2), await itemOf('t-reorder', 3)];
      await putRaw({ ...three, sk: auditSort(2) });
      await putRaw({ ...two, sk: auditSort(3) });
      expect(await verdictOf('t-reorder')).toMatchObject({
        ok: false,
        firstBad: { seq: 2, reason: expect.stringMatching(/says it is entry 3/) },
      });
    });

    test('fails on an item inserted with a forged link', async () => {
      await appendSome('t-insert', 3);
      const last = await itemOf('t-insert', 3);
      const forged = {
        model: 't-insert',
        seq: 4,
        at: at(30).toISOString(),
        principal: 'arn:aws:iam::123456789012:user/intruder',
        action: 'alert.muted' as const,
        reason: 'looks legit',
        before: null,
        after: null,
        prevHash: (await itemOf('t-insert', 1)).hash as string,
      };
      await putRaw({
        ...last,
        ...keyOf('t-insert', 4),
        ...forged,
        beforeJson: 'null',
        afterJson: 'null',
        hash: entryHash(forged),
      });
      expect(await verdictOf('t-insert')).toMatchObject({
        ok: false,
        firstBad: { seq: 4, reason: expect.stringMatching(/does not follow entry 3/) },
      });
    });

    test('fails on an item stripped of an attribute, naming the attribute', async () => {
      await appendSome('t-strip', 2);
      const { hash: _hash, ...stripped } = await itemOf('t-strip', 2);
      await putRaw(stripped);
      expect(await verdictOf('t-strip')).toMatchObject({
        ok: false,
        firstBad: { seq: 2, reason: expect.stringMatching(/unreadable: hash/) },
      });
      // an append after it is refused rather than linked to nothing
      await expect(log().append(mute('t-strip', 'after the damage'))).rejects.toThrow(CorruptRecordError);
    });
  });

  test.each<[string, Partial<AuditInput>, RegExp]>([
    [
      'an after state that does not fit its action',
      { after: { check: 'x', mutedUntil: 'tomorrow' } as never },
      /alert\.muted after/,
    ],
    [
      'an unknown field in a state',
      { before: { check: 'x', mutedUntil: null, extra: 1 } as never },
      /Unrecognized key/,
    ],
    ['an empty reason', { reason: '  ' }, /reason must not be empty/],
    ['an empty principal', { principal: '' }, /principal must not be empty/],
    ['an unknown action', { action: 'model.deleted' as never }, /unknown audit action/],
  ])('rejects %s and writes nothing', async (_what, change, message) => {
    await expect(log().append({ ...mute('refused', 'r'), ...change } as AuditInput, T0)).rejects.toThrow(
      message,
    );
    await expect(log().append({ ...mute('refused', 'r'), ...change } as AuditInput, T0)).rejects.toThrow(
      InvalidRecordError,
    );
    expect(await log().readChain('refused')).toEqual([]);
  });

  test('rejects a model name that cannot be a key', async () => {
    await expect(log().append(mute('bad#name', 'r'))).rejects.toThrow(InvalidKeyPartError);
  });

  test('fails with AuditConflictError when the next position keeps being taken', async () => {
    // Prepare: a writer whose every put loses the race (a rival appends between its read and its write)
    const rival = log();
    let sends = 0;
    const ddb = dynalite.current.documentClient;
    const racing = {
      send: async (command: Parameters<typeof ddb.send>[0]) => {
        if (command instanceof PutCommand) await rival.append(mute('contested', `rival ${++sends}`));
        return ddb.send(command as never);
      },
    } as unknown as typeof ddb;
    const loser = makeDynamoAuditLog(TABLE, racing, {
      retry: { ...AUDIT_RETRY, maxAttempts: 3, sleep: async () => {} },
    });
    // Act / Assess
    await expect(loser.append(mute('contested', 'never lands'))).rejects.toThrow(/taken 3 times/);
    expect(await verdictOf('contested')).toMatchObject({ ok: true, entries: 3 });
  });
});
