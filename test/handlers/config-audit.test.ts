import { describe, expect, test } from 'vitest';
import { verifyChain } from '../../functions/shared/audit/audit-chain.ts';
import { ConfigError } from '../../functions/shared/config/config-error.ts';
import { useModelAdminWorld } from '../support/model-admin-world.ts';
import { modelInput } from '../support/model-fixtures.ts';

const world = useModelAdminWorld();
const ALICE = 'arn:aws:iam::123456789012:user/alice';
const BOB = 'arn:aws:iam::123456789012:user/bob';

const hex = (hash: string) => hash.replace(/^sha256:/, '');
const entries = async (model: string) =>
  (await world.audit().readChain(model)).map((r) => ('entry' in r ? r.entry : r));

describe('ModelAdmin: the audit trail of config changes', () => {
  test('records create, change, remove and recreate with who, why and the version and hash around each', async () => {
    // Prepare
    const admin = world.admin();

    // Act
    const created = await admin.put({ input: modelInput('churn'), source: 'body', principal: ALICE });
    const changed = await admin.put({
      input: modelInput('churn', { alerts: { cooldownMinutes: 120 } }),
      source: 'body',
      principal: BOB,
      expectedVersion: 1,
      reason: 'quieter alerts',
    });
    const removed = await admin.remove({
      name: 'churn',
      expectedVersion: 2,
      principal: ALICE,
      reason: 'retired',
    });
    const recreated = await admin.put({
      input: modelInput('churn'),
      source: 'body',
      principal: BOB,
      recreate: true,
    });

    // Assess
    const trail = await entries('churn');
    expect(trail.map((e) => ('action' in e ? [e.action, e.principal] : e))).toEqual([
      ['config.put', ALICE],
      ['config.put', BOB],
      ['config.removed', ALICE],
      ['config.put', BOB],
    ]);
    const [first, second, third, fourth] = trail as Extract<(typeof trail)[number], { action: string }>[];
    expect(first?.before).toBeNull();
    expect(first?.after).toEqual({ version: 1, configHash: hex(created.record.configHash), change: 'put' });
    expect(second?.before).toEqual({ version: 1, configHash: hex(created.record.configHash) });
    expect(second?.after).toEqual({ version: 2, configHash: hex(changed.record.configHash), change: 'put' });
    expect(second?.reason).toBe('quieter alerts');
    expect(third?.before).toEqual({ version: 2, configHash: hex(changed.record.configHash) });
    expect(third?.after).toBeNull();
    expect(third?.reason).toBe('retired');
    expect(removed.record.version).toBe(3);
    expect(fourth?.before).toBeNull();
    expect(fourth?.after).toEqual({
      version: 4,
      configHash: hex(recreated.record.configHash),
      change: 'recreate',
    });
    expect(verifyChain('churn', await world.audit().readChain('churn')).ok).toBe(true);
  });

  test('a put that changes nothing records nothing', async () => {
    const admin = world.admin();
    await admin.put({ input: modelInput('same'), source: 'body', principal: ALICE });

    const again = await admin.put({
      input: modelInput('same'),
      source: 'body',
      principal: ALICE,
      expectedVersion: 1,
    });

    expect(again.changed).toBe(false);
    expect(await entries('same')).toHaveLength(1);
  });

  test('rejects a config that does not validate without recording anything', async () => {
    const error = await world
      .admin()
      .put({ input: { ...modelInput('bad'), problemType: 'ranking' }, source: 'body', principal: ALICE })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConfigError);
    expect(await entries('bad')).toEqual([]);
  });
});
