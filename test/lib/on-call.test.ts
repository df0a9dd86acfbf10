import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, test } from 'vitest';
import { ConfigError } from '../../functions/shared/config/config-error.ts';
import type { ModelCareConfigInput } from '../../functions/shared/config/model-care-schema.ts';
import { parseModelCareConfig } from '../../functions/shared/config/parse-config.ts';
import { ENVIRONMENT } from '../../functions/shared/environment.ts';
import type { PagingRoute } from '../../functions/shared/paging-routes.ts';
import { resolveIntrinsics } from '../../local/step-functions/resolve-state-machine.ts';
import { modelInput } from '../support/model-fixtures.ts';
import { findCfnLint } from '../support/python-tools.ts';
import { synthConfig } from './support/synth-stack.ts';
import { logicalIdOf, statementsOf } from './support/template-queries.ts';

const FIXTURE = 'test/lib/fixtures/on-call.json';
const { stack, template, json } = synthConfig(FIXTURE);
const care = stack.care;
const resolved = (value: unknown): unknown => resolveIntrinsics(value, json);
const topicRef = (severity: 'info' | 'warning' | 'critical') => ({
  Ref: logicalIdOf(care.alerting.topics[severity]),
});
const resourcesOfType = (type: string) => Object.values(json.Resources).filter((r) => r.Type === type);

describe('chat through AWS Chatbot', () => {
  test('a Slack channel listed for two severities is one configuration on both topics', () => {
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SlackWorkspaceId: 'T0123ABCD',
      SlackChannelId: 'C0123ML',
      SnsTopicArns: [topicRef('warning'), topicRef('critical')],
    });
    expect(resourcesOfType('AWS::Chatbot::SlackChannelConfiguration')).toHaveLength(1);
  });

  test('a Teams channel is configured on the critical topic', () => {
    template.hasResourceProperties('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', {
      TeamId: '5f0f6c9e-0b7a-4a6e-9a34-0d5b1b5f9a11',
      TeamsTenantId: '8a1c2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      TeamsChannelId: '19%3aabc123%40thread.tacv2',
      SnsTopicArns: [topicRef('critical')],
    });
  });

  test('Chatbot may run nothing from a channel: a role without policies and a deny-all guardrail', () => {
    const [slack] = resourcesOfType('AWS::Chatbot::SlackChannelConfiguration');
    const guardrails = slack?.Properties?.GuardrailPolicies as unknown[];
    expect(guardrails).toHaveLength(1);
    const policy = Object.entries(json.Resources).find(
      ([id]) => JSON.stringify({ Ref: id }) === JSON.stringify(guardrails[0]),
    )?.[1];
    expect(policy?.Properties?.PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
    });
    const roleId = (slack!.Properties!.IamRoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const attached = resourcesOfType('AWS::IAM::Policy').filter((p) =>
      JSON.stringify(p.Properties?.Roles).includes(roleId),
    );
    expect(attached).toEqual([]);
  });
});

describe('paging through the pager notifier', () => {
  const pager = care.onCall.pagerNotifier!;

  test('is subscribed to the critical topic only', () => {
    const subscriptions = resourcesOfType('AWS::SNS::Subscription').filter(
      (s) => s.Properties?.Protocol === 'lambda',
    );
    expect(subscriptions.map((s) => s.Properties?.TopicArn)).toEqual([topicRef('critical')]);
    expect(subscriptions[0]?.Properties?.Endpoint).toEqual({
      'Fn::GetAtt': [logicalIdOf(pager.function), 'Arn'],
    });
  });

  test('knows each service with its endpoint and secret reference, never a key', () => {
    const variables = (
      json.Resources[logicalIdOf(pager.function)]!.Properties!.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    const routes = JSON.parse(String(resolved(variables[ENVIRONMENT.pagingRoutes.key]))) as PagingRoute[];
    expect(routes).toEqual([
      {
        topicArn: resolved(topicRef('critical')),
        severity: 'critical',
        targets: [
          {
            service: 'pagerduty',
            url: 'https://events.pagerduty.com/v2/enqueue',
            secretId: 'model-care/pagerduty',
          },
          {
            service: 'opsgenie',
            url: 'https://api.eu.opsgenie.com/v2/alerts',
            secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:model-care/opsgenie-AbCdEf',
          },
        ],
      },
    ]);
  });

  test('may read exactly the two secrets it names', () => {
    const reads = statementsOf(json, pager.role).filter((s) =>
      [s.Action].flat().includes('secretsmanager:GetSecretValue'),
    );
    expect(reads.flatMap((s) => [s.Resource].flat().map(String)).sort()).toEqual([
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:model-care/opsgenie-AbCdEf',
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:model-care/pagerduty-??????',
    ]);
  });

  test('has no pager notifier and no chat when the config names none', () => {
    expect(synthConfig('config/model-care.json').stack.care.onCall.pagerNotifier).toBeUndefined();
    expect(synthConfig('config/model-care.json').stack.care.onCall.slackChannels).toEqual([]);
  });
});

describe('the on-call template', () => {
  test('has no unacknowledged cdk-nag finding', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(
      report.violations.map(
        (v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      ),
    ).toEqual([]);
  });

  const workDir = mkdtempSync(join(tmpdir(), 'on-call-lint-'));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));
  test('is clean for cfn-lint (W3005 aside, as in cfn-lint.test.ts)', () => {
    const path = join(workDir, 'on-call.template.json');
    writeFileSync(path, JSON.stringify(json));
    const tool = findCfnLint();
    const result = spawnSync(
      tool.command,
      [...tool.prefixArgs, '--format', 'json', '--ignore-checks', 'W3005', '--', path],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const findings = JSON.parse(result.stdout || '[]') as { Rule: { Id: string }; Message: string }[];
    expect(findings.map((f) => `${f.Rule.Id}: ${f.Message}`)).toEqual([]);
  }, 240_000);
});

describe('on-call config', () => {
  const withOnCall = (onCall: unknown): ModelCareConfigInput =>
    ({ models: [modelInput('churn')], onCall }) as unknown as ModelCareConfigInput;
  const problem = (onCall: unknown): string => {
    try {
      parseModelCareConfig(withOnCall(onCall), 'config/x.json');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('the config was accepted');
  };

  test.each([
    [
      'a webhook URL that is not https',
      { critical: { opsgenie: [{ apiKeySecret: 'og', url: 'http://api.opsgenie.com/v2/alerts' }] } },
      'config/x.json: onCall.critical.opsgenie[0].url: "http://api.opsgenie.com/v2/alerts" is not an https:// URL',
    ],
    [
      'a missing integration key reference',
      { critical: { pagerDuty: [{}] } },
      'config/x.json: onCall.critical.pagerDuty[0].integrationKeySecret: is required (the name or ARN of the Secrets Manager secret that holds the key)',
    ],
    [
      'a key written into the config',
      { warning: { pagerDuty: [{ integrationKeySecret: '0123456789abcdef0123456789abcdef' }] } },
      'config/x.json: onCall.warning.pagerDuty[0].integrationKeySecret: looks like the key itself: store it in Secrets Manager and give the secret name or ARN here',
    ],
    [
      'a Slack channel id that is a name',
      { info: { slack: [{ workspaceId: 'T0123ABCD', channelId: '#ml-alerts' }] } },
      'config/x.json: onCall.info.slack[0].channelId: "#ml-alerts" is not a Slack channel id',
    ],
    ['a mute maximum of zero', { maxMuteHours: 0 }, 'config/x.json: onCall.maxMuteHours: 0 '],
  ])('rejects %s at synth, naming the field', (_, onCall, message) => {
    const text = problem(onCall);
    expect(text.startsWith(message)).toBe(true);
    expect(text).not.toContain('\n');
  });

  test('never repeats a key it refuses', () => {
    const key = '0123456789abcdef0123456789abcdef';
    expect(problem({ critical: { pagerDuty: [{ integrationKeySecret: key }] } })).not.toContain(key);
  });

  test('defaults: no channels, the public endpoints, a week of mute at most', () => {
    const config = parseModelCareConfig(
      withOnCall({ critical: { pagerDuty: [{ integrationKeySecret: 'pd' }] } }),
      'x',
    );
    expect(config.onCall.maxMuteHours).toBe(168);
    expect(config.onCall.critical?.pagerDuty[0]?.url).toBe('https://events.pagerduty.com/v2/enqueue');
    expect(config.onCall.critical?.slack).toEqual([]);
  });
});
