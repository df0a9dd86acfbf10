import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ENVIRONMENT, readEnvironment } from '../../functions/shared/environment.ts';
import { modelRolePath } from '../../functions/shared/model-roles.ts';
import { TABLES } from '../../functions/shared/tables.ts';
import { resolveIntrinsics } from '../../local/step-functions/resolve-state-machine.ts';
import { synthConfig } from './support/synth-stack.ts';
import { logicalIdOf, type Statement, statementsOf } from './support/template-queries.ts';

const { stack, template, json } = synthConfig('config/three-models.json');
const care = stack.care;
const resolved = (value: unknown): unknown => resolveIntrinsics(value, json);
const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [String(value)]);
type ConditionedStatement = Statement & { Condition?: Record<string, Record<string, unknown>> };

const boundaryArn = resolved({ Ref: logicalIdOf(care.adminApi.boundary.policy) }) as string;
const rolePattern = `arn:aws:iam::123456789012:role${modelRolePath(stack.stackName)}*`;
const topicArns = Object.values(care.alerting.topics).map((topic) => resolved({ Ref: logicalIdOf(topic) }));
const variablesOf = (fn: Parameters<typeof logicalIdOf>[0]): Record<string, string> =>
  Object.fromEntries(
    Object.entries(
      (json.Resources[logicalIdOf(fn)]!.Properties!.Environment as { Variables: Record<string, unknown> })
        .Variables,
    ).map(([key, value]) => [key, String(resolved(value))]),
  );

describe('models table', () => {
  test('is encrypted with the stack key and has point-in-time recovery, keyed pk/sk without TTL', () => {
    const table = json.Resources[logicalIdOf(care.tables.tables.models)]!.Properties!;
    expect(table.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(care.encryptionKey), 'Arn'] },
    });
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.TimeToLiveSpecification).toBeUndefined();
    expect(logicalIdOf(care.tables.tables.models)).toContain(TABLES.models.id);
  });
});

describe('admin API', () => {
  const statements = statementsOf(json, care.adminApi.handler.role) as ConditionedStatement[];
  const iamStatements = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('iam:')));

  test('is a Function URL with AWS_IAM auth, its URL a stack output', () => {
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'AWS_IAM',
      TargetFunctionArn: { 'Fn::GetAtt': [logicalIdOf(care.adminApi.handler.function), 'Arn'] },
    });
    const output = (json as unknown as { Outputs: Record<string, { Value: unknown }> }).Outputs.AdminApiUrl;
    expect(output?.Value).toEqual({ 'Fn::GetAtt': [logicalIdOf(care.adminApi.url), 'FunctionUrl'] });
  });

  test('creates roles only under the stack path and only with the stack boundary attached', () => {
    const creating = iamStatements.filter((s) => asList(s.Action).includes('iam:CreateRole'));
    expect(creating).toHaveLength(1);
    expect(asList(creating[0]!.Resource)).toEqual([rolePattern]);
    expect(creating[0]!.Condition).toEqual({ StringEquals: { 'iam:PermissionsBoundary': boundaryArn } });
    // the boundary can be set only to itself, never removed
    expect(asList(creating[0]!.Action)).toContain('iam:PutRolePermissionsBoundary');
    expect(iamStatements.flatMap((s) => asList(s.Action))).not.toContain('iam:DeleteRolePermissionsBoundary');
  });

  test('every IAM action it has is on the stack path: no policy creation, no PassRole, no other roles', () => {
    expect(iamStatements.length).toBeGreaterThan(0);
    for (const s of iamStatements) expect(asList(s.Resource)).toEqual([rolePattern]);
    const actions = iamStatements.flatMap((s) => asList(s.Action));
    for (const forbidden of ['iam:PassRole', 'iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:*']) {
      expect(actions).not.toContain(forbidden);
    }
  });

  test('subscribes and unsubscribes only on the three severity topics', () => {
    const sns = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('sns:')));
    expect(sns.flatMap((s) => asList(s.Action)).sort()).toEqual([
      'sns:GetSubscriptionAttributes',
      'sns:ListSubscriptionsByTopic',
      'sns:SetSubscriptionAttributes',
      'sns:Subscribe',
      'sns:Unsubscribe',
    ]);
    expect(sns.flatMap((s) => asList(s.Resource)).sort()).toEqual([...topicArns].sort());
  });

  test('its environment names the table, the topics and the role settings with the boundary and trusted roles', () => {
    const env = readEnvironment(
      ['modelsTable', 'modelRoles', 'infoTopicArn', 'warningTopicArn', 'criticalTopicArn'],
      variablesOf(care.adminApi.handler.function),
    );
    expect(env.modelsTable).toBe(resolved({ Ref: logicalIdOf(care.tables.tables.models) }));
    expect(env.modelRoles).toMatchObject({
      stackName: stack.stackName,
      permissionsBoundaryArn: boundaryArn,
      trustedRoleArns: expect.arrayContaining([
        resolved({ 'Fn::GetAtt': [logicalIdOf(care.jobs.functions.data.role), 'Arn'] }),
      ]),
    });
    expect([env.infoTopicArn, env.warningTopicArn, env.criticalTopicArn].sort()).toEqual(
      [...topicArns].sort(),
    );
  });
});

describe('permissions boundary of the model roles', () => {
  const document = resolved(
    json.Resources[logicalIdOf(care.adminApi.boundary.policy)]!.Properties!.PolicyDocument,
  ) as { Statement: ConditionedStatement[] };

  test('allows no IAM action but PassRole of the stack roles to SageMaker, and no STS', () => {
    const actions = document.Statement.flatMap((s) => asList(s.Action));
    expect(actions.filter((a) => a.startsWith('iam:'))).toEqual(['iam:PassRole']);
    expect(actions.filter((a) => a.startsWith('sts:') || a.endsWith(':*') || a === '*')).toEqual([]);
    const pass = document.Statement.find((s) => asList(s.Action).includes('iam:PassRole'))!;
    expect(asList(pass.Resource)).toEqual([rolePattern]);
    expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } });
  });

  test('lives under the stack path', () => {
    expect(json.Resources[logicalIdOf(care.adminApi.boundary.policy)]!.Properties!.Path).toBe(
      modelRolePath(stack.stackName),
    );
  });
});

describe('models seed', () => {
  test('the custom resource names the models asset; the template carries no config', () => {
    const [resource, ...others] = Object.values(template.findResources('Custom::ModelCareModelsSeed'));
    expect(others).toEqual([]);
    const properties = resource!.Properties as Record<string, unknown>;
    expect(Object.keys(properties).sort()).toEqual(['ConfigBucket', 'ConfigKey', 'ServiceToken']);
    expect(resolved(properties.ConfigKey)).toMatch(/^[0-9a-f]{64}\.json$/);
    // the asset holds the config's models, defaults resolved
    const file = JSON.parse(readFileSync(care.modelsSeed.modelsFile, 'utf8')) as {
      models: { name: string }[];
    };
    expect(file.models.map((m) => m.name)).toEqual(care.config.models.map((m) => m.name));
    expect(JSON.stringify(resource)).not.toContain(care.config.models[0]!.name);
  });

  test('the seed function writes as the admin API does: same table, role settings and topics', () => {
    const seed = variablesOf(care.modelsSeed.handler.function);
    const admin = variablesOf(care.adminApi.handler.function);
    for (const name of ['modelsTable', 'modelRoles', 'infoTopicArn', 'criticalTopicArn'] as const) {
      const key = ENVIRONMENT[name].key;
      expect(seed[key], key).toBe(admin[key]);
    }
    const creating = (statementsOf(json, care.modelsSeed.handler.role) as ConditionedStatement[]).find((s) =>
      asList(s.Action).includes('iam:CreateRole'),
    );
    expect(creating?.Condition).toEqual({ StringEquals: { 'iam:PermissionsBoundary': boundaryArn } });
  });
});

describe('training roles', () => {
  // SageMaker trains with the model's training role (created as data at `models put`): without this policy it
  // could neither read its prepared channels nor write its artifacts under training/<model>/
  const policyArn = resolved({ Ref: logicalIdOf(care.adminApi.trainingDataPolicy) }) as string;
  const statements = (
    json.Resources[logicalIdOf(care.adminApi.trainingDataPolicy)]!.Properties!.PolicyDocument as {
      Statement: ConditionedStatement[];
    }
  ).Statement.map((statement) => resolved(statement) as ConditionedStatement);
  const bucketArn = String(resolved({ 'Fn::GetAtt': [logicalIdOf(care.store.bucket), 'Arn'] }));

  test('get the training-data policy attached, and the admin function may attach no other', () => {
    const env = readEnvironment(['modelRoles'], variablesOf(care.adminApi.handler.function));
    expect(env.modelRoles.trainingPolicyArns).toEqual([policyArn]);
    const attaching = (statementsOf(json, care.adminApi.handler.role) as ConditionedStatement[]).filter((s) =>
      asList(s.Action).includes('iam:AttachRolePolicy'),
    );
    expect(attaching).toHaveLength(1);
    expect(attaching[0]!.Condition).toEqual({ ArnEquals: { 'iam:PolicyARN': policyArn } });
  });

  test("reach only their own model's training/ prefix of the stack bucket, by the role's model tag", () => {
    const objects = statements.find((s) => s.Sid === 'OwnTrainingObjects')!;
    expect(asList(objects.Resource)).toEqual([
      `${bucketArn}/training/\${aws:PrincipalTag/model-care-model}/*`,
    ]);
    expect(asList(objects.Action).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    const listing = statements.find((s) => s.Sid === 'ListOwnTrainingPrefix')!;
    expect(listing.Condition).toEqual({
      StringLike: { 's3:prefix': [`training/\${aws:PrincipalTag/model-care-model}/*`] },
    });
    const resources = statements.flatMap((s) => asList(s.Resource));
    expect(
      resources.filter((r) => r.startsWith(bucketArn) && !r.includes('/training/') && r !== bucketArn),
    ).toEqual([]);
  });
});
