import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, test } from 'vitest';
import { makeDynamoModelStore } from '../../functions/adapters/dynamodb/dynamodb-model-store.ts';
import { makeEventBridgeBatchPublisher } from '../../functions/adapters/eventbridge/eventbridge-batch-publisher.ts';
import type { ModelSchedule } from '../../functions/adapters/model-store.ts';
import type { RetryPolicy } from '../../functions/adapters/retry.ts';
import { makeDispatcherHandler } from '../../functions/dispatcher/dispatcher.ts';
import { InvalidEventError } from '../../functions/handler-kit/invalid-event-error.ts';
import { readEnvironment } from '../../functions/shared/environment.ts';
import { CountingPublisher } from '../support/counting-publisher.ts';
import { useDynalite } from '../support/dynalite.ts';
import { instrumentedClient } from '../support/eventbridge-faults.ts';
import { createEventTap, type EventTap } from '../support/eventbridge-tap.ts';
import { model } from '../support/model-fixtures.ts';
import { useMotoServer } from '../support/use-moto-server.ts';
import { recordingLogger } from './support/fakes.ts';

const MODELS_TABLE = 'mc-models';
/** a models table whose fleet index holds a hand-edited item, apart so the other tests read a clean index */
const EDITED_TABLE = 'mc-models-edited';
const dynalite = useDynalite([{ name: MODELS_TABLE }, { name: EDITED_TABLE }]);
const PRINCIPAL = 'arn:aws:iam::123456789012:user/alice';
const moto = useMotoServer();
const noWait: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {} };
const QUIET_BUS = 'dispatch-quiet';

const schedule = (name: string, overrides: Partial<ModelSchedule> = {}): ModelSchedule => ({
  name,
  version: 3,
  status: 'active',
  data: 'rate(1 hour)',
  quality: 'rate(1 day)',
  dataWindowMinutes: 60,
  qualityWindowMinutes: 1440,
  graceMinutes: 10,
  ...overrides,
});

const tickEvent = (time: string) => ({
  trigger: { id: 'e-1', source: 'aws.events', detailType: 'Scheduled Event', time, detail: {} },
});

const staticSource = (entries: ModelSchedule[]) => ({ schedules: async () => entries });

const storeOf = (table: string) => makeDynamoModelStore(table, dynalite.current.documentClient);

describe('dispatcher', () => {
  let tap: EventTap;
  beforeAll(async () => {
    tap = await createEventTap(moto.current, 'dispatch-bus', { 'detail-type': ['Window Due'] });
    await new EventBridgeClient(moto.current.clientConfig).send(
      new CreateEventBusCommand({ Name: QUIET_BUS }),
    );
  });

  test('reads the schedule index and publishes each due window as Window Due, which a rule delivers', async () => {
    // Prepare: two active models (churn changed once, so at version 2) and a removed one, through the store
    const store = storeOf(MODELS_TABLE);
    const hourly = { data: 'rate(1 hour)', quality: 'rate(1 day)' };
    await store.put(model('churn', { schedules: hourly }), { principal: PRINCIPAL });
    await store.put(model('churn', { schedules: hourly, thresholds: { comparisonThreshold: 0.2 } }), {
      expectedVersion: 1,
      principal: PRINCIPAL,
    });
    await store.put(
      model('fraud', {
        schedules: { data: 'cron(0 * * * ? *)', quality: 'cron(0 6 * * ? *)', graceMinutes: 0 },
      }),
      { principal: PRINCIPAL },
    );
    await store.put(model('retired', { schedules: hourly }), { principal: PRINCIPAL });
    await store.remove('retired', { expectedVersion: 1, principal: PRINCIPAL });
    const logger = recordingLogger();
    const handler = makeDispatcherHandler({
      schedules: store,
      publisher: makeEventBridgeBatchPublisher(
        tap.busName,
        new EventBridgeClient(moto.current.clientConfig),
        { retry: noWait },
      ),
      periodMinutes: 5,
      logger,
    });

    // Act: the tick of 00:10; churn's hour and day (grace 10) are due, fraud's hour (grace 0) was due at 00:00
    const result = await handler(tickEvent('2026-03-02T00:10:00Z'));

    // Assess
    expect(result).toMatchObject({
      tick: '2026-03-02T00:10:00Z',
      models: 2,
      removed: 1,
      windows: 2,
      dispatched: 2,
    });
    const delivered = await tap.drain();
    expect(delivered.map((e) => e.detail).sort((a, b) => String(a.job).localeCompare(String(b.job)))).toEqual(
      [
        {
          model: 'churn',
          configVersion: 2,
          job: 'data',
          window: { start: '2026-03-01T23:00:00Z', end: '2026-03-02T00:00:00Z' },
        },
        {
          model: 'churn',
          configVersion: 2,
          job: 'quality',
          window: { start: '2026-03-01T00:00:00Z', end: '2026-03-02T00:00:00Z' },
        },
      ],
    );
    expect(delivered.every((e) => e.source === 'model-care' && e.time === '2026-03-02T00:10:00Z')).toBe(true);

    // the next tick hands out fraud's next hour only when it is due (01:00, grace 0)
    expect(await handler(tickEvent('2026-03-02T00:15:00Z'))).toMatchObject({ windows: 0 });
    expect(await handler(tickEvent('2026-03-02T01:00:00Z'))).toMatchObject({ windows: 1, dispatched: 1 });
    expect((await tap.drain()).map((e) => e.detail)).toEqual([
      expect.objectContaining({
        model: 'fraud',
        job: 'data',
        window: { start: '2026-03-02T00:00:00Z', end: '2026-03-02T01:00:00Z' },
      }),
    ]);
  });

  test('a retried tick (the same event time) hands out the same windows', async () => {
    const publisher = new CountingPublisher();
    const handler = makeDispatcherHandler({
      schedules: staticSource(
        Array.from({ length: 30 }, (_, i) => schedule(`m${i}`, { data: `rate(${(i % 3) + 1} hours)` })),
      ),
      publisher,
      periodMinutes: 5,
      logger: recordingLogger(),
    });
    const first = await handler(tickEvent('2026-03-02T06:12:00Z'));
    const firstEvents = [...publisher.events];
    const again = await handler(tickEvent('2026-03-02T06:12:00Z'));
    expect(again).toEqual(first);
    expect(publisher.events.slice(firstEvents.length)).toEqual(firstEvents);
    expect(first.windows).toBeGreaterThan(0);
  });

  test('reports a schedule that cannot be evaluated and dispatches everything else', async () => {
    const publisher = new CountingPublisher();
    const logger = recordingLogger();
    const handler = makeDispatcherHandler({
      schedules: staticSource([
        schedule('good'),
        // both day fields set: EventBridge's syntax refuses it, so the data job of this model cannot be scheduled
        schedule('broken', { data: 'cron(0 0 1 * MON *)' }),
        schedule('zero-window', { dataWindowMinutes: 0 }),
      ]),
      publisher,
      periodMinutes: 5,
      logger,
    });
    const result = await handler(tickEvent('2026-03-02T00:10:00Z'));
    expect(result).toMatchObject({ models: 3, windows: 4, dispatched: 4, undispatched: 2 });
    expect(result.failures).toEqual([
      {
        model: 'broken',
        job: 'data',
        reason: expect.stringContaining('day-of-week or day-of-month must be "?"'),
      },
      { model: 'zero-window', job: 'data', reason: expect.stringContaining('windowMinutes') },
    ]);
    expect(publisher.events.map((e) => `${e.detail.model}/${e.detail.job}`).sort()).toEqual([
      'broken/quality',
      'good/data',
      'good/quality',
      'zero-window/quality',
    ]);
    expect(logger.lines.filter((l) => l.level === 'error')).toHaveLength(2);
  });

  test('logs and counts the windows PutEvents kept failing, and still dispatches the other models', async () => {
    // moto's answers, except that every entry of model "stuck" fails (see eventbridge-faults.ts)
    const { client } = instrumentedClient(moto.current, (entry) =>
      JSON.parse(entry.Detail ?? '{}').model === 'stuck' ? 'InternalFailure' : undefined,
    );
    const logger = recordingLogger();
    const handler = makeDispatcherHandler({
      schedules: staticSource(
        ['a', 'stuck', 'c', 'd'].map((name) => schedule(name, { quality: 'rate(2 days)' })),
      ),
      publisher: makeEventBridgeBatchPublisher(QUIET_BUS, client, { retry: noWait }),
      periodMinutes: 5,
      logger,
    });
    const result = await handler(tickEvent('2026-03-02T09:10:00Z'));
    expect(result).toMatchObject({ models: 4, windows: 4, dispatched: 3, undispatched: 1 });
    const window = { start: '2026-03-02T08:00:00Z', end: '2026-03-02T09:00:00Z' };
    expect(result.failures).toEqual([
      { model: 'stuck', job: 'data', window, reason: 'InternalFailure after 3 attempt(s)' },
    ]);
    const errors = logger.lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toBe('window not dispatched');
    expect(errors[0]?.attributes[0]).toMatchObject({ model: 'stuck', job: 'data', window, configVersion: 3 });
  });

  test('rejects an event without trigger.time, naming the field', async () => {
    const handler = makeDispatcherHandler({
      schedules: staticSource([]),
      publisher: new CountingPublisher(),
      periodMinutes: 5,
      logger: recordingLogger(),
    });
    await expect(handler({ trigger: { id: 'x' } })).rejects.toThrow(InvalidEventError);
    await expect(handler({ trigger: { time: 'yesterday' } })).rejects.toThrow('event.trigger.time');
    await expect(handler(null)).rejects.toThrow('event: expected an object with trigger');
  });

  test('fails the tick when the schedules cannot be read (nothing was sent, so a retry is safe)', async () => {
    const publisher = new CountingPublisher();
    const handler = makeDispatcherHandler({
      schedules: storeOf('no-such-table'),
      publisher,
      periodMinutes: 5,
      logger: recordingLogger(),
    });
    await expect(handler(tickEvent('2026-03-02T00:10:00Z'))).rejects.toThrow();
    expect(publisher.calls).toBe(0);
  });
});

describe('dispatcher and a hand-edited fleet index', () => {
  test('skips an index item that does not parse, logs it, and dispatches the other models', async () => {
    // Prepare: one model through the store, and an item written by hand with fields missing
    const store = storeOf(EDITED_TABLE);
    await store.put(model('index-ok', { schedules: { data: 'rate(1 hour)', quality: 'rate(2 days)' } }), {
      principal: PRINCIPAL,
    });
    await dynalite.current.documentClient.send(
      new PutCommand({
        TableName: EDITED_TABLE,
        Item: { pk: 'SCHEDULES', sk: 'index-bad', version: 1, status: 'active', data: 'rate(1 hour)' },
      }),
    );
    const publisher = new CountingPublisher();
    const logger = recordingLogger();
    const handler = makeDispatcherHandler({ schedules: store, publisher, periodMinutes: 5, logger });

    // Act: 09:10, when only the data hour 08:00-09:00 is due
    const result = await handler(tickEvent('2026-03-02T09:10:00Z'));

    // Assess
    expect(result).toMatchObject({ models: 1, windows: 1, dispatched: 1, undispatched: 0 });
    expect(publisher.events.map((e) => e.detail.model)).toEqual(['index-ok']);
    const errors = logger.lines.filter((l) => l.level === 'error');
    expect(errors.map((l) => l.message)).toEqual(['schedule index item skipped']);
    expect(errors[0]?.attributes[0]).toMatchObject({
      key: 'SCHEDULES / index-bad',
      errorName: 'CorruptRecordError',
    });
  });
});

describe("the dispatcher's environment", () => {
  const env = {
    MODEL_CARE_MODELS_TABLE: 'models',
    MODEL_CARE_DISPATCH_EVERY_MINUTES: '5',
    MODEL_CARE_EVENT_BUS: 'bus',
  };
  const read = (values: Record<string, string>) =>
    readEnvironment(['modelsTable', 'eventBusName', 'dispatchEveryMinutes'], values);

  test('reads the table, the bus and the period', () => {
    expect(read(env)).toEqual({ modelsTable: 'models', eventBusName: 'bus', dispatchEveryMinutes: 5 });
  });

  test.each([
    ['a missing table', { ...env, MODEL_CARE_MODELS_TABLE: '' }, 'MODEL_CARE_MODELS_TABLE is not set'],
    [
      'a period of 0',
      { ...env, MODEL_CARE_DISPATCH_EVERY_MINUTES: '0' },
      'MODEL_CARE_DISPATCH_EVERY_MINUTES is not a positive integer',
    ],
    [
      'a fractional period',
      { ...env, MODEL_CARE_DISPATCH_EVERY_MINUTES: '2.5' },
      'MODEL_CARE_DISPATCH_EVERY_MINUTES is not a positive integer',
    ],
  ])('rejects %s, naming the variable', (_name, bad, message) => {
    expect(() => read(bad)).toThrow(message);
  });
});
