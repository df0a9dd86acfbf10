import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { makeDynamoModelStore } from '../../functions/adapters/dynamodb/dynamodb-model-store.ts';
import {
  CorruptRecordError,
  InvalidRecordError,
  RecordTooLargeError,
} from '../../functions/adapters/errors.ts';
import {
  ModelConfigConflictError,
  ModelNotFoundError,
  ModelRemovedError,
  type ModelStore,
} from '../../functions/adapters/model-store.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { useDynalite } from '../support/dynalite.ts';
import { model, wideFeatures } from '../support/model-fixtures.ts';

const TABLE = 'mc-models';
/** a models table whose fleet index gets a hand-edited item, apart so the other tests read a clean index */
const EDITED_TABLE = 'mc-models-edited';
const dynalite = useDynalite([{ name: TABLE }, { name: EDITED_TABLE }]);
const store = (ddb: DynamoDBDocumentClient = dynalite.current.documentClient): ModelStore =>
  makeDynamoModelStore(TABLE, ddb);

const ALICE = 'arn:aws:iam::123456789012:user/alice';
const BOB = 'arn:aws:iam::123456789012:user/bob';
let names = 0;
/** a fresh model name per test: one dynalite serves the whole file */
const fresh = (prefix = 'm'): string => `${prefix}-${++names}`;

/** `model(name)` with a different drift threshold: a distinct config of the same model */
const variant = (name: string, threshold: number): ModelConfig =>
  model(name, { thresholds: { comparisonThreshold: threshold } });

/**
 * A document client that dies after its `n`-th successful write, as a Lambda killed mid-request would: the
 * writes before it are in the table, the ones after never happen.
 */
const crashingAfterWrites = (n: number): DynamoDBDocumentClient => {
  const real = dynalite.current.documentClient;
  let writes = 0;
  const client = Object.create(real) as DynamoDBDocumentClient;
  client.send = (async (command: unknown) => {
    if (writes >= n) throw new Error('crashed');
    const out = await real.send(command as PutCommand);
    if (command instanceof PutCommand) writes++;
    return out;
  }) as DynamoDBDocumentClient['send'];
  return client;
};

describe('DynamoModelStore: versions', () => {
  test('stores a new model as version 1 with who, when, why and where from', async () => {
    const name = fresh();
    const at = new Date('2026-11-23T08:00:00Z');

    const result = await store().put(model(name), { principal: ALICE, reason: 'first', now: at });

    expect(result.changed).toBe(true);
    expect(result.record).toMatchObject({
      name,
      version: 1,
      change: 'put',
      previousVersion: null,
      principal: ALICE,
      at: at.toISOString(),
      reason: 'first',
      source: 'api',
    });
    const got = await store().get(name);
    expect(got.record.config).toEqual(model(name));
    expect(got.current).toMatchObject({
      version: 1,
      status: 'active',
      updatedBy: ALICE,
      appliedVersion: null,
    });
    expect((await store().list()).map((m) => m.name)).toContain(name);
  });

  test('a change names the version it read, keeps the old one and records which fields changed', async () => {
    const name = fresh();
    await store().put(model(name), { principal: ALICE });

    const result = await store().put(variant(name, 0.2), { expectedVersion: 1, principal: BOB });

    expect(result.record).toMatchObject({ version: 2, previousVersion: 1, principal: BOB });
    expect(result.record.changedPaths).toEqual(['thresholds.comparisonThreshold']);
    expect((await store().get(name, 1)).record.config.thresholds.comparisonThreshold).toBe(0.1);
    expect((await store().get(name)).record.config.thresholds.comparisonThreshold).toBe(0.2);
    const history = await store().history(name);
    expect(history.map((h) => [h.version, h.principal])).toEqual([
      [1, ALICE],
      [2, BOB],
    ]);
    expect(history[0]).not.toHaveProperty('config');
  });

  test('a put of the current config changes nothing, whatever version it names (a retried put converges)', async () => {
    const name = fresh();
    await store().put(model(name), { principal: ALICE });
    await store().put(variant(name, 0.3), { expectedVersion: 1, principal: ALICE });

    const again = await store().put(variant(name, 0.3), { expectedVersion: 1, principal: BOB });

    expect(again.changed).toBe(false);
    expect(again.record.version).toBe(2);
    expect(await store().history(name)).toHaveLength(2);
  });

  test.each([
    ['a stale version', 1, 'changed since version 1 (now 2): get it again'],
    ['no version (create only)', undefined, 'already exists at version 2'],
    ['a future version', 7, 'changed since version 7 (now 2)'],
  ])(
    'rejects a change that names %s, with the current version, storing nothing',
    async (_, expected, message) => {
      const name = fresh();
      await store().put(model(name), { principal: ALICE });
      await store().put(variant(name, 0.2), { expectedVersion: 1, principal: ALICE });

      const error = await store()
        .put(variant(name, 0.5), { expectedVersion: expected, principal: BOB })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ModelConfigConflictError);
      expect(error).toMatchObject({ currentVersion: 2, expectedVersion: expected });
      expect((error as Error).message).toContain(message);
      expect(await store().history(name)).toHaveLength(2);
    },
  );

  test('rejects a change to an unknown model and an unknown version', async () => {
    await expect(store().put(model(fresh()), { expectedVersion: 3, principal: ALICE })).rejects.toThrow(
      ModelNotFoundError,
    );
    await expect(store().get(fresh())).rejects.toThrow(ModelNotFoundError);
    await expect(store().history(fresh())).rejects.toThrow(ModelNotFoundError);
    const name = fresh();
    await store().put(model(name), { principal: ALICE });
    await expect(store().get(name, 2)).rejects.toThrow(/has no version 2/);
  });

  test('of any number of writers racing from the same version exactly one wins; the others learn its version', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 6 }), async (writers) => {
        const name = fresh('race');
        await store().put(model(name), { principal: ALICE });
        const configs = Array.from({ length: writers }, (_, i) => variant(name, 0.2 + i / 100));

        const results = await Promise.allSettled(
          configs.map((config, i) =>
            store().put(config, { expectedVersion: 1, principal: `arn:aws:iam::123456789012:user/w${i}` }),
          ),
        );

        const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
        expect(winners).toHaveLength(1);
        for (const r of results) {
          if (r.status === 'rejected') {
            expect(r.reason).toBeInstanceOf(ModelConfigConflictError);
            expect(r.reason).toMatchObject({ currentVersion: 2 });
          }
        }
        // nothing lost, nothing mixed: version 2 is the winner's config, exactly as sent
        const current = await store().get(name);
        expect(current.record.config).toEqual(configs[winners[0] ?? -1]);
        expect(current.current.version).toBe(2);
        expect(await store().history(name)).toHaveLength(2);
      }),
      { numRuns: 12 },
    );
  });

  test('writers racing with the same config all succeed on one version', async () => {
    const name = fresh();
    await store().put(model(name), { principal: ALICE });

    const results = await Promise.all(
      [ALICE, BOB, ALICE].map((principal) =>
        store().put(variant(name, 0.25), { expectedVersion: 1, principal }),
      ),
    );

    expect(results.map((r) => r.record.version)).toEqual([2, 2, 2]);
    expect(results.filter((r) => r.changed)).toHaveLength(1);
  });
});

describe('DynamoModelStore: a crash between the writes', () => {
  test.each([
    ['after claiming the version', 1],
    ['after updating the fleet index', 2],
  ])(
    'a writer that died %s is rolled forward by the next one, which is told the version changed',
    async (_, writes) => {
      const name = fresh('crash');
      await store().put(model(name), { principal: ALICE });
      await expect(
        store(crashingAfterWrites(writes)).put(variant(name, 0.4), { expectedVersion: 1, principal: BOB }),
      ).rejects.toThrow('crashed');
      const pointer = await dynalite.current.documentClient.send(
        new GetCommand({ TableName: TABLE, Key: { pk: `MODEL#${name}`, sk: 'CURRENT' } }),
      );
      expect(pointer.Item?.version).toBe(1);

      const error = await store()
        .put(variant(name, 0.6), { expectedVersion: 1, principal: ALICE })
        .catch((e: unknown) => e);

      expect(error).toMatchObject({ name: 'ModelConfigConflictError', currentVersion: 2 });
      const repaired = await store().get(name);
      expect(repaired.current.version).toBe(2);
      expect(repaired.record.config.thresholds.comparisonThreshold).toBe(0.4);
      expect(repaired.record.principal).toBe(BOB);
      const listed = (await store().list()).find((m) => m.name === name);
      expect(listed?.version).toBe(2);
      expect((await store().schedules()).find((s) => s.name === name)?.version).toBe(2);
    },
  );

  test('a read repairs the pointer too, so a crash with no writer after it does not linger', async () => {
    const name = fresh('crash');
    await store().put(model(name), { principal: ALICE });
    await store(crashingAfterWrites(1))
      .put(variant(name, 0.4), { expectedVersion: 1, principal: BOB })
      .catch(() => undefined);

    expect((await store().get(name)).current.version).toBe(2);
    expect((await store().list()).find((m) => m.name === name)?.version).toBe(2);
  });

  test('a crash while creating a model leaves it readable and creatable by no one else', async () => {
    const name = fresh('crash');
    await store(crashingAfterWrites(1))
      .put(model(name), { principal: BOB })
      .catch(() => undefined);

    await expect(store().put(variant(name, 0.3), { principal: ALICE })).rejects.toMatchObject({
      name: 'ModelConfigConflictError',
      currentVersion: 1,
    });
    expect((await store().get(name)).record.principal).toBe(BOB);
  });
});

describe('DynamoModelStore: removal', () => {
  test('removes with a tombstone version, keeps the history and refuses the name until recreated', async () => {
    const name = fresh('rm');
    await store().put(model(name), { principal: ALICE });

    const removed = await store().remove(name, { expectedVersion: 1, principal: BOB, reason: 'retired' });

    expect(removed.record).toMatchObject({
      version: 2,
      change: 'remove',
      previousVersion: 1,
      reason: 'retired',
    });
    expect(removed.current.status).toBe('removed');
    expect((await store().get(name)).current.status).toBe('removed');
    expect((await store().get(name, 1)).record.config).toEqual(model(name));
    expect((await store().list()).map((m) => m.name)).not.toContain(name);
    expect((await store().list({ includeRemoved: true })).find((m) => m.name === name)?.status).toBe(
      'removed',
    );
    await expect(store().put(model(name), { principal: ALICE })).rejects.toThrow(ModelRemovedError);
    await expect(store().put(model(name), { expectedVersion: 2, principal: ALICE })).rejects.toThrow(
      /was removed \(version 2\): put it with recreate/,
    );

    const recreated = await store().put(variant(name, 0.3), { principal: ALICE, recreate: true });

    expect(recreated.record).toMatchObject({ version: 3, change: 'recreate', previousVersion: 2 });
    expect((await store().history(name)).map((h) => h.change)).toEqual(['put', 'remove', 'recreate']);
    expect((await store().get(name)).current.status).toBe('active');
  });

  test('a retried removal succeeds without a new version; a stale one is refused', async () => {
    const name = fresh('rm');
    await store().put(model(name), { principal: ALICE });
    await store().put(variant(name, 0.2), { expectedVersion: 1, principal: ALICE });
    await expect(store().remove(name, { expectedVersion: 1, principal: BOB })).rejects.toMatchObject({
      name: 'ModelConfigConflictError',
      currentVersion: 2,
    });
    await store().remove(name, { expectedVersion: 2, principal: BOB });

    const retried = await store().remove(name, { expectedVersion: 2, principal: BOB });

    expect(retried.changed).toBe(false);
    expect(retried.record.version).toBe(3);
    await expect(store().remove(name, { expectedVersion: 1, principal: BOB })).rejects.toThrow(
      ModelRemovedError,
    );
    await expect(store().remove(fresh(), { expectedVersion: 1, principal: BOB })).rejects.toThrow(
      ModelNotFoundError,
    );
  });

  test('rejects recreate for a model that is active, and a recreate naming a stale removal', async () => {
    const name = fresh('rm');
    await store().put(model(name), { principal: ALICE });
    await expect(store().put(variant(name, 0.2), { principal: ALICE, recreate: true })).rejects.toThrow(
      ModelConfigConflictError,
    );
    await store().remove(name, { expectedVersion: 1, principal: ALICE });
    await expect(
      store().put(model(name), { principal: ALICE, recreate: true, expectedVersion: 1 }),
    ).rejects.toMatchObject({ currentVersion: 2 });
  });
});

describe('DynamoModelStore: what is stored', () => {
  test('1,000 features fit, and come back exactly', async () => {
    const name = fresh('wide');
    const config = model(name, { features: wideFeatures(1000, 'a_fairly_long_feature_name_of_forty_ch') });

    await store().put(config, { principal: ALICE });

    expect((await store().get(name)).record.config).toEqual(config);
  });

  test('rejects a config over the item limit, storing nothing', async () => {
    const name = fresh('huge');
    const config = model(name, { features: wideFeatures(3000, 'x'.repeat(120)) });

    await expect(store().put(config, { principal: ALICE })).rejects.toThrow(RecordTooLargeError);
    await expect(store().get(name)).rejects.toThrow(ModelNotFoundError);
  });

  test('rejects anything that is not a valid config, storing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('problemType', 'features', 'outputs', 'baseline', 'schedules', 'alerts'),
        fc.oneof(fc.constant(null), fc.integer(), fc.string(), fc.constant([])),
        async (field, junk) => {
          const name = fresh('bad');
          const invalid = { ...model(name), [field]: junk } as unknown as ModelConfig;

          await expect(store().put(invalid, { principal: ALICE })).rejects.toThrow(InvalidRecordError);
          await expect(store().get(name)).rejects.toThrow(ModelNotFoundError);
        },
      ),
      { numRuns: 30 },
    );
  });

  test('schedules() gives every model its schedule, with the default grace and removed ones marked', async () => {
    const name = fresh('sched');
    await store().put(
      model(name, { schedules: { data: 'rate(30 minutes)', quality: 'cron(0 6 * * ? *)' } }),
      {
        principal: ALICE,
      },
    );
    const gone = fresh('sched');
    await store().put(model(gone), { principal: ALICE });
    await store().remove(gone, { expectedVersion: 1, principal: ALICE });

    const schedules = await store().schedules();

    expect(schedules.find((s) => s.name === name)).toEqual({
      name,
      version: 1,
      status: 'active',
      data: 'rate(30 minutes)',
      quality: 'cron(0 6 * * ? *)',
      dataWindowMinutes: 30,
      qualityWindowMinutes: 1440,
      graceMinutes: 10,
    });
    expect(schedules.find((s) => s.name === gone)?.status).toBe('removed');
  });

  test('schedules() carries the grace a config gives', async () => {
    const name = fresh('grace');
    await store().put(model(name, { schedules: { data: 'rate(1 hour)', graceMinutes: 0 } }), {
      principal: ALICE,
    });
    expect((await store().schedules()).find((s) => s.name === name)?.graceMinutes).toBe(0);
  });

  describe('schedules() on a fleet index with a hand-edited item', () => {
    const edited = () => makeDynamoModelStore(EDITED_TABLE, dynalite.current.documentClient);
    const putBrokenItem = () =>
      dynalite.current.documentClient.send(
        new PutCommand({
          TableName: EDITED_TABLE,
          // the schedule fields missing
          Item: { pk: 'SCHEDULES', sk: 'index-bad', version: 1, status: 'active', data: 'rate(1 hour)' },
        }),
      );

    test('skips an item that does not parse, reports it, and returns the others', async () => {
      await edited().put(model('index-ok'), { principal: ALICE });
      await putBrokenItem();
      const corrupt: CorruptRecordError[] = [];

      const entries = await edited().schedules({ onCorrupt: (error) => corrupt.push(error) });

      expect(entries.map((e) => e.name)).toEqual(['index-ok']);
      expect(corrupt.map((e) => e.key)).toEqual(['SCHEDULES / index-bad']);
    });

    test('rejects a corrupt item when no one listens for it', async () => {
      await putBrokenItem();
      await expect(edited().schedules()).rejects.toThrow('index-bad');
    });
  });

  test('markApplied moves the applied version forwards only, and only for the current version', async () => {
    const name = fresh('applied');
    await store().put(model(name), { principal: ALICE });
    await store().put(variant(name, 0.2), { expectedVersion: 1, principal: ALICE });

    await store().markApplied(name, 1);
    expect((await store().get(name)).current.appliedVersion).toBeNull();
    await store().markApplied(name, 2);

    expect((await store().get(name)).current.appliedVersion).toBe(2);
    expect((await store().list()).find((m) => m.name === name)?.appliedVersion).toBe(2);
    const next = await store().put(variant(name, 0.3), { expectedVersion: 2, principal: ALICE });
    expect(next.current.appliedVersion).toBe(2);
  });

  test('fails on a stored config that no longer parses, naming the item', async () => {
    const name = fresh('corrupt');
    await store().put(model(name), { principal: ALICE });
    await dynalite.current.documentClient.send(
      new PutCommand({
        TableName: TABLE,
        Item: {
          pk: `MODEL#${name}`,
          sk: 'CONFIG#0000000002',
          name,
          version: 2,
          change: 'put',
          config: '{"name":"hand-edited"}',
          configHash: 'sha256:0',
          previousVersion: 1,
          principal: ALICE,
          at: '2026-11-23T08:00:00.000Z',
          source: 'api',
          changedPaths: [],
        },
      }),
    );

    const error = await store()
      .get(name)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CorruptRecordError);
    expect((error as Error).message).toContain(`MODEL#${name} / CONFIG#0000000002`);
  });
});
