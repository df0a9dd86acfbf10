import {
  CreateEventBusCommand,
  EventBridgeClient,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { beforeAll, describe, expect, test } from 'vitest';
import { RecordTooLargeError } from '../../functions/adapters/errors.ts';
import type { DomainEvent } from '../../functions/adapters/event-publisher.ts';
import { makeEventBridgeBatchPublisher } from '../../functions/adapters/eventbridge/eventbridge-batch-publisher.ts';
import type { RetryPolicy } from '../../functions/adapters/retry.ts';
import { instrumentedClient } from '../support/eventbridge-faults.ts';
import { createEventTap, type EventTap } from '../support/eventbridge-tap.ts';
import { useMotoServer } from '../support/use-moto-server.ts';

const moto = useMotoServer();
const QUIET_BUS = 'model-care-quiet';
const noWait: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {} };

const event = (n: number, extra: Record<string, unknown> = {}): DomainEvent => ({
  detailType: 'Window Due',
  detail: { model: `m${n}`, n, ...extra },
  time: new Date('2026-03-01T10:10:00Z'),
});

const numberOf = (entry: PutEventsRequestEntry): number => JSON.parse(entry.Detail ?? '{}').n;
const deliveredNumbers = async (tap: EventTap) =>
  (await tap.drain()).map((e) => e.detail.n as number).sort((a, b) => a - b);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

// moto delivers to the SQS target slowly (about a second per event on a busy 2-core machine), so the tests that
// read deliveries keep to a dozen events; the concurrency test publishes to a bus without rules
describe('EventBridge batch publisher (moto: PutEvents -> rule -> SQS)', () => {
  let tap: EventTap;
  beforeAll(async () => {
    tap = await createEventTap(moto.current, 'model-care-bus');
    await new EventBridgeClient(moto.current.clientConfig).send(
      new CreateEventBusCommand({ Name: QUIET_BUS }),
    );
  });

  test('delivers every event once, in calls of at most 10 entries, with source, detail type, detail and time', async () => {
    const { client, log } = instrumentedClient(moto.current);
    const outcomes = await makeEventBridgeBatchPublisher(tap.busName, client, { retry: noWait }).publishEach(
      range(13).map((n) => event(n)),
    );
    expect(outcomes.every((o) => o.published)).toBe(true);
    expect(log.sizes.sort((a, b) => b - a)).toEqual([10, 3]);
    const delivered = await tap.drain();
    expect(delivered.map((e) => e.detail.n).sort((a, b) => Number(a) - Number(b))).toEqual(range(13));
    expect(delivered[0]).toMatchObject({
      source: 'model-care',
      'detail-type': 'Window Due',
      time: '2026-03-01T10:10:00Z',
    });
  });

  test('keeps at most `concurrency` calls in flight', async () => {
    const { client, log } = instrumentedClient(moto.current);
    const outcomes = await makeEventBridgeBatchPublisher(QUIET_BUS, client, {
      retry: noWait,
      concurrency: 2,
    }).publishEach(range(50).map((n) => event(n)));
    expect(outcomes.every((o) => o.published)).toBe(true);
    expect(log.sizes).toEqual([10, 10, 10, 10, 10]);
    expect(log.maxInFlight).toBe(2);
  });

  test('sends entries that failed again, and only those: each arrives exactly once', async () => {
    // entries 3, 4 and 11 are throttled on their first call, entry 5 on its first two
    const failures = new Map<number, number>([
      [3, 1],
      [4, 1],
      [11, 1],
      [5, 2],
    ]);
    const { client, log } = instrumentedClient(moto.current, (entry) => {
      const left = failures.get(numberOf(entry)) ?? 0;
      if (left === 0) return undefined;
      failures.set(numberOf(entry), left - 1);
      return 'ThrottlingException';
    });
    const outcomes = await makeEventBridgeBatchPublisher(tap.busName, client, { retry: noWait }).publishEach(
      range(12).map((n) => event(n)),
    );
    expect(outcomes.every((o) => o.published)).toBe(true);
    expect(await deliveredNumbers(tap)).toEqual(range(12));
    // calls of 0-9 and 10-11: 7 + 1 reach moto; the retries: 3, 4 (5 fails again) and 11; then 5 alone
    expect(log.sizes.sort((a, b) => b - a)).toEqual([7, 2, 1, 1, 1]);
  });

  test('reports entries that keep failing after the last attempt, and still delivers the others', async () => {
    const { client } = instrumentedClient(moto.current, (entry) =>
      numberOf(entry) === 2 ? 'InternalFailure' : undefined,
    );
    const outcomes = await makeEventBridgeBatchPublisher(tap.busName, client, { retry: noWait }).publishEach(
      range(4).map((n) => event(n)),
    );
    expect(outcomes[2]).toEqual({
      published: false,
      errorCode: 'InternalFailure',
      errorMessage: 'injected',
      attempts: 3,
    });
    expect(outcomes.filter((o) => o.published)).toHaveLength(3);
    expect(await deliveredNumbers(tap)).toEqual([0, 1, 3]);
  });

  test('does not retry an entry whose error no retry can cure', async () => {
    let seen = 0;
    const { client } = instrumentedClient(moto.current, (entry) => {
      if (numberOf(entry) !== 2) return undefined;
      seen += 1;
      return 'MalformedDetail';
    });
    const outcomes = await makeEventBridgeBatchPublisher(tap.busName, client, { retry: noWait }).publishEach(
      range(4).map((n) => event(n)),
    );
    expect(outcomes[2]).toMatchObject({ published: false, errorCode: 'MalformedDetail', attempts: 1 });
    expect(seen).toBe(1);
    expect(await deliveredNumbers(tap)).toEqual([0, 1, 3]);
  });

  test('turns a call that fails as a whole (a bus that does not exist) into outcomes, after the retries', async () => {
    const client = new EventBridgeClient({ ...moto.current.clientConfig, maxAttempts: 1 });
    const outcomes = await makeEventBridgeBatchPublisher('no-such-bus', client, {
      retry: noWait,
    }).publishEach(range(3).map((n) => event(n)));
    expect(outcomes).toEqual(
      range(3).map(() =>
        expect.objectContaining({ published: false, errorCode: 'ResourceNotFoundException', attempts: 3 }),
      ),
    );
  });

  test('rejects an event larger than PutEvents accepts, before sending anything', async () => {
    const { client, log } = instrumentedClient(moto.current);
    await expect(
      makeEventBridgeBatchPublisher(tap.busName, client, { retry: noWait }).publishEach([
        event(1),
        event(2, { blob: 'x'.repeat(257 * 1024) }),
      ]),
    ).rejects.toThrow(RecordTooLargeError);
    expect(log.sizes).toEqual([]);
    expect(await tap.drain()).toEqual([]);
  });
});
