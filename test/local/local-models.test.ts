import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TABLES } from '../../functions/shared/tables.ts';
import {
  type DynamoEmulator,
  type S3Emulator,
  startDynamoEmulator,
  startS3Emulator,
} from '../../local/emulators.ts';
import type { FunctionUrlServer } from '../../local/function-url-server.ts';
import { LOCAL_PRINCIPAL } from '../../local/function-url-server.ts';
import { type LocalModels, seedLocalModels } from '../../local/runtime/local-models.ts';
import { type LocalStack, synthesizeLocalStack } from '../../local/runtime/local-stack.ts';
import { serveAdminApi } from '../../local/runtime/serve-local-apis.ts';
import { LOCAL_CONFIG } from '../../local/scenario/run-scenario.ts';
import { recordingLogger } from '../handlers/support/fakes.ts';
import { modelInput } from '../support/model-fixtures.ts';
import { tempDir } from '../support/run-cli.ts';
import { runCliAsync } from '../support/run-cli-async.ts';

/**
 * The local twin's models as data: `npm start`'s deploy step (the seed handler on the template's environment and
 * custom resource, the asset on s3rver, the table on dynalite) and `npm start -- --serve`'s admin API, driven by
 * the real `model-care models` binary.
 */
let stack: LocalStack;
let s3: S3Emulator;
let dynamo: DynamoEmulator;
let models: LocalModels;
let server: FunctionUrlServer;
let dir: string;
const SEEDED = 'seattle-rain';

beforeAll(async () => {
  stack = synthesizeLocalStack(LOCAL_CONFIG);
  s3 = await startS3Emulator();
  dynamo = await startDynamoEmulator({
    tables: (Object.keys(TABLES) as (keyof typeof TABLES)[]).map((name) => ({
      name: stack.ids.tables[name],
    })),
  });
  models = await seedLocalModels(stack, { s3, dynamo }, recordingLogger());
  server = await serveAdminApi(models, recordingLogger());
  dir = tempDir('model-care-local-models-');
}, 240_000);
afterAll(async () => {
  await server?.stop();
  await s3?.stop();
  await dynamo?.stop();
});

const cli = (...args: string[]) => runCliAsync(['models', ...args, '--url', server.url]);
const file = (name: string, content: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe('the twin seeds the config file models', { timeout: 120_000 }, () => {
  test('the seed answers CloudFormation with one model created', () => {
    expect(models.seeded.Data).toMatchObject({ created: 1, updated: 0, removed: 0 });
  });

  test('list and get show the seeded model as the deploy wrote it, with its config-file source', async () => {
    const listed = await cli('list', '--json');
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(listed.stdout).models).toEqual([
      expect.objectContaining({
        name: SEEDED,
        version: 1,
        status: 'active',
        source: 'config-file',
        updatedBy: `cloudformation:${stack.config.stackName}`,
      }),
    ]);
    const got = await cli('get', SEEDED, '--config');
    expect(got.code).toBe(0);
    // the stored config is the file's model, defaults resolved (what the asset carries)
    const asset = JSON.parse(readFileSync(stack.modelsFile, 'utf8')) as { models: unknown[] };
    expect(JSON.parse(got.stdout)).toEqual(asset.models[0]);
  });
});

// each test spawns the binary a few times; on a loaded machine a spawn takes seconds
describe('model-care models against the twin', { timeout: 240_000 }, () => {
  test('put, get, list and remove a model; history keeps who did what', async () => {
    const created = await cli('put', '--file', file('fraud.json', modelInput('fraud')));
    expect(created).toMatchObject({ code: 0, stdout: 'fraud: created as version 1\n', stderr: '' });
    const changed = file('fraud2.json', modelInput('fraud', { thresholds: { comparisonThreshold: 0.2 } }));
    expect((await cli('put', '--file', changed, '--expect-version', '1')).stdout).toBe(
      'fraud: updated as version 2; changed thresholds.comparisonThreshold\n',
    );
    const got = JSON.parse((await cli('get', 'fraud', '--json')).stdout);
    expect(got.config.thresholds.comparisonThreshold).toBe(0.2);

    const removed = await cli('remove', 'fraud', '--expect-version', '2', '--reason', 'retired');
    expect(removed.code).toBe(0);
    const active = JSON.parse((await cli('list', '--json')).stdout).models.map(
      (m: { name: string }) => m.name,
    );
    expect(active).toEqual([SEEDED]);
    const all = JSON.parse((await cli('list', '--all', '--json')).stdout).models;
    expect(all).toContainEqual(expect.objectContaining({ name: 'fraud', status: 'removed' }));
    const history = JSON.parse((await cli('history', 'fraud', '--json')).stdout).history;
    expect(history.map((h: { change: string; principal: string }) => [h.change, h.principal])).toEqual([
      ['put', LOCAL_PRINCIPAL],
      ['put', LOCAL_PRINCIPAL],
      ['remove', LOCAL_PRINCIPAL],
    ]);
  });

  test('rejects an invalid config with exit 2 and one line naming the field; nothing is stored', async () => {
    const bad = file('bad.json', { ...modelInput('scoring'), problemType: 'ranking' });
    const result = await cli('put', '--file', bad);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/problemType/);
    const all = JSON.parse((await cli('list', '--all', '--json')).stdout).models;
    expect(all.map((m: { name: string }) => m.name)).not.toContain('scoring');
    expect((await cli('get', 'scoring')).code).toBe(2);
  });

  test('rejects a stale --expect-version with the current version; the stored config stays', async () => {
    const path = file('rain.json', JSON.parse((await cli('get', SEEDED, '--config')).stdout));
    const first = await cli('put', '--file', path, '--expect-version', '1', '--reason', 'no-op');
    expect(first.code).toBe(0);
    const edited = JSON.parse(readFileSync(path, 'utf8'));
    edited.thresholds.comparisonThreshold = 0.3;
    expect((await cli('put', '--file', file('rain2.json', edited), '--expect-version', '1')).code).toBe(0);
    edited.thresholds.comparisonThreshold = 0.4;
    const stale = await cli('put', '--file', file('rain3.json', edited), '--expect-version', '1');
    expect(stale.code).toBe(2);
    expect(stale.stderr).toBe(`model-care: model ${SEEDED} changed since version 1 (now 2): get it again\n`);
    const stored = JSON.parse((await cli('get', SEEDED, '--json')).stdout);
    expect(stored.version).toBe(2);
    expect(stored.config.thresholds.comparisonThreshold).toBe(0.3);
  });
});
