import { GetRoleCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { describe, expect, test } from 'vitest';
import type { ModelRoles } from '../../functions/adapters/model-roles.ts';
import { ModelNotFoundError } from '../../functions/adapters/model-store.ts';
import type { ModelSubscriptions } from '../../functions/adapters/model-subscriptions.ts';
import { ModelSideEffectsError } from '../../functions/admin-api/model-side-effects.ts';
import { ConfigError } from '../../functions/shared/config/config-error.ts';
import type { ModelConfigInput } from '../../functions/shared/config/model-schema.ts';
import type { Severity } from '../../functions/shared/config/vocabulary.ts';
import { modelRoleNames } from '../../functions/shared/model-roles.ts';
import { useModelAdminWorld } from '../support/model-admin-world.ts';
import { modelInput, retraining, wideFeatures } from '../support/model-fixtures.ts';

const world = useModelAdminWorld();
const ALICE = 'arn:aws:iam::123456789012:user/alice';
const put = (input: unknown, extra: Partial<Parameters<ReturnType<typeof world.admin>['put']>[0]> = {}) =>
  world.admin().put({ input, source: 'body', principal: ALICE, ...extra });

const roleNames = async (): Promise<string[]> =>
  ((await world.iam().send(new ListRolesCommand({ PathPrefix: '/model-care/' }))).Roles ?? [])
    .map((r) => r.RoleName ?? '')
    .sort();
/** `protocol endpoint -> filter policy` of a severity's topic */
const subscriptions = async (severity: Severity): Promise<Record<string, string>> => {
  const out: Record<string, string> = {};
  const listed = await world
    .sns()
    .send(new ListSubscriptionsByTopicCommand({ TopicArn: world.topics[severity] }));
  for (const s of listed.Subscriptions ?? []) {
    const { Attributes } = await world
      .sns()
      .send(new GetSubscriptionAttributesCommand({ SubscriptionArn: s.SubscriptionArn }));
    out[`${s.Protocol} ${s.Endpoint}`] = JSON.stringify(JSON.parse(Attributes?.FilterPolicy ?? 'null'));
  }
  return out;
};
const withRecipients = (name: string, emails: string[], extra: Partial<ModelConfigInput> = {}) =>
  modelInput(name, { alerts: { warning: { emails } }, ...extra });

/** a port that fails its first `n` calls, then behaves: a throttled or briefly unreachable IAM or SNS */
const failingFirst = <T extends object>(port: T, n: number): T => {
  let calls = 0;
  return new Proxy(port, {
    get: (target, property) => {
      const value = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (calls++ < n) throw new Error('Rate exceeded');
        return value.apply(target, args);
      };
    },
  });
};

describe('ModelAdmin: put', () => {
  test('stores the config, creates its roles and subscribes its recipients, then records them applied', async () => {
    const outcome = await put(
      withRecipients('churn', ['alice@example.com'], {
        retraining: { ...retraining('churn'), approval: 'manual' },
      }),
    );

    expect(outcome.record).toMatchObject({ name: 'churn', version: 1, principal: ALICE, source: 'api' });
    expect(outcome.sideEffects).toMatchObject({ version: 1, applied: true });
    const names = modelRoleNames(world.settings(), 'churn');
    expect(await roleNames()).toEqual([names.access, names.training]);
    expect(await subscriptions('warning')).toEqual({ 'email alice@example.com': '{"model":["churn"]}' });
    expect((await world.store().get('churn')).current.appliedVersion).toBe(1);
  });

  test.each<[string, unknown, RegExp]>([
    [
      'a wrong type',
      { ...modelInput('churn'), problemType: 'ranking' },
      /^body: problemType: "ranking" is invalid/,
    ],
    ['a missing field', { ...modelInput('churn'), baseline: undefined }, /^body: baseline: is required/],
    [
      'an unknown field',
      { ...modelInput('churn'), colour: 'blue' },
      /^body: \(top level\): unknown field "colour"/,
    ],
    [
      'a bad principal',
      { ...modelInput('churn'), producers: { labels: ['alice'] } },
      /^body: producers\.labels\[0\]: "alice" is not an IAM principal ARN/,
    ],
    ['not an object', 'churn', /^body: \(top level\): "churn" is invalid/],
  ])('rejects %s in one line naming the field, storing and creating nothing', async (_, input, message) => {
    const error = await put(input).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
    await expect(world.store().get('churn')).rejects.toThrow(ModelNotFoundError);
    expect(await roleNames()).toEqual([]);
  });

  test('rejects automatic approval unless the label producers are named', async () => {
    const auto = (producers?: { labels?: string[] }) =>
      modelInput('churn', { retraining: { ...retraining('churn'), approval: 'auto' }, producers });

    await expect(put(auto())).rejects.toThrow(
      /^body: retraining\.approval: "auto" needs producers\.labels \(the principals allowed to send labels\)/,
    );
    await expect(put(auto({}))).rejects.toThrow(ConfigError);
    await expect(world.store().get('churn')).rejects.toThrow(ModelNotFoundError);

    const allowed = await put(auto({ labels: ['arn:aws:iam::123456789012:role/label-producer'] }));
    expect(allowed.record.config.producers?.labels).toEqual([
      'arn:aws:iam::123456789012:role/label-producer',
    ]);
  });

  test('rejects a model reading the capture of another active one, naming both; a removed one frees it', async () => {
    await put(modelInput('churn'));
    const twin = modelInput('twin', { capture: { endpointName: 'churn-endpoint' } });

    const error = await put(twin).catch((e: unknown) => e);

    expect((error as Error).message).toBe(
      'body: capture: model "twin" would read capture/churn-endpoint/AllTraffic/, which overlaps capture/churn-endpoint/AllTraffic/ of model "churn": give one of them its own capture.endpointName or capture.variantName',
    );
    await world.admin().remove({ name: 'churn', expectedVersion: 1, principal: ALICE });
    expect((await put(twin)).record.version).toBe(1);
  });

  test('rejects a config whose name is not the model addressed', async () => {
    await expect(put(modelInput('churn'), { name: 'fraud' })).rejects.toThrow(
      'body: name: "churn" does not match the model in the path ("fraud")',
    );
  });

  test('a model of 1,000 features goes through', async () => {
    const outcome = await put(modelInput('wide', { features: wideFeatures(1000) }));
    expect(outcome.record.config.features).toHaveLength(1000);
  });
});

describe('ModelAdmin: side effects', () => {
  test('a put whose roles failed is stored; the same put again converges and records them applied', async () => {
    const flaky = world.admin({ roles: failingFirst(world.roles(), 1) });

    const error = await flaky
      .put({ input: modelInput('churn'), source: 'body', principal: ALICE })
      .catch((e) => e);

    expect(error).toBeInstanceOf(ModelSideEffectsError);
    expect((error as Error).message).toBe(
      'model churn is stored as version 1, but its IAM roles could not be set up (Rate exceeded): send the same request again',
    );
    expect((await world.store().get('churn')).current).toMatchObject({ version: 1, appliedVersion: null });

    const retried = await flaky.put({ input: modelInput('churn'), source: 'body', principal: ALICE });

    expect(retried.changed).toBe(false);
    expect(retried.sideEffects.applied).toBe(true);
    expect(await roleNames()).toEqual([modelRoleNames(world.settings(), 'churn').access]);
    expect((await world.store().get('churn')).current.appliedVersion).toBe(1);
    expect((await put(modelInput('churn'))).sideEffects.applied).toBe(false);
  });

  test('recipients of a version whose subscriptions failed are retired by the next put', async () => {
    await put(withRecipients('churn', ['alice@example.com']));
    const flaky = world.admin({ subscriptions: failingFirst<ModelSubscriptions>(world.subscriptions(), 1) });
    await flaky
      .put({
        input: withRecipients('churn', ['bob@example.com']),
        source: 'body',
        principal: ALICE,
        expectedVersion: 1,
      })
      .catch(() => undefined);
    expect(await subscriptions('warning')).toEqual({ 'email alice@example.com': '{"model":["churn"]}' });

    await put(withRecipients('churn', ['carol@example.com']), { expectedVersion: 2 });

    expect(await subscriptions('warning')).toEqual({ 'email carol@example.com': '{"model":["churn"]}' });
  });

  test('remove deletes the roles and subscriptions and keeps the history; recreate brings them back', async () => {
    await put(withRecipients('churn', ['alice@example.com'], { retraining: retraining('churn') }));

    const removed = await world
      .admin()
      .remove({ name: 'churn', expectedVersion: 1, principal: ALICE, reason: 'retired' });

    expect(removed.record).toMatchObject({ version: 2, change: 'remove', reason: 'retired' });
    expect(await roleNames()).toEqual([]);
    expect(await subscriptions('warning')).toEqual({});
    expect((await world.admin().history('churn')).map((h) => h.change)).toEqual(['put', 'remove']);

    await put(withRecipients('churn', ['alice@example.com']), { recreate: true });

    expect(await subscriptions('warning')).toEqual({ 'email alice@example.com': '{"model":["churn"]}' });
    expect(await roleNames()).toEqual([modelRoleNames(world.settings(), 'churn').access]);
  });

  test('a retried removal whose side effects failed completes them', async () => {
    await put(modelInput('churn'));
    const flaky = world.admin({ roles: failingFirst<ModelRoles>(world.roles(), 1) });
    await expect(flaky.remove({ name: 'churn', expectedVersion: 1, principal: ALICE })).rejects.toThrow(
      ModelSideEffectsError,
    );
    const access = modelRoleNames(world.settings(), 'churn').access;
    expect((await world.iam().send(new GetRoleCommand({ RoleName: access }))).Role?.RoleName).toBe(access);

    const retried = await flaky.remove({ name: 'churn', expectedVersion: 1, principal: ALICE });

    expect(retried.changed).toBe(false);
    expect(await roleNames()).toEqual([]);
  });
});
