import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeDynamoModelStore } from '../../functions/adapters/dynamodb/dynamodb-model-store.ts';
import { makeS3ObjectStore } from '../../functions/adapters/s3/s3-object-store.ts';
import { captureVariantPrefix, groundTruthPrefix } from '../../functions/adapters/s3-layout.ts';
import { makeCaptureApiHandler } from '../../functions/capture-api/capture-api.ts';
import { CAPTURE_API_HANDLER } from '../../lib/constructs/capture-api.ts';
import { resolveIntrinsics } from '../../local/step-functions/resolve-state-machine.ts';
import { synthConfig } from '../lib/support/synth-stack.ts';
import { logicalIdOf } from '../lib/support/template-queries.ts';
import { useDynalite } from '../support/dynalite.ts';
import { functionUrlRequest } from '../support/function-url-event.ts';
import { useS3rver } from '../support/s3rver.ts';
import { RecordingMetrics, recordingLogger } from './support/fakes.ts';

/**
 * Per-model producers (issue 11.1), through the capture API's Lambda entry point loaded with the environment the
 * synthesized template gives it (config/three-models.json: churn names a records role and a labels role,
 * demand-forecast names none), writing to s3rver.
 */

const BUCKET = 'capture-store';
const s3 = useS3rver([BUCKET]);
// the handler reads each model's route from the models table, as deployed (the seed put the file's models there)
const MODELS_TABLE = 'models-table';
const dynamo = useDynalite([{ name: MODELS_TABLE }]);
const { stack, json } = synthConfig('config/three-models.json');

const SERVING = 'arn:aws:sts::123456789012:assumed-role/churn-serving/pod-7';
const LABELLING = 'arn:aws:sts::123456789012:assumed-role/churn-labelling/nightly';
const STRANGER = 'arn:aws:iam::123456789012:user/mallory';

type Handler = (event: unknown) => Promise<{ statusCode: number; body: string }>;
let handler: Handler;
const saved = { ...process.env };

beforeAll(async () => {
  const resource = json.Resources[logicalIdOf(stack.care.captureApi.handler.function)];
  const environment = resource?.Properties?.Environment as
    | { Variables?: Record<string, unknown> }
    | undefined;
  const variables = environment?.Variables ?? {};
  expect(Object.keys(variables)).toContain('MODEL_CARE_MODELS_TABLE');
  for (const [key, value] of Object.entries(variables))
    process.env[key] = typeof value === 'string' ? value : String(resolveIntrinsics(value, json));
  const models = makeDynamoModelStore(MODELS_TABLE, dynamo.current.documentClient);
  for (const model of stack.care.config.models) await models.put(model, { principal: 'cloudformation:test' });
  // the template's bucket is a Ref; here it is s3rver's, which the SDK reaches path-style (an IP endpoint)
  Object.assign(process.env, {
    MODEL_CARE_CAPTURE_BUCKET: BUCKET,
    MODEL_CARE_MODELS_TABLE: MODELS_TABLE,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.current.endpoint,
    AWS_ENDPOINT_URL_S3: s3.current.endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  });
  // demand-forecast streams (capture.transport); there is no Firehose emulator, and producers do not depend on the
  // transport: without the stream's name every record goes to s3rver directly (the stream path has its own test,
  // test/handlers/capture-stream.test.ts)
  delete process.env.MODEL_CARE_CAPTURE_STREAM_NAME;
  ({ handler } = (await import(pathToFileURL(CAPTURE_API_HANDLER).href)) as { handler: Handler });
}, 240_000);

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

const store = () => makeS3ObjectStore(BUCKET, s3.current.client);
const keysUnder = async (prefix: string): Promise<string[]> => {
  const keys: string[] = [];
  for await (const info of store().list(prefix)) keys.push(info.key);
  return keys;
};

const record = () => ({
  request: { contentType: 'text/csv', data: '12,70.5,month-to-month' },
  response: { contentType: 'text/csv', data: '0.31' },
  eventId: randomUUID(),
});
const postRecords = (model: string, principal: string | null) =>
  handler(
    functionUrlRequest('POST', `/models/${model}/records`, {
      principal,
      body: JSON.stringify({ records: [record()] }),
    }),
  );
const postLabels = (model: string, principal: string | null) =>
  handler(
    functionUrlRequest('POST', `/models/${model}/labels`, {
      principal,
      body: JSON.stringify({ labels: [{ eventId: randomUUID(), label: 1 }] }),
    }),
  );
const errorOf = (answer: { body: string }) => (JSON.parse(answer.body) as { error: string }).error;

describe('the capture API entry point with the template environment', () => {
  test('accepts records from a session of the configured records role and stores them', async () => {
    const before = (await keysUnder(captureVariantPrefix('churn-xgboost', 'AllTraffic'))).length;

    const answer = await postRecords('churn', SERVING);

    expect(answer.statusCode).toBe(200);
    expect(await keysUnder(captureVariantPrefix('churn-xgboost', 'AllTraffic'))).toHaveLength(before + 1);
  });

  test('accepts labels from a session of the configured labels role and stores them', async () => {
    const answer = await postLabels('churn', LABELLING);

    expect(answer.statusCode).toBe(200);
    expect((await keysUnder(groundTruthPrefix('churn'))).length).toBeGreaterThan(0);
  });

  test('rejects records from a caller the model does not name, with 403 and nothing stored', async () => {
    const before = await keysUnder('capture/');

    const answer = await postRecords('churn', STRANGER);

    expect(answer.statusCode).toBe(403);
    expect(errorOf(answer)).toBe(`${STRANGER} is not a producer of records for this model`);
    expect(await keysUnder('capture/')).toEqual(before);
  });

  test('rejects labels from the records producer: predictions do not vouch for ground truth', async () => {
    const before = await keysUnder(groundTruthPrefix('churn'));

    const answer = await postLabels('churn', SERVING);

    expect(answer.statusCode).toBe(403);
    expect(errorOf(answer)).toMatch(/is not a producer of labels for this model$/);
    expect(await keysUnder(groundTruthPrefix('churn'))).toEqual(before);
  });

  test('rejects a proxied invocation from the labels producer before any endpoint is called', async () => {
    const answer = await handler(
      functionUrlRequest('POST', '/models/churn/invocations', {
        principal: LABELLING,
        body: '12,70.5,month-to-month',
        headers: { 'content-type': 'text/csv' },
      }),
    );

    expect(answer.statusCode).toBe(403);
  });

  test('rejects labels without a signed caller for a model that restricts them', async () => {
    const answer = await postLabels('churn', null);

    expect(answer.statusCode).toBe(403);
    expect(errorOf(answer)).toBe('labels of this model need a signed caller (AWS_IAM auth)');
  });

  test('a model that names no producers keeps accepting any caller the Function URL admits', async () => {
    expect((await postRecords('demand-forecast', STRANGER)).statusCode).toBe(200);
    expect((await postLabels('demand-forecast', STRANGER)).statusCode).toBe(200);
  });
});

describe('a refused producer', () => {
  test('is logged with principal, model and kind (no payload) and counted as a metric', async () => {
    const logger = recordingLogger();
    const metrics = new RecordingMetrics();
    const now = new Date('2026-03-01T10:00:00Z');
    const api = makeCaptureApiHandler({
      routes: [
        {
          model: 'churn',
          endpointName: 'churn-xgboost',
          variantName: 'AllTraffic',
          samplingPercentage: 100,
          producers: { labels: ['arn:aws:iam::123456789012:role/churn-labelling'] },
        },
      ],
      sink: { write: async () => {} },
      store: store(),
      inference: { invokeEndpoint: async () => Promise.reject(new Error('not called')) },
      metrics,
      now: () => now,
      logger,
    });

    const answer = await api(
      functionUrlRequest('POST', '/models/churn/labels', {
        principal: SERVING,
        body: JSON.stringify({ labels: [{ eventId: 'secret-looking-id', label: 'forged' }] }),
      }),
    );

    expect(answer.statusCode).toBe(403);
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        message: 'producer refused',
        attributes: [{ principal: SERVING, model: 'churn', kind: 'labels' }],
      },
    ]);
    expect(JSON.stringify(logger.lines)).not.toMatch(/forged|secret-looking-id/);
    expect(metrics.refusals).toEqual([{ model: 'churn', at: now }]);
  });
});
