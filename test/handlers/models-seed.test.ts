import { ListRolesCommand } from '@aws-sdk/client-iam';
import { describe, expect, test } from 'vitest';
import { makeS3ObjectStore } from '../../functions/adapters/s3/s3-object-store.ts';
import { InvalidEventError } from '../../functions/handler-kit/invalid-event-error.ts';
import { makeModelsSeedHandler } from '../../functions/models-seed/models-seed.ts';
import { ConfigError } from '../../functions/shared/config/config-error.ts';
import type { ModelConfigInput } from '../../functions/shared/config/model-schema.ts';
import { modelRoleNames } from '../../functions/shared/model-roles.ts';
import { useModelAdminWorld } from '../support/model-admin-world.ts';
import { modelInput } from '../support/model-fixtures.ts';
import { useS3rver } from '../support/s3rver.ts';
import { recordingLogger } from './support/fakes.ts';

const ASSETS = 'cdk-assets-bucket';
const STACK_ID =
  'arn:aws:cloudformation:us-east-1:123456789012:stack/ModelCare/5b6c1f20-9c4e-11ef-8e7a-0a1b2c3d4e5f';
const SEEDER = 'cloudformation:ModelCare';
const ALICE = 'arn:aws:iam::123456789012:user/alice';

const world = useModelAdminWorld();
const s3 = useS3rver([ASSETS]);
let assets = 0;

/** writes the models file as an asset under a new key, as a changed file gets a new asset hash */
const asset = async (models: unknown[]): Promise<{ ConfigBucket: string; ConfigKey: string }> => {
  const key = `models-${++assets}.json`;
  await makeS3ObjectStore(ASSETS, s3.current.client).put(key, JSON.stringify({ models }), 'application/json');
  return { ConfigBucket: ASSETS, ConfigKey: key };
};

const seeder = () => {
  const logger = recordingLogger();
  const handler = makeModelsSeedHandler({
    admin: world.admin(),
    storeFor: (bucket) => makeS3ObjectStore(bucket, s3.current.client),
    logger,
  });
  return Object.assign(handler, { logger });
};

/** one deploy: Create the first time, Update with the previous file after */
const deploys = () => {
  let previous: { ConfigBucket: string; ConfigKey: string } | undefined;
  return async (models: unknown[]) => {
    const properties = await asset(models);
    const event = previous
      ? {
          RequestType: 'Update',
          StackId: STACK_ID,
          PhysicalResourceId: 'model-care-models-ModelCare',
          ResourceProperties: { ServiceToken: 'arn:x', ...properties },
          OldResourceProperties: { ServiceToken: 'arn:x', ...previous },
        }
      : {
          RequestType: 'Create',
          StackId: STACK_ID,
          ResourceProperties: { ServiceToken: 'arn:x', ...properties },
        };
    previous = properties;
    return seeder()(event);
  };
};

const changed = (name: string, threshold: number, extra: Partial<ModelConfigInput> = {}) =>
  modelInput(name, { thresholds: { comparisonThreshold: threshold }, ...extra });
const active = async () => (await world.store().list()).map((m) => `${m.name}@${m.version}`).sort();

describe('models seed (CloudFormation custom resource)', () => {
  test('Create puts every model of the file as cloudformation:<stack>, marked as from the config file', async () => {
    const deploy = deploys();

    const result = await deploy([
      modelInput('churn', { alerts: { warning: { emails: ['alice@example.com'] } } }),
      modelInput('fraud'),
    ]);

    expect(result).toEqual({
      PhysicalResourceId: 'model-care-models-ModelCare',
      Data: { created: 2, updated: 0, unchanged: 0, keptApiVersion: 0, removed: 0 },
    });
    const churn = await world.store().get('churn');
    expect(churn.record).toMatchObject({ principal: SEEDER, source: 'config-file', reason: 'cdk deploy' });
    expect(churn.current).toMatchObject({ source: 'config-file', appliedVersion: 1 });
    const roles = (await world.iam().send(new ListRolesCommand({}))).Roles?.map((r) => r.RoleName).sort();
    expect(roles).toEqual(
      [
        modelRoleNames(world.settings(), 'churn').access,
        modelRoleNames(world.settings(), 'fraud').access,
      ].sort(),
    );
  });

  test('an unchanged file is a no-op; a changed, an added and a dropped model are put, created and removed', async () => {
    const deploy = deploys();
    await deploy([modelInput('churn'), modelInput('fraud'), modelInput('spam')]);

    const same = await deploy([modelInput('churn'), modelInput('fraud'), modelInput('spam')]);
    expect(same.Data).toMatchObject({ unchanged: 3, created: 0, updated: 0, removed: 0 });
    expect(await active()).toEqual(['churn@1', 'fraud@1', 'spam@1']);

    const next = await deploy([changed('churn', 0.3), modelInput('spam'), modelInput('leads')]);

    expect(next.Data).toMatchObject({ updated: 1, created: 1, unchanged: 1, removed: 1 });
    expect(await active()).toEqual(['churn@2', 'leads@1', 'spam@1']);
    const history = await world.store().history('fraud');
    expect(history.map((h) => [h.change, h.principal, h.reason])).toEqual([
      ['put', SEEDER, 'cdk deploy'],
      ['remove', SEEDER, 'removed from the config file'],
    ]);
  });

  test('never removes a model created through the API, nor undoes an API edit the file did not touch', async () => {
    const deploy = deploys();
    await deploy([modelInput('churn')]);
    const admin = world.admin();
    await admin.put({ input: modelInput('adhoc'), source: 'body', principal: ALICE });
    await admin.put({ input: changed('churn', 0.4), source: 'body', principal: ALICE, expectedVersion: 1 });

    const kept = await deploy([modelInput('churn')]);

    expect(kept.Data).toMatchObject({ keptApiVersion: 1, removed: 0 });
    expect(await active()).toEqual(['adhoc@1', 'churn@2']);
    expect((await world.store().get('churn')).record.principal).toBe(ALICE);

    const fileWins = await deploy([changed('churn', 0.5)]);

    expect(fileWins.Data).toMatchObject({ updated: 1, removed: 0 });
    expect((await world.store().get('churn')).record).toMatchObject({ version: 3, principal: SEEDER });
    expect(await active()).toEqual(['adhoc@1', 'churn@3']);
  });

  test('a seeded model removed through the API stays removed until its entry in the file changes', async () => {
    const deploy = deploys();
    await deploy([modelInput('churn')]);
    await world.admin().remove({ name: 'churn', expectedVersion: 1, principal: ALICE });

    expect((await deploy([modelInput('churn')])).Data).toMatchObject({ keptApiVersion: 1 });
    expect(await active()).toEqual([]);

    expect((await deploy([changed('churn', 0.2)])).Data).toMatchObject({ created: 1 });
    expect((await world.store().get('churn')).record).toMatchObject({ version: 3, change: 'recreate' });
  });

  test.each<[string, unknown[], RegExp]>([
    [
      'an invalid model',
      [modelInput('churn'), { ...modelInput('fraud'), features: [{ name: 'x', type: 'ordinal' }] }],
      /^s3:\/\/cdk-assets-bucket\/models-\d+\.json: models\[1\]: features\[0\]\.type: "ordinal" is invalid/,
    ],
    [
      'two models on one capture prefix',
      [modelInput('churn'), modelInput('twin', { capture: { endpointName: 'churn-endpoint' } })],
      /models\[1\]\.capture: model "twin" would read capture\/churn-endpoint\/AllTraffic\/, which overlaps model "churn"/,
    ],
  ])('fails the deploy on %s in one line, putting none of the models', async (_, models, message) => {
    const error = await deploys()(models).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect(await world.store().list({ includeRemoved: true })).toEqual([]);
  });

  test('Delete removes nothing: models are data', async () => {
    const deploy = deploys();
    await deploy([modelInput('churn')]);
    const seed = seeder();

    const result = await seed({
      RequestType: 'Delete',
      StackId: STACK_ID,
      PhysicalResourceId: 'model-care-models-ModelCare',
      ResourceProperties: await asset([modelInput('churn')]),
    });

    expect(result).toEqual({ PhysicalResourceId: 'model-care-models-ModelCare' });
    expect(await active()).toEqual(['churn@1']);
    expect(seed.logger.lines.map((l) => l.message)).toContain(
      'models seed deleted: models are data and stay (remove them with model-care models remove)',
    );
  });

  test('fails on a malformed event, naming the field', async () => {
    const error = await seeder()({ RequestType: 'Create', StackId: 'ModelCare' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toMatch(/^event\.StackId: /);
  });
});
