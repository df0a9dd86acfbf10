import { randomUUID } from 'node:crypto';
import { InvokeEndpointCommand, ModelError, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, test } from 'vitest';
import type { ObjectStore } from '../../functions/adapters/object-store.ts';
import { captureVariantPrefix, groundTruthPrefix } from '../../functions/adapters/s3-layout.ts';
import { makeSageMakerInference } from '../../functions/adapters/sagemaker/sagemaker-inference.ts';
import { makeCaptureApiHandler } from '../../functions/capture-api/capture-api.ts';
import { CaptureBatcher } from '../../functions/capture-api/capture-batcher.ts';
import { type CaptureSink, makeDirectCaptureSink } from '../../functions/capture-api/capture-sink.ts';
import { InvalidEventError } from '../../functions/handler-kit/invalid-event-error.ts';
import { type CaptureRoute, captureRouteSchema } from '../../functions/shared/config/capture-routes.ts';
import { failingPuts, noWait, RecordingMetrics, recordingLogger } from './support/fakes.ts';
import { useHandlerEnvironment } from './support/handler-env.ts';

const env = useHandlerEnvironment();
const runtime = mockClient(SageMakerRuntimeClient);
beforeEach(() => runtime.reset());

const NOW = new Date('2026-03-01T10:15:30.250Z');
const route = (overrides: Partial<CaptureRoute> = {}): CaptureRoute =>
  captureRouteSchema.parse({
    model: `m-${randomUUID().slice(0, 8)}`,
    endpointName: 'churn-endpoint',
    variantName: 'AllTraffic',
    samplingPercentage: 100,
    invokeEndpoint: 'churn-endpoint',
    ...overrides,
  });

const api = (routes: CaptureRoute[], sink?: CaptureSink, store?: ObjectStore, random?: () => number) => {
  const adapters = env.adapters();
  const metrics = new RecordingMetrics();
  const handler = makeCaptureApiHandler({
    routes,
    sink:
      sink ??
      makeDirectCaptureSink({
        store: store ?? adapters.store,
        now: () => NOW,
        newId: randomUUID,
        retry: fastRetry,
      }),
    store: store ?? adapters.store,
    inference: makeSageMakerInference(new SageMakerRuntimeClient({})),
    metrics,
    now: () => NOW,
    logger: recordingLogger(),
    random,
    retry: fastRetry,
  });
  return { handler, metrics, adapters };
};

const CSV_ONE = { contentType: 'text/csv', data: '1' };

const fastRetry = { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 5, sleep: noWait };

const post = (path: string, body: unknown, headers: Record<string, string> = {}) => ({
  rawPath: path,
  requestContext: { http: { method: 'POST' } },
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** every capture line stored for a route, parsed */
const storedRecords = async (store: ObjectStore, r: CaptureRoute) => {
  const records: {
    eventMetadata: { eventId: string; inferenceId?: string; inferenceTime: string };
    captureData: Record<string, { data: string; encoding: string; observedContentType: string }>;
  }[] = [];
  const keys: string[] = [];
  for await (const info of store.list(captureVariantPrefix(r.endpointName, r.variantName))) {
    keys.push(info.key);
    for (const line of (await store.getText(info.key)).split('\n')) if (line) records.push(JSON.parse(line));
  }
  return { records, keys };
};

describe('records mode', () => {
  test('writes SageMaker capture records under the hour and returns each eventId', async () => {
    const r = route({ endpointName: `ep-${randomUUID().slice(0, 8)}` });
    const { handler, metrics, adapters } = api([r]);
    const eventId = randomUUID();
    const answer = await handler(
      post(`/models/${r.model}/records`, {
        records: [
          {
            request: { contentType: 'text/csv', data: '1,2,3' },
            response: { contentType: 'text/csv', data: '0.7' },
            eventId,
            inferenceId: 'inf-1',
          },
          {
            request: { contentType: 'application/json', data: '{"a":1}' },
            response: { contentType: 'application/json', data: '{"p":0.2}' },
          },
          {
            request: {
              contentType: 'application/x-protobuf',
              data: Buffer.from([0, 255, 7]).toString('base64'),
              encoding: 'BASE64',
            },
            response: { contentType: 'application/x-protobuf', data: 'Bw==', encoding: 'BASE64' },
          },
        ],
      }),
    );
    expect(answer.statusCode).toBe(200);
    const body = JSON.parse(answer.body) as {
      captured: number;
      records: { eventId: string; captured: boolean }[];
    };
    expect(body.captured).toBe(3);
    expect(body.records[0]).toEqual({ eventId, inferenceId: 'inf-1', captured: true });

    const { records, keys } = await storedRecords(adapters.store, r);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(
      new RegExp(`^capture/${r.endpointName}/AllTraffic/2026/03/01/10/15-30-250-[0-9a-f-]{36}\\.jsonl$`),
    );
    expect(records.map((x) => x.eventMetadata.eventId)).toEqual(body.records.map((x) => x.eventId));
    expect(records[0]).toEqual({
      captureData: {
        endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: '1,2,3', encoding: 'CSV' },
        endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: '0.7', encoding: 'CSV' },
      },
      eventMetadata: { eventId, inferenceId: 'inf-1', inferenceTime: '2026-03-01T10:15:30Z' },
      eventVersion: '0',
    });
    expect(records[1]?.captureData.endpointInput).toMatchObject({ encoding: 'JSON', data: '{"a":1}' });
    expect(records[2]?.captureData.endpointInput).toMatchObject({ encoding: 'BASE64', data: 'AP8H' });
    expect(records[2]?.captureData.endpointOutput).toMatchObject({ encoding: 'BASE64', data: 'Bw==' });
    expect(metrics.captures).toEqual([{ model: r.model, records: 3, at: NOW }]);
  });

  test('samples by the route percentage and still answers every eventId', async () => {
    const r = route({ endpointName: `ep-${randomUUID().slice(0, 8)}`, samplingPercentage: 50 });
    let i = 0;
    const { handler, adapters } = api([r], undefined, undefined, () => (i++ % 2 === 0 ? 0.1 : 0.9));
    const records = Array.from({ length: 10 }, (_, k) => ({
      request: { contentType: 'text/csv', data: `${k}` },
      response: { contentType: 'text/csv', data: '1' },
    }));
    const answer = await handler(post(`/models/${r.model}/records`, { records }));
    const body = JSON.parse(answer.body) as { captured: number; records: { captured: boolean }[] };
    expect(body.records).toHaveLength(10);
    expect(body.captured).toBe(5);
    expect((await storedRecords(adapters.store, r)).records).toHaveLength(5);
  });

  test.each([
    ['not JSON', '{records', 400, /^body: is not JSON/],
    ['no records', { records: [] }, 400, /^body\.records: must hold at least one record/],
    [
      'a record without request',
      { records: [{ response: { contentType: 'text/csv', data: '1' } }] },
      400,
      /^body\.records\[0\]\.request: /,
    ],
    [
      'a record without response',
      { records: [{ request: { contentType: 'text/csv', data: '1' } }] },
      400,
      /^body\.records\[0\]\.response: is required: a record holds the model's request and its response/,
    ],
    [
      'a bad eventId',
      { records: [{ request: CSV_ONE, response: CSV_ONE, eventId: 'x' }] },
      400,
      /^body\.records\[0\]\.eventId: is not a UUID/,
    ],
    [
      'undecodable base64',
      {
        records: [
          { request: { contentType: 'text/csv', data: '@@', encoding: 'BASE64' }, response: CSV_ONE },
        ],
      },
      400,
      /^body\.records\[0\]\.request\.data: is not valid base64/,
    ],
    [
      'too many records',
      { records: Array.from({ length: 1001 }, () => ({ request: CSV_ONE, response: CSV_ONE })) },
      413,
      /^body\.records: holds more than 1000/,
    ],
  ])('rejects %s, naming the field', async (_name, body, status, message) => {
    const r = route({ endpointName: `ep-${randomUUID().slice(0, 8)}` });
    const { handler, adapters } = api([r]);
    const answer = await handler(post(`/models/${r.model}/records`, body));
    expect(answer.statusCode).toBe(status);
    expect((JSON.parse(answer.body) as { error: string }).error).toMatch(message);
    // refused whole: nothing of the request is stored for a job to find later
    expect((await storedRecords(adapters.store, r)).keys).toEqual([]);
  });

  test.each(['records', 'labels', 'invocations'])(
    'rejects a model name that is not valid percent-encoding with 400, not 500 (%s)',
    async (kind) => {
      const answer = await api([route()]).handler(post(`/models/%E0%A4%A/${kind}`, { records: [] }));
      expect(answer.statusCode).toBe(400);
      const { error } = JSON.parse(answer.body) as { error: string };
      expect(error).toBe('rawPath: the model name is not valid percent-encoding');
    },
  );

  test('answers 404 for an unknown model or route and 405 for GET', async () => {
    const r = route();
    const { handler } = api([r]);
    expect((await handler(post('/models/nope/records', { records: [] }))).statusCode).toBe(404);
    expect((await handler(post('/elsewhere', {}))).statusCode).toBe(404);
    const get = { ...post(`/models/${r.model}/records`, {}), requestContext: { http: { method: 'GET' } } };
    expect((await handler(get)).statusCode).toBe(405);
  });

  test('fails on a malformed Lambda event, naming the field', async () => {
    const error = await api([route()])
      .handler({ rawPath: 3 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toMatch(/^event\.rawPath: /);
  });

  test('answers 503 with the eventIds when the capture cannot be stored, and writes nothing half', async () => {
    const r = route({ endpointName: `ep-${randomUUID().slice(0, 8)}` });
    const adapters = env.adapters();
    const broken = failingPuts(adapters.store, 1);
    const { handler } = api([r], undefined, broken);
    const answer = await handler(
      post(`/models/${r.model}/records`, { records: [{ request: CSV_ONE, response: CSV_ONE }] }),
    );
    expect(answer.statusCode).toBe(503);
    const body = JSON.parse(answer.body) as { retryable: boolean; eventIds: string[] };
    expect(body.retryable).toBe(true);
    expect(body.eventIds).toHaveLength(1);
    expect((await storedRecords(adapters.store, r)).records).toHaveLength(0);
  });
});

describe('proxy mode', () => {
  test('invokes the endpoint, returns its answer and records request and response', async () => {
    const r = route({ endpointName: `ep-${randomUUID().slice(0, 8)}` });
    runtime.on(InvokeEndpointCommand).resolves({
      Body: new TextEncoder().encode('0.83') as never,
      ContentType: 'text/csv',
      InvokedProductionVariant: 'AllTraffic',
    });
    const { handler, adapters } = api([r]);
    const answer = await handler(
      post(`/models/${r.model}/invocations`, '5,1,0', {
        'content-type': 'text/csv',
        'X-Amzn-SageMaker-Inference-Id': 'abc',
      }),
    );
    expect(answer.statusCode).toBe(200);
    expect(Buffer.from(answer.body, 'base64').toString()).toBe('0.83');
    expect(answer.headers['x-model-care-captured']).toBe('true');
    expect(runtime.commandCalls(InvokeEndpointCommand)[0]?.args[0].input).toMatchObject({
      EndpointName: 'churn-endpoint',
      ContentType: 'text/csv',
      InferenceId: 'abc',
    });
    const { records } = await storedRecords(adapters.store, r);
    expect(records).toEqual([
      expect.objectContaining({
        eventMetadata: {
          eventId: answer.headers['x-model-care-event-id'],
          inferenceId: 'abc',
          inferenceTime: '2026-03-01T10:15:30Z',
        },
      }),
    ]);
    expect(records[0]?.captureData.endpointOutput?.data).toBe('0.83');
  });

  test("passes the model's error status on without its message, and captures nothing", async () => {
    const r = route({ endpointName: `ep-${randomUUID().slice(0, 8)}` });
    runtime.on(InvokeEndpointCommand).rejects(
      new ModelError({
        message: 'secret input echoed',
        $metadata: {},
        OriginalStatusCode: 500,
        OriginalMessage: 'bad row 5,1,0',
      }),
    );
    const { handler, adapters } = api([r]);
    const answer = await handler(
      post(`/models/${r.model}/invocations`, '5,1,0', { 'content-type': 'text/csv' }),
    );
    expect(answer.statusCode).toBe(424);
    expect(answer.body).not.toContain('5,1,0');
    expect((await storedRecords(adapters.store, r)).records).toHaveLength(0);
  });

  test('refuses to proxy a model served elsewhere', async () => {
    const r = route({ invokeEndpoint: undefined });
    const answer = await api([r]).handler(
      post(`/models/${r.model}/invocations`, '1', { 'content-type': 'text/csv' }),
    );
    expect(answer.statusCode).toBe(404);
  });
});

describe('labels', () => {
  test('writes Model Monitor ground truth under the hour of arrival', async () => {
    const r = route();
    const { handler, adapters } = api([r]);
    const answer = await handler(
      post(`/models/${r.model}/labels`, {
        labels: [
          { eventId: 'e-1', label: 1 },
          { inferenceId: 'inf-2', label: 'no' },
        ],
      }),
    );
    expect(answer.statusCode).toBe(200);
    const keys: string[] = [];
    for await (const info of adapters.store.list(groundTruthPrefix(r.model))) keys.push(info.key);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^ground-truth/${r.model}/2026/03/01/10/15-30-250-`));
    const lines = (await adapters.store.getText(keys[0]!))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({
      groundTruthData: { data: '1', encoding: 'CSV' },
      eventMetadata: { eventId: 'e-1' },
    });
    expect(lines[1]).toMatchObject({
      groundTruthData: { data: 'no' },
      eventMetadata: { inferenceId: 'inf-2' },
    });
  });
});

describe('a burst through the batcher', () => {
  test('1,000 concurrent requests with 1 in 5 writes failing: every record stored once, in few objects', async () => {
    const r = route({ endpointName: `burst-${randomUUID().slice(0, 8)}`, samplingPercentage: 100 });
    const adapters = env.adapters();
    const flaky = failingPuts(adapters.store, 5);
    let t = NOW.getTime();
    const batcher = new CaptureBatcher({
      store: flaky,
      now: () => new Date(t++),
      newId: randomUUID,
      retry: fastRetry,
      maxRecords: 100,
      maxDelayMs: 20,
    });
    const { handler } = api([r], batcher, flaky);
    const answers = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        handler(
          post(`/models/${r.model}/records`, {
            records: [
              {
                request: { contentType: 'text/csv', data: `${i},${i % 7}` },
                response: { contentType: 'text/csv', data: `${i % 2}` },
              },
            ],
          }),
        ),
      ),
    );
    await batcher.close();

    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    const answered = answers.map(
      (a) => (JSON.parse(a.body) as { records: { eventId: string }[] }).records[0]?.eventId,
    );
    const { records, keys } = await storedRecords(adapters.store, r);
    const stored = records.map((x) => x.eventMetadata.eventId);
    expect(stored).toHaveLength(1000);
    expect(new Set(stored)).toEqual(new Set(answered));
    expect(flaky.failed()).toBeGreaterThan(0);
    // 1,000 requests, 10 objects: each flush took 100 records
    expect(keys.length).toBe(10);
    expect(batcher.objectsWritten).toBe(keys.length);
  });

  test('a caller is told of a write that failed for good, and its records were not half written', async () => {
    const r = route({ endpointName: `dead-${randomUUID().slice(0, 8)}` });
    const adapters = env.adapters();
    const batcher = new CaptureBatcher({
      store: failingPuts(adapters.store, 1),
      now: () => NOW,
      newId: randomUUID,
      retry: { ...fastRetry, maxAttempts: 3 },
      maxDelayMs: 5,
    });
    const { handler } = api([r], batcher, adapters.store);
    const answers = await Promise.all(
      [1, 2, 3].map((i) =>
        handler(
          post(`/models/${r.model}/records`, {
            records: [{ request: { contentType: 'text/csv', data: `${i}` }, response: CSV_ONE }],
          }),
        ),
      ),
    );
    await batcher.close();
    expect(answers.map((a) => a.statusCode)).toEqual([503, 503, 503]);
    expect((await storedRecords(adapters.store, r)).records).toHaveLength(0);
  });
});
