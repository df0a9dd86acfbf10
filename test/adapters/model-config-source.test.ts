import { describe, expect, test } from 'vitest';
import { makeDynamoModelStore } from '../../functions/adapters/dynamodb/dynamodb-model-store.ts';
import { makeCachedModelConfigSource } from '../../functions/adapters/model-config-source.ts';
import {
  ModelNotFoundError,
  ModelRemovedError,
  type ModelStore,
} from '../../functions/adapters/model-store.ts';
import { useDynalite } from '../support/dynalite.ts';
import { model } from '../support/model-fixtures.ts';

const TABLE = 'mc-models-source';
const dynalite = useDynalite([{ name: TABLE }]);
const ALICE = 'arn:aws:iam::123456789012:user/alice';
let names = 0;
const fresh = () => `src-${++names}`;

/** the real store, counting the reads that reach it */
const counted = () => {
  const store = makeDynamoModelStore(TABLE, dynalite.current.documentClient);
  const reads: string[] = [];
  const get: ModelStore['get'] = (name, version) => {
    reads.push(`${name}@${version ?? 'current'}`);
    return store.get(name, version);
  };
  return { store, reads, source: (options = {}) => makeCachedModelConfigSource({ get }, options) };
};

describe('cached ModelConfigSource', () => {
  test('reads the current version once per minute and a pinned version once for good', async () => {
    const name = fresh();
    const { store, reads, source } = counted();
    await store.put(model(name), { principal: ALICE });
    let clock = 0;
    const configs = source({ now: () => clock });

    const loaded = await Promise.all([configs.load(name), configs.load(name)]);
    loaded.push(await configs.load(name, 1));
    await store.put(model(name, { positiveLabel: 'yes' }), { expectedVersion: 1, principal: ALICE });
    const stillCached = await configs.load(name);
    clock = 60_000;
    const refreshed = await configs.load(name);

    expect(loaded.map((l) => l.version)).toEqual([1, 1, 1]);
    expect(stillCached.version).toBe(1);
    expect(refreshed).toMatchObject({ version: 2, config: { positiveLabel: 'yes' } });
    expect((await configs.load(name, 1)).config.positiveLabel).toBe('1');
    expect(reads).toEqual([`${name}@current`, `${name}@current`]);
  });

  test('keeps at most maxVersions versions, dropping the least recently used', async () => {
    const name = fresh();
    const { store, reads, source } = counted();
    await store.put(model(name), { principal: ALICE });
    for (let v = 1; v <= 3; v++) {
      await store.put(model(name, { decisionThreshold: v / 10 }), { expectedVersion: v, principal: ALICE });
    }
    const configs = source({ maxVersions: 2 });

    await configs.load(name, 1);
    await configs.load(name, 2);
    await configs.load(name, 1);
    await configs.load(name, 3);
    await configs.load(name, 1);
    await configs.load(name, 2);

    expect(reads).toEqual([`${name}@1`, `${name}@2`, `${name}@3`, `${name}@2`]);
  });

  test('rejects the current version of a removed model, while its versions stay readable', async () => {
    const name = fresh();
    const { store, source } = counted();
    await store.put(model(name), { principal: ALICE });
    await store.remove(name, { expectedVersion: 1, principal: ALICE });
    const configs = source();

    await expect(configs.load(name)).rejects.toThrow(ModelRemovedError);
    expect((await configs.load(name, 1)).version).toBe(1);
  });

  test('does not cache a failed read: a model created after a miss is found', async () => {
    const name = fresh();
    const { store, source } = counted();
    const configs = source();

    await expect(configs.load(name)).rejects.toThrow(ModelNotFoundError);
    await store.put(model(name), { principal: ALICE });

    expect((await configs.load(name)).version).toBe(1);
  });
});
