import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  SetSubscriptionAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  planSubscriptions,
  type RecipientsBySeverity,
  SubscriptionLimitError,
  SubscriptionPendingError,
} from '../../functions/adapters/model-subscriptions.ts';
import { modelsInPolicy, policyFor } from '../../functions/adapters/sns/model-filter-policy.ts';
import { makeSnsModelSubscriptions } from '../../functions/adapters/sns/sns-model-subscriptions.ts';
import type { Severity } from '../../functions/shared/config/vocabulary.ts';
import { useMotoServer } from '../support/use-moto-server.ts';

const moto = useMotoServer();
const sns = () => new SNSClient(moto.current.clientConfig);
let topics: Record<Severity, string>;
const subscriptions = () => makeSnsModelSubscriptions(topics, sns());

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const PHONE = '+15555550100';
const recipients = (emails: string[], sms: string[] = []) => ({ emails, sms });

/** every subscription of a topic as `protocol endpoint -> filter policy` ('' without one) */
const state = async (severity: Severity): Promise<Record<string, string>> => {
  const listed = await sns().send(new ListSubscriptionsByTopicCommand({ TopicArn: topics[severity] }));
  const result: Record<string, string> = {};
  for (const s of listed.Subscriptions ?? []) {
    const { Attributes } = await sns().send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: s.SubscriptionArn }),
    );
    result[`${s.Protocol} ${s.Endpoint}`] = Attributes?.FilterPolicy
      ? JSON.stringify(JSON.parse(Attributes.FilterPolicy))
      : '';
  }
  return result;
};
const policy = (...models: string[]) => JSON.stringify({ model: models });

describe('planSubscriptions', () => {
  test.each<[string, RecipientsBySeverity, RecipientsBySeverity[], string[], string[]]>([
    ['a new model', { warning: recipients([ALICE]) }, [], ['warning email alice@example.com'], []],
    [
      'an address moved to another severity',
      { critical: recipients([ALICE]) },
      [{ warning: recipients([ALICE]) }],
      ['critical email alice@example.com'],
      ['warning email alice@example.com'],
    ],
    [
      'a removed model, with two earlier configs',
      {},
      [{ info: recipients([BOB]) }, { info: recipients([BOB], [PHONE]) }],
      [],
      ['info email bob@example.com', 'info sms +15555550100'],
    ],
  ])('%s', (_, wanted, formerly, keep, drop) => {
    const plan = planSubscriptions(wanted, formerly);
    const label = (r: { severity: string; protocol: string; endpoint: string }) =>
      `${r.severity} ${r.protocol} ${r.endpoint}`;
    expect(plan.keep.map(label)).toEqual(keep);
    expect(plan.drop.map(label)).toEqual(drop);
  });
});

describe('model filter policies', () => {
  test.each([
    ['{"model":["a","b"]}', ['a', 'b']],
    ['{"model": ["a"]}', ['a']],
    ['{"severity":["critical"]}', undefined],
    ['{"model":["a"],"check":["x"]}', undefined],
    ['{"model":[{"prefix":"a"}]}', undefined],
    ['not json', undefined],
  ])('%s is read as %j', (text, models) => {
    expect(modelsInPolicy(text)).toEqual(models);
  });

  test('lists each model once, sorted', () => {
    expect(policyFor(['fraud', 'churn', 'fraud'])).toBe('{"model":["churn","fraud"]}');
  });
});

describe('SnsModelSubscriptions on moto', () => {
  beforeEach(async () => {
    await moto.current.reset();
    const topic = async (name: string) =>
      (await sns().send(new CreateTopicCommand({ Name: `model-care-${name}` }))).TopicArn ?? '';
    topics = {
      info: await topic('info'),
      warning: await topic('warning'),
      critical: await topic('critical'),
    };
  });

  test("subscribes a model's recipients per severity with a filter policy on the model", async () => {
    const changes = await subscriptions().reconcile(
      'churn',
      { warning: recipients([ALICE]), critical: recipients([ALICE], [PHONE]) },
      [],
    );

    expect(changes.subscribed).toEqual([
      'warning email alice@example.com',
      'critical email alice@example.com',
      'critical sms +15555550100',
    ]);
    expect(await state('warning')).toEqual({ 'email alice@example.com': policy('churn') });
    expect(await state('critical')).toEqual({
      'email alice@example.com': policy('churn'),
      'sms +15555550100': policy('churn'),
    });
    expect(await state('info')).toEqual({});
  });

  test('a recipient of two models has one subscription listing both; a repeat changes nothing', async () => {
    await subscriptions().reconcile('churn', { warning: recipients([ALICE]) }, []);
    await subscriptions().reconcile('fraud', { warning: recipients([ALICE, BOB]) }, []);

    const again = await subscriptions().reconcile('fraud', { warning: recipients([ALICE, BOB]) }, []);

    expect(again).toEqual({ subscribed: [], unsubscribed: [], skipped: [] });
    expect(await state('warning')).toEqual({
      'email alice@example.com': policy('churn', 'fraud'),
      'email bob@example.com': policy('fraud'),
    });
  });

  test('a recipient taken out of one model keeps the others; its last model gone, it is unsubscribed', async () => {
    await subscriptions().reconcile('churn', { warning: recipients([ALICE]) }, []);
    await subscriptions().reconcile('fraud', { warning: recipients([ALICE]) }, []);
    const before = { warning: recipients([ALICE]) };

    await subscriptions().reconcile('churn', { warning: recipients([BOB]) }, [before]);
    expect(await state('warning')).toEqual({
      'email alice@example.com': policy('fraud'),
      'email bob@example.com': policy('churn'),
    });

    const removed = await subscriptions().reconcile('fraud', {}, [before]);
    expect(removed.unsubscribed).toEqual(['warning email alice@example.com']);
    expect(await state('warning')).toEqual({ 'email bob@example.com': policy('churn') });
  });

  test("leaves operators' unfiltered subscriptions and foreign filter policies as they are", async () => {
    await sns().send(new SubscribeCommand({ TopicArn: topics.critical, Protocol: 'email', Endpoint: ALICE }));
    await sns().send(
      new SubscribeCommand({
        TopicArn: topics.critical,
        Protocol: 'sms',
        Endpoint: PHONE,
        Attributes: { FilterPolicy: '{"check":["model_quality_check"]}' },
      }),
    );

    const changes = await subscriptions().reconcile('churn', { critical: recipients([ALICE], [PHONE]) }, []);
    await subscriptions().reconcile('churn', {}, [{ critical: recipients([ALICE], [PHONE]) }]);

    expect(changes.skipped.map((s) => s.recipient)).toEqual([
      'critical email alice@example.com',
      'critical sms +15555550100',
    ]);
    expect(await state('critical')).toEqual({
      'email alice@example.com': '',
      'sms +15555550100': '{"check":["model_quality_check"]}',
    });
  });

  test('rejects a 151st model for one address, changing nothing', async () => {
    const many = Array.from({ length: 150 }, (_, i) => `m${i}`);
    const out = await sns().send(
      new SubscribeCommand({
        TopicArn: topics.info,
        Protocol: 'email',
        Endpoint: BOB,
        Attributes: { FilterPolicy: policyFor(many) },
        ReturnSubscriptionArn: true,
      }),
    );

    await expect(subscriptions().reconcile('churn', { info: recipients([BOB]) }, [])).rejects.toThrow(
      SubscriptionLimitError,
    );
    const { Attributes } = await sns().send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: out.SubscriptionArn }),
    );
    expect(modelsInPolicy(Attributes?.FilterPolicy ?? '')).toHaveLength(150);
  });
});

// moto confirms email subscriptions at once, so it never lists one as "PendingConfirmation"; real SNS does until
// the recipient clicks the link. These two tests stub SNS's answers for that case only.
describe('SnsModelSubscriptions with an unconfirmed email subscription (SNS stubbed)', () => {
  // mockClient patches every SNSClient: only inside this block, so the moto tests above talk to moto
  let stub: ReturnType<typeof mockClient>;
  beforeAll(() => {
    stub = mockClient(SNSClient);
  });
  afterAll(() => {
    stub.restore();
  });
  const TOPIC = 'arn:aws:sns:us-east-1:123456789012:model-care-warning';
  const SUBSCRIPTION = `${TOPIC}:0b1c6f43-8d1c-4f33-9a43-2f6a1b9e8e11`;
  const stubbedTopics = { info: TOPIC, warning: TOPIC, critical: TOPIC };

  beforeEach(() => {
    stub.reset();
    stub.on(ListSubscriptionsByTopicCommand).resolves({
      Subscriptions: [{ Protocol: 'email', Endpoint: ALICE, SubscriptionArn: 'PendingConfirmation' }],
    });
    stub.on(GetSubscriptionAttributesCommand).resolves({ Attributes: { FilterPolicy: policy('churn') } });
  });

  test('finds its ARN by subscribing again without attributes, then adds the model', async () => {
    stub.on(SubscribeCommand).resolves({ SubscriptionArn: SUBSCRIPTION });

    await makeSnsModelSubscriptions(stubbedTopics, new SNSClient({})).reconcile(
      'fraud',
      { warning: recipients([ALICE]) },
      [],
    );

    expect(stub.commandCalls(SubscribeCommand)[0]?.args[0].input).not.toHaveProperty('Attributes');
    expect(stub.commandCalls(SetSubscriptionAttributesCommand)[0]?.args[0].input).toEqual({
      SubscriptionArn: SUBSCRIPTION,
      AttributeName: 'FilterPolicy',
      AttributeValue: policy('churn', 'fraud'),
    });
  });

  test('rejects with what to do when SNS will not give the ARN', async () => {
    stub.on(SubscribeCommand).resolves({ SubscriptionArn: 'pending confirmation' });

    await expect(
      makeSnsModelSubscriptions(stubbedTopics, new SNSClient({})).reconcile(
        'fraud',
        { warning: recipients([ALICE]) },
        [],
      ),
    ).rejects.toThrow(SubscriptionPendingError);
  });
});
