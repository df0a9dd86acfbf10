import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  CreatePolicyCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { makeDynamoModelStore } from '../../functions/adapters/dynamodb/dynamodb-model-store.ts';
import { makeS3ObjectStore } from '../../functions/adapters/s3/s3-object-store.ts';
import { ENVIRONMENT } from '../../functions/shared/environment.ts';
import { modelRoleNames } from '../../functions/shared/model-roles.ts';
import { type S3Emulator, startS3Emulator } from '../../local/emulators.ts';
import { resolveIntrinsics } from '../../local/step-functions/resolve-state-machine.ts';
import { synthConfig } from '../lib/support/synth-stack.ts';
import { logicalIdOf } from '../lib/support/template-queries.ts';
import { type DynamoEmulator, startTestDynamo } from '../support/dynalite.ts';
import { MOTO_ACCOUNT } from '../support/moto-server.ts';
import { useMotoServer } from '../support/use-moto-server.ts';

/**
 * The seed Lambda's entry point (functions/models-seed/handler.ts, module-scope clients and all) loaded with
 * exactly the environment the template gives it, its SDK clients pointed at the emulators by the SDK's own
 * endpoint variables: DynamoDB on dynalite, S3 on s3rver, IAM and SNS on moto. The template's custom resource
 * properties name the models asset, which is where CDK would upload it.
 */
const { stack, json } = synthConfig('config/three-models.json');
const care = stack.care;
const resolved = (value: unknown): unknown => resolveIntrinsics(value, json);
const moto = useMotoServer();
let dynamo: DynamoEmulator;
let s3: S3Emulator;
const saved = { ...process.env };

const seedVariables = (): Record<string, string> => {
  const variables = (
    json.Resources[logicalIdOf(care.modelsSeed.handler.function)]!.Properties!.Environment as {
      Variables: Record<string, unknown>;
    }
  ).Variables;
  return Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(resolved(v))]));
};
const properties = resolved(json.Resources[logicalIdOf(care.modelsSeed.resource)]!.Properties) as {
  ConfigBucket: string;
  ConfigKey: string;
};
const variables = seedVariables();

beforeAll(async () => {
  dynamo = await startTestDynamo([
    { name: variables[ENVIRONMENT.modelsTable.key]! },
    // the seed records every config it puts in the audit trail
    { name: variables[ENVIRONMENT.auditTable.key]! },
  ]);
  s3 = await startS3Emulator({ buckets: [properties.ConfigBucket] });
  await makeS3ObjectStore(properties.ConfigBucket, s3.client).put(
    properties.ConfigKey,
    readFileSync(care.modelsSeed.modelsFile, 'utf8'),
    'application/json',
  );
  // what the stack creates beside the function: the boundary policy and the three topics, named as resolved
  const iam = new IAMClient(moto.current.clientConfig);
  const boundary = resolved({ Ref: logicalIdOf(care.adminApi.boundary.policy) }) as string;
  await iam.send(
    new CreatePolicyCommand({
      PolicyName: boundary.split('/').pop()!,
      Path: care.adminApi.boundary.rolePath,
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
      }),
    }),
  );
  // and the training-data policy every training role gets attached
  const trainingPolicy = resolved({ Ref: logicalIdOf(care.adminApi.trainingDataPolicy) }) as string;
  await iam.send(
    new CreatePolicyCommand({
      PolicyName: trainingPolicy.split('/').pop()!,
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
      }),
    }),
  );
  const sns = new SNSClient(moto.current.clientConfig);
  for (const topic of Object.values(care.alerting.topics)) {
    await sns.send(new CreateTopicCommand({ Name: logicalIdOf(topic) }));
  }
}, 120_000);
afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await s3?.stop();
  await dynamo?.stop();
});

describe('models seed entry point with the template environment', () => {
  test('seeds every model of the config file: stored, with roles under the stack path and subscriptions', async () => {
    // Prepare: the Lambda's environment, and the SDK's endpoint variables instead of AWS
    Object.assign(process.env, variables, {
      AWS_REGION: 'us-east-1',
      // s3rver checks signatures against these; dynalite and moto take any
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_IAM: moto.current.endpoint,
      AWS_ENDPOINT_URL_SNS: moto.current.endpoint,
    });
    vi.resetModules();
    const { handler } = (await import(pathToFileURL('functions/models-seed/handler.ts').href)) as {
      handler: (event: unknown) => Promise<{ PhysicalResourceId: string; Data?: Record<string, number> }>;
    };

    // Act: CloudFormation's Create, as the Provider framework relays it
    const result = await handler({
      RequestType: 'Create',
      StackId: `arn:aws:cloudformation:us-east-1:${MOTO_ACCOUNT}:stack/${stack.stackName}/1a2b3c`,
      RequestId: 'r-1',
      LogicalResourceId: logicalIdOf(care.modelsSeed.resource),
      ResourceType: 'Custom::ModelCareModelsSeed',
      ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:x', ...properties },
    });

    // Assess: every model stored as the deploy's, roles created with the boundary, model recipients subscribed
    const names = care.config.models.map((m) => m.name);
    expect(result.Data).toMatchObject({ created: names.length, updated: 0, removed: 0 });
    const stored = await makeDynamoModelStore(
      variables[ENVIRONMENT.modelsTable.key]!,
      dynamo.documentClient,
    ).list({
      includeRemoved: true,
    });
    expect(stored.map((m) => [m.name, m.version, m.source, m.updatedBy]).sort()).toEqual(
      names.map((name) => [name, 1, 'config-file', `cloudformation:${stack.stackName}`]).sort(),
    );
    const iam = new IAMClient(moto.current.clientConfig);
    const roleNames = modelRoleNames({ stackName: stack.stackName, region: 'us-east-1' }, 'churn');
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: roleNames.training }));
    expect(Role?.Path).toBe(care.adminApi.boundary.rolePath);
    expect(Role?.PermissionsBoundary?.PermissionsBoundaryArn).toBe(
      resolved({ Ref: logicalIdOf(care.adminApi.boundary.policy) }),
    );
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleNames.training }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([
      resolved({ Ref: logicalIdOf(care.adminApi.trainingDataPolicy) }),
    ]);
    const sns = new SNSClient(moto.current.clientConfig);
    const critical = await sns.send(
      new ListSubscriptionsByTopicCommand({
        TopicArn: resolved({ Ref: logicalIdOf(care.alerting.topics.critical) }) as string,
      }),
    );
    expect(critical.Subscriptions?.map((s) => `${s.Protocol}:${s.Endpoint}`)).toContain('sms:+15555550199');
  });
});
