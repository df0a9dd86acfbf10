import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ModelRoles } from '../../functions/adapters/model-roles.ts';
import { makeAdminApiHandler } from '../../functions/admin-api/admin-api.ts';
import { type FunctionUrlServer, startFunctionUrlServer } from '../../local/function-url-server.ts';
import { recordingLogger } from '../handlers/support/fakes.ts';
import { useModelAdminWorld } from '../support/model-admin-world.ts';
import { modelInput } from '../support/model-fixtures.ts';
import { tempDir } from '../support/run-cli.ts';
import { runCliAsync } from '../support/run-cli-async.ts';
import { sigV4Authenticator } from '../support/sigv4-verifier.ts';

// the CLI signs with the default credential chain: vitest's environment gives it access key "test", secret "test"
const CALLER = 'arn:aws:iam::123456789012:user/test';
const world = useModelAdminWorld();
let server: FunctionUrlServer;
let requests = 0;
let dir: string;

const serve = async (roles?: ModelRoles) => {
  await server?.stop();
  const handler = makeAdminApiHandler({ admin: world.admin({ roles }), logger: recordingLogger() });
  server = await startFunctionUrlServer(
    async (event) => {
      requests++;
      return handler(event);
    },
    { authenticate: sigV4Authenticator({ test: 'test' }) },
  );
};

beforeEach(async () => {
  requests = 0;
  dir = tempDir('model-care-models-');
  await serve();
});
afterEach(async () => {
  await server.stop();
});

const file = (name: string, content: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
};
/** a model put straight through the service, to set the scene without a CLI run */
const seed = (input: unknown, expectedVersion?: number) =>
  world.admin().put({ input, source: 'test', principal: CALLER, expectedVersion });
const cli = (...args: string[]) => runCliAsync(['models', ...args, '--url', server.url]);

// every step spawns the real binary (tsx loads the whole CLI each time): about 30 s for the longest test on a
// quiet machine, over 60 s on the shared 2-core one
describe('model-care models, end to end against the admin API', { timeout: 180_000 }, () => {
  test('put creates, put --expect-version changes, get/list/history show who did what', async () => {
    const created = await cli(
      'put',
      '--file',
      file('churn.json', modelInput('churn')),
      '--reason',
      'first cut, v1',
    );
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toBe('churn: created as version 1\n');

    const changed = file('churn2.json', modelInput('churn', { thresholds: { comparisonThreshold: 0.2 } }));
    const updated = await cli('put', '--file', changed, '--expect-version', '1');
    expect(updated.stdout).toBe('churn: updated as version 2; changed thresholds.comparisonThreshold\n');

    const listed = await cli('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(
      /^NAME\s+VERSION\s+STATUS\s+UPDATED\s+BY\s+SOURCE\s+APPLIED$/,
    );
    expect(listed.stdout).toMatch(
      new RegExp(`^churn\\s+2\\s+active\\s+\\S+\\s+${CALLER}\\s+api\\s+yes$`, 'm'),
    );

    const history = await cli('history', 'churn', '--json');
    expect(JSON.parse(history.stdout).history).toEqual([
      expect.objectContaining({ version: 1, principal: CALLER, reason: 'first cut, v1' }),
      expect.objectContaining({
        version: 2,
        principal: CALLER,
        changedPaths: ['thresholds.comparisonThreshold'],
      }),
    ]);

    const old = await cli('get', 'churn', '--version', '1', '--config');
    expect(JSON.parse(old.stdout).thresholds.comparisonThreshold).toBe(0.1);
    const shown = await cli('get', 'churn');
    expect(shown.stdout).toMatch(/^version\s+2$/m);
    expect(shown.stdout).toMatch(/^capture\s+capture\/churn-endpoint\/AllTraffic\/$/m);
  });

  test.each<[string, () => string[], RegExp]>([
    [
      'an invalid config',
      () => ['--file', file('bad.json', { ...modelInput('churn'), problemType: 'ranking' })],
      /^model-care: .*bad\.json: problemType: "ranking" is invalid/,
    ],
    ['a file that is not JSON', () => ['--file', file('bad.json', '{"name": ')], /bad\.json: is not JSON/],
    ['a missing file', () => ['--file', join(dir, 'nope.json')], /nope\.json: no such file\n$/],
    [
      'auto approval without label producers',
      () => [
        '--file',
        file('auto.json', {
          ...modelInput('churn'),
          retraining: {
            trainingImage: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
            inputChannels: [{ name: 'train', s3Uri: 's3://example-ml-data/churn/train/' }],
            approval: 'auto',
          },
        }),
      ],
      /auto\.json: retraining\.approval: "auto" needs producers\.labels/,
    ],
  ])('put rejects %s with exit 2 and one line, sending nothing', async (_, args, message) => {
    const result = await cli('put', ...args());

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(requests).toBe(0);
  });

  test('a stale or missing --expect-version is refused with the current version; nothing changes', async () => {
    await seed(modelInput('churn'));
    await seed(modelInput('churn', { positiveLabel: 'yes' }), 1);
    const third = file('c3.json', modelInput('churn', { positiveLabel: 'true' }));

    const stale = await cli('put', '--file', third, '--expect-version', '1');
    const blind = await cli('put', '--file', third);

    expect(stale.code).toBe(2);
    expect(stale.stderr).toBe('model-care: model churn changed since version 1 (now 2): get it again\n');
    expect(blind.code).toBe(2);
    expect(blind.stderr).toBe(
      'model-care: model churn already exists at version 2: pass --expect-version 2 to change it\n',
    );
    expect(JSON.parse((await cli('get', 'churn', '--config')).stdout).positiveLabel).toBe('yes');
  });

  test('remove needs the version; the removed model is then gone for get, kept in history, back with --recreate', async () => {
    const path = file('churn.json', modelInput('churn'));
    await seed(modelInput('churn'));

    const unguarded = await cli('remove', 'churn');
    const removed = await cli('remove', 'churn', '--expect-version', '1', '--reason', 'retired');
    const gone = await cli('get', 'churn');
    const history = await cli('history', 'churn');
    const recreated = await cli('put', '--file', path, '--recreate');

    expect(unguarded.code).toBe(2);
    expect(unguarded.stderr).toContain("required option '--expect-version <n>' not specified");
    expect(removed).toMatchObject({ code: 0, stdout: 'churn: removed (version 2)\n' });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toBe(
      'model-care: model churn was removed (version 2): put it with recreate to reuse the name\n',
    );
    expect(history.stdout).toMatch(/^2\s+remove\s+\S+\s+\S+\s+api\s+retired\s+-$/m);
    expect(recreated.stdout).toBe('churn: recreated as version 3\n');
  });

  test('an unknown model exits 2; an unreachable URL exits 2; a server-side failure exits 70', async () => {
    const unknown = await cli('get', 'nope');
    expect(unknown).toMatchObject({ code: 2, stderr: 'model-care: unknown model nope\n' });

    const url = server.url;
    await server.stop();
    const unreachable = await runCliAsync(['models', 'list', '--url', url]);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(
      /^model-care: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\n$/,
    );

    await serve({ ensure: async () => Promise.reject(new Error('Rate exceeded')), remove: async () => {} });
    const failed = await cli('put', '--file', file('churn.json', modelInput('churn')));
    expect(failed.code).toBe(70);
    expect(failed.stderr).toContain(
      'its IAM roles could not be set up (Rate exceeded): send the same request again',
    );
  });

  test('requests are SigV4-signed for lambda: with the wrong secret the API answers 403 and the CLI exits 2', async () => {
    const result = await runCliAsync(['models', 'list', '--url', server.url], {
      AWS_SECRET_ACCESS_KEY: 'wrong',
    });

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^model-care: not allowed: /);
    expect(requests).toBe(0);
  });

  test('--stack finds the admin API in the stack outputs (CloudFormation on moto)', async () => {
    const cfn = new CloudFormationClient(world.moto.clientConfig);
    const template = (outputs: Record<string, unknown>) =>
      JSON.stringify({ Resources: { Topic: { Type: 'AWS::SNS::Topic' } }, Outputs: outputs });
    await cfn.send(
      new CreateStackCommand({
        StackName: 'ModelCare',
        TemplateBody: template({ AdminApiUrl: { Value: server.url } }),
      }),
    );
    await cfn.send(new CreateStackCommand({ StackName: 'Older', TemplateBody: template({}) }));
    const env = { AWS_ENDPOINT_URL_CLOUDFORMATION: world.moto.endpoint };
    await seed(modelInput('churn'));

    const listed = await runCliAsync(['models', 'list', '--stack', 'ModelCare', '--json'], env);
    const older = await runCliAsync(['models', 'list', '--stack', 'Older'], env);
    const missing = await runCliAsync(['models', 'list', '--stack', 'Nope'], env);
    const neither = await runCliAsync(['models', 'list']);

    expect(JSON.parse(listed.stdout).models.map((m: { name: string }) => m.name)).toEqual(['churn']);
    expect(older).toMatchObject({ code: 2 });
    expect(older.stderr).toContain('stack Older has no AdminApiUrl output');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^model-care: --stack Nope: cannot read its outputs \(ValidationError: /);
    expect(neither).toMatchObject({ code: 2 });
    expect(neither.stderr).toContain('give --stack <name>');
  });
});
