import { describe, expect, test } from 'vitest';
import { makeDynamoRegistryRepository } from '../../functions/adapters/dynamodb/dynamodb-registry-repository.ts';
import {
  InvalidKeyPartError,
  InvalidRecordError,
  StaleChampionError,
  VersionExistsError,
  VersionNotFoundError,
} from '../../functions/adapters/errors.ts';
import type { NewModelVersion } from '../../functions/adapters/registry-repository.ts';
import { useDynalite } from '../support/dynalite.ts';
import { TEST_TABLE_SPECS, TEST_TABLES } from './dynamodb-tables.ts';

const dynalite = useDynalite(TEST_TABLE_SPECS);
const repo = () => makeDynamoRegistryRepository(TEST_TABLES.registry, dynalite.current.documentClient);

const version = (n: number, overrides: Partial<NewModelVersion> = {}): NewModelVersion => ({
  version: n,
  createdAt: '2026-11-23T10:00:00Z',
  artifactUri: `s3://bucket/training/job-${n}/output/model.tar.gz`,
  trainingJobName: `job-${n}`,
  evaluation: { auc: 0.9 + n / 1000, accuracy: 0.85 },
  ...overrides,
});

describe('DynamoRegistryRepository', () => {
  test('registers versions and lists them in numeric order (10 after 9)', async () => {
    const r = repo();
    for (const n of [10, 2, 9, 1]) await r.registerVersion('order', version(n));
    expect((await r.listVersions('order')).map((v) => v.version)).toEqual([1, 2, 9, 10]);
    expect((await r.latestVersion('order'))?.version).toBe(10);
    expect(await r.getVersion('order', 9)).toEqual({ ...version(9), model: 'order' });
    expect(await r.getVersion('order', 3)).toBeUndefined();
    expect(await r.latestVersion('empty')).toBeUndefined();
  });

  test('rejects registering an existing version and keeps the original', async () => {
    const r = repo();
    await r.registerVersion('dup', version(1));
    await expect(r.registerVersion('dup', version(1, { artifactUri: 's3://other' }))).rejects.toThrow(
      VersionExistsError,
    );
    expect((await r.getVersion('dup', 1))?.artifactUri).toBe(version(1).artifactUri);
  });

  test('rejects concurrent registrations of one version: exactly one wins', async () => {
    const r = repo();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        r.registerVersion('race', version(1, { trainingJobName: `j${i}` })),
      ),
    );
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    expect(rejected.every((x) => x.reason instanceof VersionExistsError)).toBe(true);
  });

  test.each([
    ['version 0', version(0)],
    ['a fractional version', version(1.5)],
    ['a non-finite evaluation metric', version(1, { evaluation: { auc: Number.NaN } })],
    ['an empty artifact', version(1, { artifactUri: '' })],
  ])('rejects registering %s', async (_name, record) => {
    await expect(repo().registerVersion('bad', record)).rejects.toSatisfy(
      (e) => e instanceof InvalidRecordError || e instanceof InvalidKeyPartError,
    );
  });

  test('sets the first champion, promotes with the expected current and keeps the rollback target', async () => {
    const r = repo();
    await r.registerVersion('champ', version(1));
    await r.registerVersion('champ', version(2));
    expect(await r.getChampion('champ')).toBeUndefined();

    const first = await r.setChampion('champ', 1, null, new Date('2026-11-23T10:00:00Z'));
    expect(first).toEqual({
      model: 'champ',
      version: 1,
      since: '2026-11-23T10:00:00.000Z',
      previousVersion: null,
    });
    await r.setChampion('champ', 2, 1, new Date('2026-11-24T10:00:00Z'));
    expect(await r.getChampion('champ')).toMatchObject({ version: 2, previousVersion: 1 });
    // rollback is a promotion back to previousVersion
    await r.setChampion('champ', 1, 2);
    expect(await r.getChampion('champ')).toMatchObject({ version: 1, previousVersion: 2 });
  });

  test('rejects a promotion based on a stale champion with StaleChampionError naming the actual one', async () => {
    const r = repo();
    for (const n of [1, 2, 3]) await r.registerVersion('stale', version(n));
    await r.setChampion('stale', 1, null);
    await r.setChampion('stale', 2, 1);
    const error = await r.setChampion('stale', 3, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StaleChampionError);
    expect(error).toMatchObject({ expected: 1, actual: 2 });
    await expect(r.setChampion('stale', 3, null)).rejects.toThrow(StaleChampionError);
    expect((await r.getChampion('stale'))?.version).toBe(2);
  });

  test('concurrent promotions from the same champion: exactly one wins', async () => {
    const r = repo();
    for (const n of [1, 2, 3, 4, 5]) await r.registerVersion('promo-race', version(n));
    await r.setChampion('promo-race', 1, null);
    const results = await Promise.allSettled([2, 3, 4, 5].map((n) => r.setChampion('promo-race', n, 1)));
    const won = results.filter((x) => x.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(
      results.filter((x) => x.status === 'rejected').every((x) => x.reason instanceof StaleChampionError),
    ).toBe(true);
  });

  test('a retried promotion that already took effect succeeds without losing the rollback target', async () => {
    const r = repo();
    await r.registerVersion('retry', version(1));
    await r.registerVersion('retry', version(2));
    await r.setChampion('retry', 1, null);
    await r.setChampion('retry', 2, 1);
    expect(await r.setChampion('retry', 2, 1)).toMatchObject({ version: 2, previousVersion: 1 });
    expect(await r.setChampion('retry', 2, 2)).toMatchObject({ version: 2, previousVersion: 1 });
  });

  test('rejects promoting an unregistered version', async () => {
    await expect(repo().setChampion('ghost', 7, null)).rejects.toThrow(VersionNotFoundError);
    expect(await repo().getChampion('ghost')).toBeUndefined();
  });
});
