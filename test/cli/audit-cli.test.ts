import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, test } from 'vitest';
import type { AuditInput } from '../../functions/adapters/audit-log.ts';
import { makeDocumentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import {
  auditPartition,
  auditSort,
  makeDynamoAuditLog,
} from '../../functions/adapters/dynamodb/dynamodb-audit-log.ts';
import { AUDIT_TABLE } from '../../functions/shared/tables.ts';
import { useDynalite } from '../support/dynalite.ts';
import type { CliResult } from '../support/run-cli.ts';
import { runCliAsync } from '../support/run-cli-async.ts';
import { useMotoServer } from '../support/use-moto-server.ts';

const TABLE = 'twin-audit';
const dynalite = useDynalite([{ name: TABLE }]);
const moto = useMotoServer();

const T0 = new Date('2026-11-20T10:00:00.000Z');
const hoursAfter = (h: number) => new Date(T0.getTime() + h * 3_600_000);

const promote = (model: string, champion: number, reason: string): AuditInput => ({
  model,
  action: 'model.promoted',
  principal: 'arn:aws:sts::123456789012:assumed-role/approver/li',
  reason,
  before: { champion: champion - 1 },
  after: { champion, execution: `exec-${champion}` },
});

const seed = async (model: string, n: number, ddb = dynalite.current.documentClient, table = TABLE) => {
  const log = makeDynamoAuditLog(table, ddb);
  for (let i = 1; i <= n; i++) await log.append(promote(model, i + 1, `promotion ${i}`), hoursAfter(i));
};

const twin = () => ['--table', TABLE, '--endpoint-url', dynalite.current.endpoint];

/** exit 2, one line, no stack trace */
const expectOneLineError = (result: CliResult, pattern: RegExp) => {
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
};

describe('model-care audit (against a local twin table on dynalite)', () => {
  test('lists a model entries oldest first, with who, why, before and after', async () => {
    await seed('listed', 3);
    const result = await runCliAsync(['audit', '--model', 'listed', ...twin()]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      '#1  2026-11-20T11:00:00.000Z  model.promoted  by arn:aws:sts::123456789012:assumed-role/approver/li',
    );
    expect(lines[1]).toBe('    why:    promotion 1');
    expect(lines[2]).toBe('    before: {"champion":1}');
    expect(lines[3]).toBe('    after:  {"champion":2,"execution":"exec-2"}');
    expect(lines.filter((l) => l.startsWith('#')).map((l) => l.split(' ')[0])).toEqual(['#1', '#2', '#3']);
  });

  test('--since and --json: the entries from then on, as JSON with their hashes', async () => {
    await seed('since', 4);
    const result = await runCliAsync([
      'audit',
      'list',
      '--model',
      'since',
      '--since',
      hoursAfter(3).toISOString(),
      '--json',
      ...twin(),
    ]);
    expect(result.code).toBe(0);
    const entries = JSON.parse(result.stdout) as { seq: number; hash: string; prevHash: string }[];
    expect(entries.map((e) => e.seq)).toEqual([3, 4]);
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
  });

  test('verify: an intact chain exits 0 and prints the head to anchor later', async () => {
    await seed('intact', 5);
    const result = await runCliAsync(['audit', 'verify', '--model', 'intact', ...twin()]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /audit chain of model intact: 5 entries verify; head entry 5 at 2026-11-20T15:00:00.000Z/,
    );
    const anchor = /--anchor (\d+:[0-9a-f]{64})/.exec(result.stdout)![1]!;
    const again = await runCliAsync(['audit', 'verify', '--model', 'intact', '--anchor', anchor, ...twin()]);
    expect(again.code).toBe(0);
  });

  test('verify fails with exit 2 naming the first bad entry of a tampered chain', async () => {
    await seed('tampered', 5);
    await dynalite.current.documentClient.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: auditPartition('tampered'), sk: auditSort(3) },
        UpdateExpression: 'SET reason = :r',
        ExpressionAttributeValues: { ':r': 'nothing happened\u001b[2J' },
      }),
    );
    const result = await runCliAsync(['audit', 'verify', '--model', 'tampered', ...twin()]);
    expectOneLineError(
      result,
      /^model-care: audit chain of model tampered is broken at entry 3 \(2026-11-20T13:00:00.000Z model.promoted\): content does not match its hash \(edited\); entries 1-2 verify$/,
    );
    // the listing still shows it, without the terminal escape it carries
    const listing = await runCliAsync(['audit', '--model', 'tampered', ...twin()]);
    expect(listing.stdout).toContain('why:    nothing happened?[2J');
  });

  test('verify --json prints the verdict and still exits 2 for a broken chain', async () => {
    await seed('json-broken', 2);
    await dynalite.current.documentClient.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: auditPartition('json-broken'), sk: auditSort(1) },
        UpdateExpression: 'SET principal = :p',
        ExpressionAttributeValues: { ':p': 'someone' },
      }),
    );
    const result = await runCliAsync(['audit', 'verify', '--model', 'json-broken', '--json', ...twin()]);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, firstBad: { seq: 1 } });
  });

  test('fails with exit 2 when a recorded anchor is gone', async () => {
    await seed('anchored', 2);
    const result = await runCliAsync([
      'audit',
      'verify',
      '--model',
      'anchored',
      '--anchor',
      `2:${'e'.repeat(64)}`,
      ...twin(),
    ]);
    expectOneLineError(
      result,
      /broken at entry 2: the anchor's hash eeeeeeeeeeee\.\.\. is no longer entry 2's/,
    );
  });

  test.each<[string, string[], RegExp]>([
    ['no target', ['audit', '--model', 'm'], /--table NAME or --stack NAME/],
    ['both targets', ['audit', '--model', 'm', '--table', 't', '--stack', 's'], /not both/],
    ['no model', ['audit', 'verify', '--table', 't'], /required option '--model <name>'/],
    [
      'a bad --since',
      ['audit', '--model', 'm', '--table', 't', '--since', 'yesterday'],
      /"yesterday" is neither/,
    ],
    [
      'a bad --anchor',
      ['audit', 'verify', '--model', 'm', '--table', 't', '--anchor', '3:abc'],
      /is not SEQ:HASH/,
    ],
  ])('rejects %s with exit 2', async (_what, args, pattern) => {
    const result = await runCliAsync(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(pattern);
  });

  test('rejects a table that does not exist, in one line', async () => {
    const result = await runCliAsync([
      'audit',
      '--model',
      'm',
      '--table',
      'nope',
      '--endpoint-url',
      dynalite.current.endpoint,
    ]);
    expectOneLineError(result, /^model-care: --table nope: not found \(check the name and the region\)$/);
  });

  test('rejects an endpoint nobody answers on, in one line', async () => {
    const result = await runCliAsync([
      'audit',
      '--model',
      'm',
      '--table',
      TABLE,
      '--endpoint-url',
      'http://127.0.0.1:9',
    ]);
    expectOneLineError(result, /cannot reach the AWS endpoint \(ECONNREFUSED\)/);
  });
});

describe('model-care audit --stack (a deployed stack, on moto)', () => {
  const clients = () => {
    const config = { endpoint: moto.current.endpoint, region: 'us-east-1' };
    return { cfn: new CloudFormationClient(config), ddb: makeDocumentClient(new DynamoDBClient(config)) };
  };

  const template = (tableName: string, withOutput: boolean) =>
    JSON.stringify({
      Resources: {
        [AUDIT_TABLE.id]: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            TableName: tableName,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [
              { AttributeName: 'pk', AttributeType: 'S' },
              { AttributeName: 'sk', AttributeType: 'S' },
            ],
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'sk', KeyType: 'RANGE' },
            ],
          },
        },
      },
      ...(withOutput ? { Outputs: { [AUDIT_TABLE.outputKey]: { Value: { Ref: AUDIT_TABLE.id } } } } : {}),
    });

  test('finds the table through the stack output and verifies its chain', async () => {
    const { cfn, ddb } = clients();
    await cfn.send(
      new CreateStackCommand({ StackName: 'care-prod', TemplateBody: template('care-prod-audit', true) }),
    );
    await seed('served', 3, ddb, 'care-prod-audit');
    const args = ['--stack', 'care-prod', '--endpoint-url', moto.current.endpoint, '--region', 'us-east-1'];
    const listed = await runCliAsync(['audit', '--model', 'served', '--json', ...args]);
    expect(listed.stderr).toBe('');
    expect((JSON.parse(listed.stdout) as unknown[]).length).toBe(3);
    const verified = await runCliAsync(['audit', 'verify', '--model', 'served', ...args]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('3 entries verify');
  });

  test('rejects a stack without the audit output, and a stack that does not exist', async () => {
    const { cfn } = clients();
    await cfn.send(
      new CreateStackCommand({ StackName: 'care-old', TemplateBody: template('care-old-audit', false) }),
    );
    const args = ['--endpoint-url', moto.current.endpoint, '--region', 'us-east-1'];
    expectOneLineError(
      await runCliAsync(['audit', '--model', 'm', '--stack', 'care-old', ...args]),
      /^model-care: --stack care-old: the stack has no AuditTableName output/,
    );
    expectOneLineError(
      await runCliAsync(['audit', '--model', 'm', '--stack', 'care-missing', ...args]),
      /^model-care: --stack care-missing: no such stack/,
    );
  });
});
