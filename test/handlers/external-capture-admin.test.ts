import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { describe, expect, test } from 'vitest';
import { INLINE_POLICY_NAME } from '../../functions/adapters/iam/iam-model-roles.ts';
import { ModelNotFoundError } from '../../functions/adapters/model-store.ts';
import { modelRoleNames } from '../../functions/shared/model-roles.ts';
import { useModelAdminWorld } from '../support/model-admin-world.ts';
import { modelInput } from '../support/model-fixtures.ts';

// `models put` of a model whose capture SageMaker already writes to another bucket (issue 10): the access role's
// inline policy as IAM (moto) stores it, and the capture-folder rule against the stored fleet
const world = useModelAdminWorld();
const ALICE = 'arn:aws:iam::123456789012:user/alice';
const KEY = 'arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const put = (input: unknown) => world.admin().put({ input, source: 'body', principal: ALICE });

interface Statement {
  Sid: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
}

const inlineStatements = async (roleName: string): Promise<Statement[]> => {
  const { PolicyDocument } = await world
    .iam()
    .send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: INLINE_POLICY_NAME }));
  // IAM returns the document URL-encoded
  return JSON.parse(decodeURIComponent(PolicyDocument ?? '{}')).Statement;
};

describe("models put: capture in the endpoint owner's bucket", () => {
  test('gives the access role reads of exactly that folder and kms:Decrypt on exactly that key', async () => {
    // Act
    await put(modelInput('churn', { capture: { s3Uri: 's3://acme-capture/datacapture', kmsKeyArn: KEY } }));

    // Assess: the policy IAM holds, not the one the code meant to write
    const statements = await inlineStatements(modelRoleNames(world.settings(), 'churn').access);
    const captureGrants = statements.filter((s) => JSON.stringify(s.Resource).includes('acme-capture'));
    expect(captureGrants).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Resource: expect.arrayContaining([
          'arn:aws:s3:::acme-capture/datacapture/churn-endpoint/AllTraffic/*',
        ]),
      }),
      expect.objectContaining({
        Action: 's3:ListBucket',
        Resource: 'arn:aws:s3:::acme-capture',
        Condition: { StringLike: { 's3:prefix': ['datacapture/churn-endpoint/AllTraffic/*'] } },
      }),
    ]);
    const read = captureGrants[0]?.Resource as string[];
    expect(read.filter((r) => r.includes('acme-capture'))).toEqual([
      'arn:aws:s3:::acme-capture/datacapture/churn-endpoint/AllTraffic/*',
    ]);
    const kms = statements.filter((s) => JSON.stringify(s.Action).includes('kms:'));
    expect(kms).toEqual([expect.objectContaining({ Action: 'kms:Decrypt', Resource: KEY })]);
  });

  test('rejects a model reading the same folder of another bucket as an active one, naming both', async () => {
    await put(modelInput('churn', { capture: { s3Uri: 's3://acme-capture/datacapture' } }));
    const twin = modelInput('twin', {
      capture: { s3Uri: 's3://acme-capture/datacapture/', endpointName: 'churn-endpoint' },
    });

    const error = await put(twin).catch((e: unknown) => e);

    expect((error as Error).message).toBe(
      'body: capture: model "twin" would read s3://acme-capture/datacapture/churn-endpoint/AllTraffic/, which ' +
        'overlaps s3://acme-capture/datacapture/churn-endpoint/AllTraffic/ of model "churn": give one of them its ' +
        'own capture.endpointName or capture.variantName',
    );
    await expect(world.store().get('twin')).rejects.toThrow(ModelNotFoundError);
  });

  test('the same endpoint read from the stack bucket and from another bucket are two folders', async () => {
    await put(modelInput('churn'));

    const elsewhere = await put(
      modelInput('churn-mirror', {
        capture: { s3Uri: 's3://acme-capture/datacapture', endpointName: 'churn-endpoint' },
      }),
    );

    expect(elsewhere.record.version).toBe(1);
  });
});
