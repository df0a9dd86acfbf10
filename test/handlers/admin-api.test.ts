import { describe, expect, test } from 'vitest';
import type { ModelRoles } from '../../functions/adapters/model-roles.ts';
import { makeAdminApiHandler } from '../../functions/admin-api/admin-api.ts';
import { InvalidEventError } from '../../functions/handler-kit/invalid-event-error.ts';
import { functionUrlRequest } from '../support/function-url-event.ts';
import { useModelAdminWorld } from '../support/model-admin-world.ts';
import { modelInput } from '../support/model-fixtures.ts';
import { recordingLogger } from './support/fakes.ts';

const world = useModelAdminWorld();
const BOB = 'arn:aws:sts::123456789012:assumed-role/ml-platform/bob';

const api = (ports: { roles?: ModelRoles } = {}) => {
  const logger = recordingLogger();
  return Object.assign(makeAdminApiHandler({ admin: world.admin(ports), logger }), { logger });
};
type Options = Parameters<typeof functionUrlRequest>[2];
const call = async (method: string, path: string, options: Options = {}, handler = api()) => {
  const result = await handler(functionUrlRequest(method, path, options));
  return { ...result, json: JSON.parse(result.body) as Record<string, unknown> };
};
const putModel = (name: string, input: unknown, options: Options = {}) =>
  call('PUT', `/models/${name}`, { body: JSON.stringify(input), ...options });

describe('admin API: reading and writing models', () => {
  test('creates a model (201 with its version as etag), reads it back, lists it, and records who', async () => {
    const created = await putModel('churn', modelInput('churn'), {
      principal: BOB,
      query: 'reason=first%20cut',
    });

    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.json).toMatchObject({
      name: 'churn',
      version: 1,
      change: 'put',
      changed: true,
      status: 'active',
    });
    const got = await call('GET', '/models/churn');
    expect(got.statusCode).toBe(200);
    expect(got.headers.etag).toBe('"1"');
    expect(got.json).toMatchObject({ name: 'churn', version: 1, principal: BOB, reason: 'first cut' });
    expect((got.json.config as { features: unknown[] }).features).toHaveLength(2);
    const listed = await call('GET', '/models');
    expect((listed.json.models as { name: string }[]).map((m) => m.name)).toEqual(['churn']);
    const history = await call('GET', '/models/churn/history');
    expect(history.json.history).toEqual([
      expect.objectContaining({ version: 1, principal: BOB, source: 'api' }),
    ]);
  });

  test('changes a model with if-match, refuses a stale or missing one with the current version', async () => {
    await putModel('churn', modelInput('churn'));
    const changed = modelInput('churn', { thresholds: { comparisonThreshold: 0.2 } });

    const updated = await putModel('churn', changed, { headers: { 'if-match': '"1"' } });
    const stale = await putModel('churn', modelInput('churn', { thresholds: { comparisonThreshold: 0.3 } }), {
      headers: { 'if-match': '1' },
    });
    const blind = await putModel('churn', modelInput('churn', { thresholds: { comparisonThreshold: 0.3 } }));

    expect(updated.statusCode).toBe(200);
    expect(updated.json).toMatchObject({ version: 2, changedPaths: ['thresholds.comparisonThreshold'] });
    expect(stale.statusCode).toBe(409);
    expect(stale.json).toEqual({
      error: 'model churn changed since version 1 (now 2): get it again',
      currentVersion: 2,
      status: 'active',
    });
    expect(blind.statusCode).toBe(409);
    expect(blind.json.currentVersion).toBe(2);
    expect((await call('GET', '/models/churn', { query: 'version=1' })).json).toMatchObject({ version: 1 });
    expect((await call('GET', '/models/churn')).json).toMatchObject({ version: 2 });
  });

  test('an identical put is answered 200 unchanged, whatever version it names', async () => {
    await putModel('churn', modelInput('churn'));

    const again = await putModel('churn', modelInput('churn'), { headers: { 'if-match': '7' } });

    expect(again.statusCode).toBe(200);
    expect(again.json).toMatchObject({ version: 1, changed: false });
  });

  test.each<[string, string, Options, number, RegExp]>([
    [
      'an invalid config',
      'churn',
      { body: JSON.stringify({ ...modelInput('churn'), features: [] }) },
      400,
      /^body: features: \[\] /,
    ],
    ['a body that is not JSON', 'churn', { body: '{"name":' }, 400, /^body: is not JSON$/],
    [
      'a config for another model',
      'fraud',
      { body: JSON.stringify(modelInput('churn')) },
      400,
      /does not match the model in the path/,
    ],
    [
      'a bad if-match',
      'churn',
      { body: JSON.stringify(modelInput('churn')), headers: { 'if-match': 'latest' } },
      400,
      /^headers\.if-match: /,
    ],
    [
      'a name that is not a model name',
      'Churn_Model',
      { body: JSON.stringify(modelInput('Churn_Model')) },
      400,
      /^body: name: "Churn_Model" must be 1-32 characters/,
    ],
    ['a bad percent-encoding', '%E0%A4%A', { body: '{}' }, 400, /^path: /],
  ])('rejects %s in one line, storing nothing', async (_, name, options, status, message) => {
    const response = await call('PUT', `/models/${name}`, options);

    expect(response.statusCode).toBe(status);
    expect(response.json.error).toMatch(message);
    expect((await call('GET', '/models', { query: 'all=true' })).json.models).toEqual([]);
  });

  test('accepts a base64-encoded body, as Function URLs deliver some', async () => {
    const response = await putModel('churn', modelInput('churn'), { base64: true });
    expect(response.statusCode).toBe(201);
  });
});

describe('admin API: removal', () => {
  test('removes with if-match; the model then answers 410 while its history and versions stay readable', async () => {
    await putModel('churn', modelInput('churn'));

    const unguarded = await call('DELETE', '/models/churn');
    const removed = await call('DELETE', '/models/churn', {
      headers: { 'if-match': '"1"' },
      query: 'reason=retired',
    });

    expect(unguarded.statusCode).toBe(428);
    expect(removed.statusCode).toBe(200);
    expect(removed.json).toMatchObject({ version: 2, change: 'remove', status: 'removed' });
    const gone = await call('GET', '/models/churn');
    expect(gone.statusCode).toBe(410);
    expect(gone.json.removedVersion).toBe(2);
    expect((await call('GET', '/models/churn', { query: 'version=1' })).statusCode).toBe(200);
    expect((await call('GET', '/models/churn/history')).json.history).toHaveLength(2);
    expect((await call('GET', '/models')).json.models).toEqual([]);
    expect((await call('GET', '/models', { query: 'all=true' })).json.models).toEqual([
      expect.objectContaining({ name: 'churn', status: 'removed' }),
    ]);
    expect((await putModel('churn', modelInput('churn'))).statusCode).toBe(410);

    const recreated = await putModel('churn', modelInput('churn'), { query: 'recreate=true' });

    expect(recreated.statusCode).toBe(201);
    expect(recreated.json).toMatchObject({ version: 3, change: 'recreate' });
  });

  test.each([
    ['GET', '/models/nope'],
    ['GET', '/models/nope/history'],
  ])('answers 404 for an unknown model: %s %s', async (method, path) => {
    const response = await call(method, path);
    expect(response.statusCode).toBe(404);
    expect(response.json.error).toBe('unknown model nope');
  });

  test('answers 404 for removing an unknown model', async () => {
    expect((await call('DELETE', '/models/nope', { headers: { 'if-match': '1' } })).statusCode).toBe(404);
  });
});

describe('admin API: the edges', () => {
  test.each([
    ['POST', '/models', 405, 'GET'],
    ['PATCH', '/models/churn', 405, 'GET, PUT, DELETE'],
    ['PUT', '/models/churn/history', 405, 'GET'],
  ])('answers %s %s with %i and the allowed methods', async (method, path, status, allow) => {
    const response = await call(method, path, { body: '{}' });
    expect(response.statusCode).toBe(status);
    expect(response.headers.allow).toBe(allow);
  });

  test('answers 404 for a path it does not serve', async () => {
    expect((await call('GET', '/elsewhere')).statusCode).toBe(404);
  });

  test('refuses a request without a caller identity (a Function URL without AWS_IAM auth)', async () => {
    const handler = api();
    const response = await call(
      'PUT',
      '/models/churn',
      { principal: null, body: JSON.stringify(modelInput('churn')) },
      handler,
    );

    expect(response.statusCode).toBe(403);
    expect(handler.logger.lines.map((l) => l.message)).toContain(
      'admin request without a caller identity refused',
    );
    expect((await call('GET', '/models', { query: 'all=true' })).json.models).toEqual([]);
  });

  test('fails on a malformed Lambda event, naming the field', async () => {
    const error = await api()({ rawPath: 7 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toMatch(/^event\.rawPath: /);
  });

  test('answers 503 retryable when the roles could not be made, and the same request again succeeds', async () => {
    let calls = 0;
    const roles = world.roles();
    const flaky: ModelRoles = {
      ensure: async (config) => {
        if (calls++ === 0) throw new Error('Rate exceeded');
        return roles.ensure(config);
      },
      remove: (name) => roles.remove(name),
    };
    const handler = api({ roles: flaky });

    const first = await call('PUT', '/models/churn', { body: JSON.stringify(modelInput('churn')) }, handler);
    const second = await call('PUT', '/models/churn', { body: JSON.stringify(modelInput('churn')) }, handler);

    expect(first.statusCode).toBe(503);
    expect(first.json).toMatchObject({ version: 1, retryable: true });
    expect(String(first.json.error)).toContain('its IAM roles could not be set up');
    expect(second.statusCode).toBe(200);
    expect(second.json).toMatchObject({ version: 1, changed: false, sideEffects: { applied: true } });
  });
});
