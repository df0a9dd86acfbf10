import {
  CreatePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { beforeEach, describe, expect, test } from 'vitest';
import { INLINE_POLICY_NAME, makeIamModelRoles } from '../../functions/adapters/iam/iam-model-roles.ts';
import { accessPolicy, trainingPolicy } from '../../functions/adapters/iam/model-role-policies.ts';
import { ModelRoleConflictError } from '../../functions/adapters/model-roles.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import {
  type ModelRoleSettings,
  modelRoleSettingsSchema,
} from '../../functions/shared/model-role-settings.ts';
import { modelRoleNames } from '../../functions/shared/model-roles.ts';
import { model, retraining } from '../support/model-fixtures.ts';
import { MOTO_ACCOUNT } from '../support/moto-server.ts';
import { useMotoServer } from '../support/use-moto-server.ts';

const moto = useMotoServer();
const iam = () => new IAMClient(moto.current.clientConfig);
const ARN = (kind: string, name: string) => `arn:aws:iam::${MOTO_ACCOUNT}:${kind}/${name}`;

const settings = (overrides: Partial<Record<string, unknown>> = {}): ModelRoleSettings =>
  modelRoleSettingsSchema.parse({
    stackName: 'ModelCare',
    region: 'us-east-1',
    account: MOTO_ACCOUNT,
    permissionsBoundaryArn: ARN('policy', 'model-care-boundary'),
    trustedRoleArns: [ARN('role', 'ModelCare-DataJob'), ARN('role', 'ModelCare-Retraining')],
    accessPolicyArns: [ARN('policy', 'model-care-access-abac')],
    trainingPolicyArns: [ARN('policy', 'model-care-training-abac')],
    ...overrides,
  });
const roles = (s = settings()) => makeIamModelRoles(s, iam());
const names = (name: string) => modelRoleNames(settings(), name);

const ALLOW_ALL = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
});

/** IAM returns policy documents URL-encoded */
const decoded = (text: string | undefined): unknown => JSON.parse(decodeURIComponent(text ?? ''));

const role = async (roleName: string) => (await iam().send(new GetRoleCommand({ RoleName: roleName }))).Role;
const inline = async (roleName: string) =>
  decoded(
    (await iam().send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: INLINE_POLICY_NAME })))
      .PolicyDocument,
  );
const attached = async (roleName: string) =>
  (await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies?.map(
    (p) => p.PolicyArn,
  );
const exists = async (roleName: string) => (await role(roleName).catch(() => undefined)) !== undefined;

beforeEach(async () => {
  await moto.current.reset();
  for (const name of ['model-care-boundary', 'model-care-access-abac', 'model-care-training-abac', 'other']) {
    await iam().send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: ALLOW_ALL }));
  }
});

describe('IamModelRoles on moto', () => {
  test('creates the access and training roles under the stack path, tagged, bounded, trusted and scoped', async () => {
    const config = model('churn', { retraining: retraining('churn') });

    const arns = await roles().ensure(config);

    const { access, training, path } = names('churn');
    expect(arns).toEqual({
      accessRoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/model-care/ModelCare/${access}`,
      trainingRoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/model-care/ModelCare/${training}`,
    });
    const accessRole = await role(access);
    expect(accessRole?.Path).toBe(path);
    expect(accessRole?.Tags).toEqual([{ Key: 'model-care-model', Value: 'churn' }]);
    expect(accessRole?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(
      ARN('policy', 'model-care-boundary'),
    );
    expect(decoded(accessRole?.AssumeRolePolicyDocument)).toMatchObject({
      Statement: [{ Principal: { AWS: settings().trustedRoleArns }, Action: 'sts:AssumeRole' }],
    });
    expect(await inline(access)).toEqual(accessPolicy(config, settings()));
    expect(await attached(access)).toEqual([ARN('policy', 'model-care-access-abac')]);
    const trainingRole = await role(training);
    expect(decoded(trainingRole?.AssumeRolePolicyDocument)).toMatchObject({
      Statement: [{ Principal: { Service: 'sagemaker.amazonaws.com' } }],
    });
    expect(trainingRole?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(
      ARN('policy', 'model-care-boundary'),
    );
    expect(await inline(training)).toEqual(
      trainingPolicy(
        config as ModelConfig & { retraining: NonNullable<ModelConfig['retraining']> },
        settings(),
      ),
    );
    expect(await attached(training)).toEqual([ARN('policy', 'model-care-training-abac')]);
  });

  test('a repeated or concurrent put converges on one set of roles', async () => {
    const config = model('churn', { retraining: retraining('churn') });

    await Promise.all([roles().ensure(config), roles().ensure(config)]);
    await roles().ensure(config);

    const listed = await iam().send(new ListRolesCommand({ PathPrefix: '/model-care/ModelCare/' }));
    expect(listed.Roles?.map((r) => r.RoleName).sort()).toEqual([
      names('churn').access,
      names('churn').training,
    ]);
    expect(await attached(names('churn').access)).toEqual([ARN('policy', 'model-care-access-abac')]);
  });

  test('follows the config: a changed dataset, new trusted roles and policies, and no training role without retraining', async () => {
    await roles().ensure(model('churn', { retraining: retraining('churn') }));
    const changed = model('churn', { baseline: { datasetUri: 's3://new-data/churn.csv' } });
    const later = settings({
      trustedRoleArns: [ARN('role', 'ModelCare-QualityJob')],
      accessPolicyArns: [ARN('policy', 'other')],
    });

    await roles(later).ensure(changed);

    const { access, training } = names('churn');
    expect(await exists(training)).toBe(false);
    expect(await inline(access)).toEqual(accessPolicy(changed, later));
    expect(decoded((await role(access))?.AssumeRolePolicyDocument)).toMatchObject({
      Statement: [{ Principal: { AWS: [ARN('role', 'ModelCare-QualityJob')] } }],
    });
    expect(await attached(access)).toEqual([ARN('policy', 'other')]);
  });

  test('remove deletes both roles with their policies, and a second remove is fine', async () => {
    await roles().ensure(model('churn', { retraining: retraining('churn') }));
    await roles().ensure(model('other'));

    await roles().remove('churn');
    await roles().remove('churn');

    expect(await exists(names('churn').access)).toBe(false);
    expect(await exists(names('churn').training)).toBe(false);
    expect(await exists(names('other').access)).toBe(true);
  });

  test.each([
    ['without the model tag', { Path: '/model-care/ModelCare/' }],
    ['outside the stack path', { Path: '/', Tags: [{ Key: 'model-care-model', Value: 'churn' }] }],
    [
      'tagged for another model',
      { Path: '/model-care/ModelCare/', Tags: [{ Key: 'model-care-model', Value: 'x' }] },
    ],
  ])('rejects to touch a role of the same name %s, on put and on remove', async (_, shape) => {
    const { access } = names('churn');
    await iam().send(
      new CreateRoleCommand({
        RoleName: access,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
        ...shape,
      }),
    );

    await expect(roles().ensure(model('churn'))).rejects.toThrow(ModelRoleConflictError);
    await expect(roles().remove('churn')).rejects.toThrow(/is not model-care's/);

    expect(await exists(access)).toBe(true);
    await expect(inline(access)).rejects.toThrow();
  });
});
