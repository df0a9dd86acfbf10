import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, test } from 'vitest';
import { EventPublishError, RecordTooLargeError } from '../../functions/adapters/errors.ts';
import type { DomainEvent } from '../../functions/adapters/event-publisher.ts';
import { makeEventBridgePublisher } from '../../functions/adapters/eventbridge/eventbridge-event-publisher.ts';
import type { RetryPolicy } from '../../functions/adapters/retry.ts';

const eventBridge = mockClient(EventBridgeClient);
const BUS = 'model-care-bus';
const noWait: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {} };
const publisher = () => makeEventBridgePublisher(BUS, new EventBridgeClient({}), { retry: noWait });

const event = (i: number, overrides: Partial<DomainEvent> = {}): DomainEvent => ({
  detailType: 'Monitoring Violations Found',
  detail: { model: 'churn', windowStart: '2026-11-23T08:00:00Z', n: i },
  ...overrides,
});

const sentEntries = (call: number): PutEventsRequestEntry[] =>
  eventBridge.commandCalls(PutEventsCommand)[call]?.args[0].input.Entries ?? [];

beforeEach(() => {
  eventBridge.reset();
});

describe('EventBridgePublisher', () => {
  test('sends each event with source model-care on the configured bus', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
    const time = new Date('2026-11-23T09:00:03Z');
    await publisher().publish([
      event(1, { resources: ['arn:aws:sagemaker:us-east-1:1:endpoint/churn-ep'], time }),
    ]);
    expect(sentEntries(0)).toEqual([
      {
        EventBusName: BUS,
        Source: 'model-care',
        DetailType: 'Monitoring Violations Found',
        Detail: '{"model":"churn","windowStart":"2026-11-23T08:00:00Z","n":1}',
        Resources: ['arn:aws:sagemaker:us-east-1:1:endpoint/churn-ep'],
        Time: time,
      },
    ]);
  });

  test('splits more than 10 events into calls of at most 10', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    await publisher().publish(Array.from({ length: 23 }, (_, i) => event(i)));
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 3]);
    expect(
      calls.flatMap((c) => c.args[0].input.Entries ?? []).map((e) => JSON.parse(e.Detail ?? '{}').n),
    ).toEqual(Array.from({ length: 23 }, (_, i) => i));
  });

  test('splits by size so no call exceeds 256 KB', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    const big = (i: number) => event(i, { detail: { n: i, blob: 'x'.repeat(100 * 1024) } });
    await publisher().publish([big(0), big(1), big(2)]);
    expect(eventBridge.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([
      2, 1,
    ]);
  });

  test('retries only the entries PutEvents reported as failed', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: 'a' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' },
          { EventId: 'c' },
          { ErrorCode: 'InternalFailure', ErrorMessage: 'oops' },
        ],
      })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }, { EventId: 'd' }] });
    await publisher().publish([0, 1, 2, 3].map((i) => event(i)));
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
    expect(sentEntries(1).map((e) => JSON.parse(e.Detail ?? '{}').n)).toEqual([1, 3]);
  });

  test('rejects with EventPublishError when entries keep failing', async () => {
    eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: input.Entries.length,
      Entries: input.Entries.map(() => ({ ErrorCode: 'ThrottlingException' })),
    }));
    const error = await publisher()
      .publish([event(1), event(2)])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventPublishError);
    expect(error).toMatchObject({ failed: 2, errorCodes: ['ThrottlingException'], attempts: 3 });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(3);
  });

  test('rejects an event larger than PutEvents accepts without sending anything', async () => {
    await expect(
      publisher().publish([event(1, { detail: { blob: 'x'.repeat(257 * 1024) } })]),
    ).rejects.toThrow(RecordTooLargeError);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});
