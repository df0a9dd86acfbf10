import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { CfnTemplate } from '../../local/step-functions/resolve-state-machine.ts';
import { alarmDelivery } from './support/alarm-delivery.ts';
import { synthConfig } from './support/synth-stack.ts';

const configs = readdirSync('config')
  .filter((file) => file.endsWith('.json') && !file.endsWith('.schema.json'))
  .map((file) => `config/${file}`);

// synthesizing a whole stack takes tens of seconds on the shared cores
const SYNTH_TIMEOUT_MS = 240_000;

describe.each(configs)('alarm actions of %s', (file) => {
  test(
    'every one reaches a topic whose policy and key policy admit CloudWatch for this account only',
    () => {
      const { json } = synthConfig(file);

      const delivery = alarmDelivery(json);

      expect(delivery.problems).toEqual([]);
      // the health alarms alone are dozens; a template whose alarms were not found would prove nothing
      expect(delivery.actions).toBeGreaterThan(20);
    },
    SYNTH_TIMEOUT_MS,
  );
});

describe('the delivery check itself', () => {
  const original = (): CfnTemplate =>
    structuredClone(synthConfig('config/model-care.json').json) as CfnTemplate;
  const ofType = (template: CfnTemplate, type: string) =>
    Object.entries(template.Resources).filter(([, r]) => r.Type === type);
  type Statement = { Principal?: { Service?: string }; Condition?: Record<string, unknown> };
  const statementsOf = (document: unknown): Statement[] => (document as { Statement: Statement[] }).Statement;
  const byCloudWatch = (s: Statement) => s.Principal?.Service === 'cloudwatch.amazonaws.com';

  test.each<[string, (template: CfnTemplate) => void, RegExp]>([
    [
      'a topic policy without the CloudWatch statement',
      (template) => {
        // the policy of the topic the first alarm notifies
        const [, alarm] = ofType(template, 'AWS::CloudWatch::Alarm')[0]!;
        const target = JSON.stringify((alarm.Properties!.AlarmActions as unknown[])[0]);
        const [, policy] = ofType(template, 'AWS::SNS::TopicPolicy').find(([, p]) =>
          (p.Properties!.Topics as unknown[]).some((t) => JSON.stringify(t) === target),
        )!;
        const document = policy.Properties!.PolicyDocument as { Statement: Statement[] };
        document.Statement = document.Statement.filter((s) => !byCloudWatch(s));
      },
      /AlarmActions: topic \w+'s policy does not let cloudwatch\.amazonaws\.com sns:Publish/,
    ],
    [
      'a topic policy admitting CloudWatch without aws:SourceAccount',
      (template) => {
        for (const [, policy] of ofType(template, 'AWS::SNS::TopicPolicy')) {
          for (const s of statementsOf(policy.Properties!.PolicyDocument).filter(byCloudWatch))
            delete s.Condition;
        }
      },
      /policy does not let cloudwatch\.amazonaws\.com sns:Publish under aws:SourceAccount/,
    ],
    [
      'a key policy without the CloudWatch statement',
      (template) => {
        const [, key] = ofType(template, 'AWS::KMS::Key')[0]!;
        const policy = key.Properties!.KeyPolicy as { Statement: Statement[] };
        policy.Statement = policy.Statement.filter((s) => !byCloudWatch(s));
      },
      /key \w+ of topic \w+ does not let cloudwatch\.amazonaws\.com kms:Decrypt/,
    ],
    [
      'an alarm pointing at a topic that has no policy',
      (template) => {
        const [alarmId, alarm] = ofType(template, 'AWS::CloudWatch::Alarm')[0]!;
        (template.Resources as Record<string, unknown>).StrayTopic = {
          Type: 'AWS::SNS::Topic',
          Properties: {},
        };
        (alarm.Properties as Record<string, unknown>).AlarmActions = [{ Ref: 'StrayTopic' }];
        expect(alarmId).toBeTruthy();
      },
      /AlarmActions: topic StrayTopic's policy does not let cloudwatch/,
    ],
    [
      'an alarm pointing at something that is not a topic of the stack',
      (template) => {
        const [, alarm] = ofType(template, 'AWS::CloudWatch::Alarm')[0]!;
        (alarm.Properties as Record<string, unknown>).OKActions = ['arn:aws:sns:us-east-1:111111111111:x'];
      },
      /OKActions: "arn:aws:sns:us-east-1:111111111111:x" is not an SNS topic of this template/,
    ],
  ])('fails on %s', (_name, breakIt, problem) => {
    const template = original();
    breakIt(template);

    const delivery = alarmDelivery(template);

    expect(delivery.problems.length).toBeGreaterThan(0);
    expect(delivery.problems.join('\n')).toMatch(problem);
  });
});
