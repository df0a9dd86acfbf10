import { readFileSync } from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, test } from 'vitest';
import { ConfigError } from '../../lib/config.ts';
import { ModelCare } from '../../lib/model-care.ts';
import { testApp } from './support/synth-stack.ts';

// biome-ignore lint/suspicious/noExplicitAny: the cases below edit parts of a parsed JSON file
type Json = any;

const churn: Json = JSON.parse(readFileSync('config/model-care.json', 'utf8')).models[0];
const { retraining: _retraining, ...plain } = churn;
const SERVER = 'arn:aws:iam::111122223333:role/churn-model-server';
const OTHER = 'arn:aws:iam::111122223333:role/someone-else';

const careWith = (producers?: { records: string[] }) => {
  const stack = new Stack(testApp(), `Producers${Math.random().toString(36).slice(2, 8)}`, {
    env: { account: '111122223333', region: 'eu-west-1' },
  });
  const care = new ModelCare(stack, 'Care', { models: [{ ...plain, ...(producers ? { producers } : {}) }] });
  return { stack, care };
};

/** the statements of every policy attached to the role with logical id `roleId` */
const roleStatements = (template: Template, roleId: string): Json[] =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy: Json) => JSON.stringify(policy.Properties.Roles).includes(roleId))
    .flatMap((policy: Json) => policy.Properties.PolicyDocument.Statement);

describe('ModelCare.grantProducer', () => {
  test('grants lambda:InvokeFunctionUrl and lambda:InvokeFunction (via the URL only) on the capture API', () => {
    // Prepare
    const { stack, care } = careWith();
    const server = new iam.Role(stack, 'ModelServer', { assumedBy: new iam.AccountRootPrincipal() });

    // Act
    care.grantProducer(server, churn.name);

    // Assess
    const template = Template.fromStack(stack);
    const handler = stack.getLogicalId(care.captureApi.handler.function.node.defaultChild as never);
    const serverId = stack.getLogicalId(server.node.defaultChild as never);
    const captureApi = { 'Fn::GetAtt': [handler, 'Arn'] };
    expect(roleStatements(template, serverId)).toEqual([
      {
        Action: 'lambda:InvokeFunctionUrl',
        Effect: 'Allow',
        Resource: captureApi,
        Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' } },
      },
      {
        Action: 'lambda:InvokeFunction',
        Effect: 'Allow',
        Resource: captureApi,
        Condition: { Bool: { 'lambda:InvokedViaFunctionUrl': true } },
      },
    ]);
    // and nothing on the admin API's URL
    const admin = stack.getLogicalId(care.adminApi.handler.function.node.defaultChild as never);
    expect(JSON.stringify(roleStatements(template, serverId))).not.toContain(admin);
    template.hasResourceProperties('AWS::Lambda::Url', Match.objectLike({ AuthType: 'AWS_IAM' }));
  });

  test('grants a principal the model names in producers.records', () => {
    const { stack, care } = careWith({ records: [SERVER] });

    expect(() => care.grantProducer(iam.Role.fromRoleArn(stack, 'Server', SERVER), churn.name)).not.toThrow();

    // the imported role gets the grant as a policy attached by name
    const statements = roleStatements(Template.fromStack(stack), 'churn-model-server');
    expect(statements.map((s) => s.Action)).toEqual(['lambda:InvokeFunctionUrl', 'lambda:InvokeFunction']);
  });

  test.each<[string, () => void, string]>([
    [
      'a model it does not monitor',
      () => {
        const { stack, care } = careWith();
        care.grantProducer(new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() }), 'fraud');
      },
      `grantProducer: no model "fraud" in this ModelCare (models: ${churn.name})`,
    ],
    [
      "a principal the model's producers.records leaves out",
      () => {
        const { stack, care } = careWith({ records: [SERVER] });
        care.grantProducer(iam.Role.fromRoleArn(stack, 'Other', OTHER), churn.name);
      },
      `grantProducer: ${OTHER} is not in models[0].producers.records of "${churn.name}": add it there, or the ` +
        'capture API answers it 403',
    ],
  ])('rejects %s in one line', (_name, act, message) => {
    let error: unknown;
    try {
      act();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(message);
  });
});
