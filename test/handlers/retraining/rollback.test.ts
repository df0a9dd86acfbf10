import { describe, expect, test } from 'vitest';
import { makeDynamoRegistryRepository } from '../../../functions/adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeDynamoVersionLedger } from '../../../functions/adapters/dynamodb/dynamodb-version-ledger.ts';
import { makeRollbackHandler } from '../../../functions/retraining/rollback/rollback.ts';
import type { EndpointRestore, RollbackInput } from '../../../functions/shared/retraining-contract.ts';
import { useDynalite } from '../../support/dynalite.ts';
import { recordingLogger } from './support/silent-logger.ts';
import { execution, stepModel } from './support/step-fixtures.ts';

// The endpoint is returned by the state machine's restore loop (tested in test/lib/retraining/failure-path.test.ts
// and, end to end, in test/local/retraining-promotion.test.ts); this step restores the registry and tells the story.

const REGISTRY = 'rollback-registry';
const dynalite = useDynalite([{ name: REGISTRY }]);

const deps = () => ({
  registry: makeDynamoRegistryRepository(REGISTRY, dynalite.current.documentClient),
  ledger: makeDynamoVersionLedger(REGISTRY, dynalite.current.documentClient),
});

const rollback = (input: Partial<RollbackInput> & { model: RollbackInput['model'] }) =>
  makeRollbackHandler({
    ...deps(),
    now: () => new Date('2026-11-23T10:00:00Z'),
    logger: recordingLogger(),
  })({
    execution: execution(),
    failure: { Error: 'States.TaskFailed', Cause: 'boom' },
    endpointRestore: null,
    data: null,
    version: null,
    outcome: null,
    ...input,
  });

const restore = (outcome: EndpointRestore['outcome'], config: string, detail: string): EndpointRestore => ({
  outcome,
  requested: outcome === 'restored',
  observed: { endpointStatus: 'InService', endpointConfigName: config },
  detail,
});

/** versions 1 and 2 registered (with ledger entries), 2 promoted over 1 */
const promoted = async (model: string) => {
  const { registry, ledger } = deps();
  for (const version of [1, 2]) {
    await registry.registerVersion(model, {
      version,
      createdAt: '2026-11-01T00:00:00Z',
      artifactUri: `s3://store/v${version}`,
      evaluation: {},
    });
    await ledger.record(
      model,
      version,
      {
        trainingImage: 'i',
        hyperparameters: {},
        trainingJobArn: 'a',
        manifestUri: 's3://store/m.json',
        manifestSha256: 'c'.repeat(64),
        recordCount: 1,
        decision: 'promote',
        primaryMetric: 'aucRoc',
        improvement: null,
        summary: 's',
        comparedWith: null,
      },
      {
        status: 'registered',
        at: '2026-11-01T00:00:00Z',
        executionId: `e${version}`,
        detail: null,
        approval: null,
      },
    );
  }
  await registry.setChampion(model, 1, null);
  await registry.setChampion(model, 2, 1);
};

describe('rollback', () => {
  test('restores the previous champion and tells what the restore did to the endpoint', async () => {
    await promoted('rb-a');

    const result = await rollback({
      model: stepModel({ name: 'rb-a' }),
      endpointRestore: restore('restored', 'rb-a-x-prev', 'endpoint churn-ep switched back to rb-a-x-prev'),
      version: { version: 2, registeredAt: '2026-11-23T09:00:00Z' },
      outcome: { version: 2, status: 'champion', championVersion: 2 },
    });

    expect(result).toEqual({
      rolledBack: true,
      endpointConfigName: 'rb-a-x-prev',
      detail:
        'endpoint churn-ep switched back to rb-a-x-prev; champion back to version 1 from 2; ' +
        'version 2 marked rolled-back',
    });
    expect(await deps().registry.getChampion('rb-a')).toMatchObject({ version: 1 });
    expect(await deps().ledger.get('rb-a', 2)).toMatchObject({
      status: 'rolled-back',
      history: expect.arrayContaining([expect.objectContaining({ detail: 'States.TaskFailed: boom' })]),
    });
  });

  test('changes nothing when the failure came before anything was changed', async () => {
    const early = await rollback({ model: stepModel({ name: 'rb-b' }) });
    expect(early).toEqual({
      rolledBack: false,
      endpointConfigName: null,
      detail: 'endpoint churn-ep untouched (the execution failed before it planned a promotion)',
    });
    const unchanged = await rollback({
      model: stepModel({ name: 'rb-b' }),
      endpointRestore: restore(
        'unchanged',
        'rb-b-v1',
        'endpoint churn-ep serves rb-b-v1 as before the promotion',
      ),
    });
    expect(unchanged).toEqual({
      rolledBack: false,
      endpointConfigName: 'rb-b-v1',
      detail: 'endpoint churn-ep serves rb-b-v1 as before the promotion',
    });
  });

  test('still restores the registry when the endpoint restore escalated, and says both', async () => {
    await promoted('rb-c');
    const result = await rollback({
      model: stepModel({ name: 'rb-c' }),
      endpointRestore: {
        outcome: 'escalated',
        requested: false,
        observed: { endpointStatus: 'Updating', endpointConfigName: 'rb-c-new' },
        detail: 'endpoint churn-ep is Updating with config rb-c-new after 60 minute(s): NOT restored',
      },
      version: { version: 2, registeredAt: '2026-11-23T09:00:00Z' },
      outcome: { version: 2, status: 'champion', championVersion: 2 },
    });
    expect(result.detail).toMatch(
      /^endpoint churn-ep is Updating .*NOT restored; champion back to version 1 from 2/,
    );
    expect(await deps().registry.getChampion('rb-c')).toMatchObject({ version: 1 });
  });

  test('rejects an endpointRestore of the wrong shape, naming the field', async () => {
    await expect(
      rollback({
        model: stepModel({ name: 'rb-d' }),
        endpointRestore: { outcome: 'gone' } as unknown as EndpointRestore,
      }),
    ).rejects.toThrow(/endpointRestore/);
  });
});
