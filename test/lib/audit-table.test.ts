import { describe, expect, test } from 'vitest';
import { ENVIRONMENT } from '../../functions/shared/environment.ts';
import { AUDIT_TABLE } from '../../functions/shared/tables.ts';
import { resolveIntrinsics } from '../../local/step-functions/resolve-state-machine.ts';
import { synthConfig } from './support/synth-stack.ts';
import { actionsOn, logicalIdOf, statementsOf } from './support/template-queries.ts';

const { stack, json } = synthConfig('config/three-models.json');
const care = stack.care;
const resolved = (value: unknown): unknown => resolveIntrinsics(value, json);
const auditArn = resolved({ 'Fn::GetAtt': [logicalIdOf(care.tables.audit), 'Arn'] }) as string;
const variablesOf = (fn: Parameters<typeof logicalIdOf>[0]): Record<string, unknown> =>
  (json.Resources[logicalIdOf(fn)]!.Properties!.Environment as { Variables: Record<string, unknown> })
    .Variables;

describe('audit table', () => {
  test('is encrypted with the stack key, has point-in-time recovery and never expires items', () => {
    const table = json.Resources[logicalIdOf(care.tables.audit)]!.Properties!;
    expect(table.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(care.encryptionKey), 'Arn'] },
    });
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.TimeToLiveSpecification).toBeUndefined();
    expect(table.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
  });

  test(`is named by the ${AUDIT_TABLE.outputKey} output, which model-care audit --stack reads`, () => {
    const outputs = (json as unknown as { Outputs: Record<string, { Value: unknown }> }).Outputs;
    expect(outputs[AUDIT_TABLE.outputKey]?.Value).toEqual({ Ref: logicalIdOf(care.tables.audit) });
  });

  test.each([
    ['the admin API', () => care.adminApi.handler],
    ['the models seed', () => care.modelsSeed.handler],
  ])('%s may append and read, never update or delete, and knows the table', (_, fn) => {
    const actions = actionsOn(statementsOf(json, fn().role), auditArn);
    expect(actions.sort()).toEqual(['dynamodb:PutItem', 'dynamodb:Query']);
    expect(variablesOf(fn().function)[ENVIRONMENT.auditTable.key]).toEqual({
      Ref: logicalIdOf(care.tables.audit),
    });
  });
});
