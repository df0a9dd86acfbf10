import { describe, expect, test } from 'vitest';
import * as z from 'zod';
import { makeDynamoModelStore } from '../../functions/adapters/dynamodb/dynamodb-model-store.ts';
import { makeCachedModelConfigSource } from '../../functions/adapters/model-config-source.ts';
import { makeModelAdmin } from '../../functions/admin-api/model-admin.ts';
import { readJobEvent } from '../../functions/handler-kit/job-event.ts';
import { makeLocalModelRoles, makeLocalModelSubscriptions } from '../../local/local-model-ports.ts';
import { useDynalite } from '../support/dynalite.ts';
import { modelInput } from '../support/model-fixtures.ts';
import { recordingLogger } from './support/fakes.ts';

// Events name the model (issue 16): a job reads the config from the models table on dynalite, a change put through
// ModelAdmin is used once the cached current version is a minute old, and an event naming a version gets that one.

const TABLE = 'mc-job-configs';
const dynalite = useDynalite([{ name: TABLE }]);
const ALICE = 'arn:aws:iam::123456789012:user/alice';
const MINUTE = 60_000;

const world = () => {
  const store = makeDynamoModelStore(TABLE, dynalite.current.documentClient);
  const admin = makeModelAdmin({
    store,
    roles: makeLocalModelRoles({ stackName: 'ModelCare', region: 'us-east-1', account: '123456789012' }),
    subscriptions: makeLocalModelSubscriptions(),
    logger: recordingLogger(),
  });
  let now = Date.parse('2026-12-08T00:00:00Z');
  const configs = makeCachedModelConfigSource(store, { now: () => now });
  return { admin, configs, advance: (ms: number) => (now += ms) };
};

const event = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  ...extra,
  trigger: {
    id: 'e-1',
    source: 'aws.events',
    detailType: 'Scheduled Event',
    time: '2026-12-08T00:00:00Z',
    detail: {},
  },
});

describe('job configs from the models table', () => {
  test('a changed config is used at the first invocation after the cache minute, a pinned version for good', async () => {
    // Prepare
    const { admin, configs, advance } = world();
    await admin.put({ input: modelInput('churn-a'), source: 'seed', principal: ALICE });
    const first = await readJobEvent(event('churn-a'), z.object({}), configs);
    await admin.put({
      input: modelInput('churn-a', { positiveLabel: 'yes' }),
      source: 'body',
      expectedVersion: 1,
      principal: ALICE,
    });

    // Act
    const cached = await readJobEvent(event('churn-a'), z.object({}), configs);
    advance(MINUTE);
    const next = await readJobEvent(event('churn-a'), z.object({}), configs);
    const pinned = await readJobEvent(event('churn-a', { configVersion: 1 }), z.object({}), configs);

    // Assess
    expect([first.configVersion, cached.configVersion, next.configVersion, pinned.configVersion]).toEqual([
      1, 1, 2, 1,
    ]);
    expect(next.model.positiveLabel).toBe('yes');
    expect(pinned.model.positiveLabel).toBe(first.model.positiveLabel);
  });

  test('rejects an event naming an unknown model, naming it', async () => {
    const { configs } = world();
    await expect(readJobEvent(event('nobody'), z.object({}), configs)).rejects.toThrow(/nobody/);
  });
});
