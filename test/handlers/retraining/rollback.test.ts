import {
  DescribeEndpointCommand,
  type EndpointStatus,
  SageMakerClient,
  SageMakerServiceException,
  UpdateEndpointCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, test } from 'vitest';
import { makeDynamoRegistryRepository } from '../../../functions/adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeDynamoVersionLedger } from '../../../functions/adapters/dynamodb/dynamodb-version-ledger.ts';
import { EndpointBusyError } from '../../../functions/adapters/errors.ts';
import { makeSageMakerEndpointControl } from '../../../functions/adapters/sagemaker/sagemaker-endpoint-control.ts';
import { makeRollbackHandler } from '../../../functions/retraining/rollback/rollback.ts';
import type { RollbackInput } from '../../../functions/shared/retraining-contract.ts';
import { useDynalite } from '../../support/dynalite.ts';
import { recordingLogger } from './support/silent-logger.ts';
import { execution, stepModel } from './support/step-fixtures.ts';

const REGISTRY = 'rollback-registry';
const dynalite = useDynalite([{ name: REGISTRY }]);
const sagemaker = mockClient(SageMakerClient);

beforeEach(() => sagemaker.reset());

const deps = () => ({
  registry: makeDynamoRegistryRepository(REGISTRY, dynalite.current.documentClient),
  ledger: makeDynamoVersionLedger(REGISTRY, dynalite.current.documentClient),
});

const rollback = (input: Partial<RollbackInput> & { model: RollbackInput['model'] }, sleeps: number[] = []) =>
  makeRollbackHandler({
    ...deps(),
    endpoints: makeSageMakerEndpointControl(new SageMakerClient({})),
    now: () => new Date('2026-11-23T10:00:00Z'),
    logger: recordingLogger(),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    busyPollMs: 100,
    busyPolls: 3,
  })({
    execution: execution(),
    failure: { Error: 'States.TaskFailed', Cause: 'boom' },
    current: null,
    data: null,
    version: null,
    outcome: null,
    ...input,
  });

const endpoint = (config: string, status: EndpointStatus = 'InService') => ({
  EndpointName: 'churn-ep',
  EndpointArn: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn-ep',
  EndpointConfigName: config,
  EndpointStatus: status,
  CreationTime: new Date(),
  LastModifiedTime: new Date(),
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
  test('switches the endpoint back to its old config and restores the previous champion', async () => {
    await promoted('rb-a');
    sagemaker.on(DescribeEndpointCommand).resolves(endpoint('rb-a-20261123080000-ab12'));
    sagemaker.on(UpdateEndpointCommand).resolves({});

    const result = await rollback({
      model: stepModel({ name: 'rb-a' }),
      current: { endpointConfigName: 'rb-a-v1', endpointStatus: 'InService' },
      version: { version: 2, registeredAt: '2026-11-23T09:00:00Z' },
      outcome: { version: 2, status: 'champion', championVersion: 2 },
    });

    expect(result).toEqual({
      rolledBack: true,
      endpointConfigName: 'rb-a-v1',
      detail:
        'endpoint churn-ep switched back from rb-a-20261123080000-ab12 to rb-a-v1; champion back to version 1 from 2; ' +
        'version 2 marked rolled-back',
    });
    expect(sagemaker.commandCalls(UpdateEndpointCommand)[0]?.args[0].input).toMatchObject({
      EndpointName: 'churn-ep',
      EndpointConfigName: 'rb-a-v1',
    });
    expect(await deps().registry.getChampion('rb-a')).toMatchObject({ version: 1 });
    expect(await deps().ledger.get('rb-a', 2)).toMatchObject({
      status: 'rolled-back',
      history: expect.arrayContaining([expect.objectContaining({ detail: 'States.TaskFailed: boom' })]),
    });
  });

  test('changes nothing when the failure came before anything was changed', async () => {
    sagemaker.on(DescribeEndpointCommand).resolves(endpoint('rb-b-v1'));
    const early = await rollback({ model: stepModel({ name: 'rb-b' }) });
    expect(early).toEqual({
      rolledBack: false,
      endpointConfigName: null,
      detail: 'endpoint churn-ep untouched (failed before it was described)',
    });
    const afterTraining = await rollback({
      model: stepModel({ name: 'rb-b' }),
      current: { endpointConfigName: 'rb-b-v1', endpointStatus: 'InService' },
    });
    expect(afterTraining).toEqual({
      rolledBack: false,
      endpointConfigName: 'rb-b-v1',
      detail: 'endpoint churn-ep still serves rb-b-v1',
    });
    expect(sagemaker.commandCalls(UpdateEndpointCommand)).toHaveLength(0);
  });

  test('waits out an update still in flight before switching back', async () => {
    sagemaker
      .on(DescribeEndpointCommand)
      .resolvesOnce(endpoint('rb-c-new', 'Updating'))
      .resolvesOnce(endpoint('rb-c-new', 'Updating'))
      .resolves(endpoint('rb-c-new'));
    sagemaker.on(UpdateEndpointCommand).resolves({});
    const sleeps: number[] = [];
    const result = await rollback(
      {
        model: stepModel({ name: 'rb-c' }),
        current: { endpointConfigName: 'rb-c-v1', endpointStatus: 'InService' },
      },
      sleeps,
    );
    expect(sleeps).toEqual([100, 100]);
    expect(result.rolledBack).toBe(true);
  });

  test('fails while the endpoint stays busy, so the alert says rollback did not finish', async () => {
    sagemaker.on(DescribeEndpointCommand).resolves(endpoint('rb-d-new', 'Updating'));
    await expect(
      rollback({
        model: stepModel({ name: 'rb-d' }),
        current: { endpointConfigName: 'rb-d-v1', endpointStatus: 'InService' },
      }),
    ).rejects.toThrow(EndpointBusyError);
  });

  test('fails when SageMaker refuses the switch back', async () => {
    sagemaker.on(DescribeEndpointCommand).resolves(endpoint('rb-e-new'));
    sagemaker.on(UpdateEndpointCommand).rejects(
      new SageMakerServiceException({
        name: 'ValidationException',
        $fault: 'client',
        message: 'Could not find endpoint configuration "rb-e-v1".',
        $metadata: {},
      }),
    );
    await expect(
      rollback({
        model: stepModel({ name: 'rb-e' }),
        current: { endpointConfigName: 'rb-e-v1', endpointStatus: 'InService' },
      }),
    ).rejects.toThrow(/not found/);
  });
});
