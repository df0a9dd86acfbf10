import { NotFoundException, PublishCommand, SNSClient, ThrottledException } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { NotificationError } from '../../functions/adapters/errors.ts';
import type { Notification } from '../../functions/adapters/notifier.ts';
import type { RetryPolicy } from '../../functions/adapters/retry.ts';
import { emailSubject, makeSnsNotifier } from '../../functions/adapters/sns/sns-notifier.ts';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:model-care-alerts';
const noWait: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {} };

const alert = (overrides: Partial<Notification> = {}): Notification => ({
  topicArn: TOPIC,
  subject: '[critical] churn: age drifted (distance 0.42 > 0.1)',
  longText:
    'Feature "age" drifted.\nDistance 0.42 against threshold 0.1 since 2026-11-23T08:00Z.\nReport: https://x',
  shortText: 'CRITICAL churn: age drift 0.42>0.1\nsince 08:00Z',
  severity: 'critical',
  model: 'churn',
  check: 'baseline_drift_check',
  ...overrides,
});

const logger = () => ({ info: vi.fn(), warn: vi.fn() });

beforeEach(() => {
  sns.reset();
});

describe('SnsNotifier', () => {
  test('publishes one JSON-structured message: long form for email, one line for SMS, attributes to filter on', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'msg-1' });
    const result = await makeSnsNotifier(new SNSClient({}), { logger: logger() }).notify(alert());

    expect(result).toEqual({ messageId: 'msg-1' });
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input).toMatchObject({
      TopicArn: TOPIC,
      Subject: '[critical] churn: age drifted (distance 0.42 > 0.1)',
      MessageStructure: 'json',
      MessageAttributes: {
        severity: { DataType: 'String', StringValue: 'critical' },
        model: { DataType: 'String', StringValue: 'churn' },
        check: { DataType: 'String', StringValue: 'baseline_drift_check' },
        kind: { DataType: 'String', StringValue: 'alert' },
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
      },
    });
    expect(JSON.parse(input?.Message ?? '')).toEqual({
      default: alert().longText,
      email: alert().longText,
      sms: 'CRITICAL churn: age drift 0.42>0.1 since 08:00Z',
    });
  });

  test('keeps the subject under 100 printable ASCII characters on one line', () => {
    const subject = emailSubject(`Drift détectée\n${'x'.repeat(200)}\t✓`);
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject.startsWith('Drift detectee x')).toBe(true);
    expect(subject.endsWith('...')).toBe(true);
    expect(emailSubject('\n\n')).toBe('model-care alert');
  });

  test('shortens the SMS to one segment and an oversized email below the SNS limit', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    await makeSnsNotifier(new SNSClient({}), { logger: logger() }).notify(
      alert({ shortText: 'y'.repeat(500), longText: 'é'.repeat(300_000) }),
    );
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    const message = JSON.parse(input?.Message ?? '') as Record<string, string>;
    expect(message.sms?.length).toBe(160);
    expect(Buffer.byteLength(input?.Message ?? '')).toBeLessThan(256 * 1024);
    expect(message.email).toContain('[truncated');
    expect(message.email).not.toContain('\uFFFD');

    // quotes and control characters grow when JSON-escaped; the budget is on the escaped form
    await makeSnsNotifier(new SNSClient({}), { logger: logger() }).notify(
      alert({ longText: '"\u0001\n'.repeat(100_000) }),
    );
    const escaped = sns.commandCalls(PublishCommand)[1]?.args[0].input.Message ?? '';
    expect(Buffer.byteLength(escaped)).toBeLessThan(256 * 1024);
  });

  test('retries throttling and succeeds once SNS accepts', async () => {
    sns
      .on(PublishCommand)
      .rejectsOnce(new ThrottledException({ message: 'Rate exceeded', $metadata: {} }))
      .resolves({ MessageId: 'after-retry' });
    const result = await makeSnsNotifier(new SNSClient({}), { retry: noWait, logger: logger() }).notify(
      alert(),
    );
    expect(result.messageId).toBe('after-retry');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });

  test('rejects with a throttled NotificationError when throttling outlasts the retries', async () => {
    sns.on(PublishCommand).rejects(new ThrottledException({ message: 'Rate exceeded', $metadata: {} }));
    const error = await makeSnsNotifier(new SNSClient({}), { retry: noWait, logger: logger() })
      .notify(alert())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotificationError);
    expect(error).toMatchObject({ code: 'ThrottledException', throttled: true, attempts: 3 });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(3);
  });

  test('rejects at once, without retrying, when the topic does not exist', async () => {
    sns.on(PublishCommand).rejects(new NotFoundException({ message: 'Topic does not exist', $metadata: {} }));
    await expect(
      makeSnsNotifier(new SNSClient({}), { retry: noWait, logger: logger() }).notify(alert()),
    ).rejects.toMatchObject({
      name: 'NotificationError',
      code: 'NotFoundException',
      throttled: false,
      attempts: 1,
    });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  test('logs identifiers only: no message text and no topic ARN', async () => {
    const log = logger();
    sns
      .on(PublishCommand)
      .rejectsOnce(new ThrottledException({ message: 'x', $metadata: {} }))
      .resolves({
        MessageId: 'm-9',
      });
    const notifier = makeSnsNotifier(new SNSClient({}), {
      retry: { ...noWait, maxAttempts: 1 },
      logger: log,
    });
    await notifier.notify(alert()).catch(() => undefined);
    await makeSnsNotifier(new SNSClient({}), { retry: noWait, logger: log }).notify(alert());
    const logged = JSON.stringify([...log.info.mock.calls, ...log.warn.mock.calls]);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.info).toHaveBeenCalledWith(
      'alert notification published',
      expect.objectContaining({ messageId: 'm-9' }),
    );
    for (const secret of ['drifted', 'CRITICAL churn', TOPIC, '123456789012'])
      expect(logged).not.toContain(secret);
  });
});
