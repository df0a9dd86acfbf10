import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  accessPolicy,
  accessTrustPolicy,
  type PolicyDocument,
  repositoryArn,
  trainingPolicy,
  trainingTrustPolicy,
} from '../../functions/adapters/iam/model-role-policies.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import {
  type ModelRoleSettings,
  modelRoleSettingsSchema,
} from '../../functions/shared/model-role-settings.ts';
import { modelRoleArn, modelRoleNames, stackHash6 } from '../../functions/shared/model-roles.ts';
import { model, retraining } from '../support/model-fixtures.ts';

const settings: ModelRoleSettings = modelRoleSettingsSchema.parse({
  stackName: 'ModelCare',
  region: 'eu-west-1',
  account: '111122223333',
  permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/model-care-boundary',
  trustedRoleArns: [
    'arn:aws:iam::111122223333:role/ModelCare-DataJobRole',
    'arn:aws:iam::111122223333:role/ModelCare-RetrainingRole',
  ],
  accessPolicyArns: ['arn:aws:iam::111122223333:policy/model-care-access-abac'],
});

const statement = (doc: PolicyDocument, sid: string) => doc.Statement.find((s) => s.Sid === sid);
const sids = (doc: PolicyDocument) => doc.Statement.map((s) => s.Sid);

describe('model role names', () => {
  test('live under the stack path, carry a hash of region and stack, and fit IAM for the longest model name', () => {
    const longest = 'a'.repeat(32);
    const names = modelRoleNames(settings, longest);

    expect(names.path).toBe('/model-care/ModelCare/');
    expect(names.access).toBe(`mc-${stackHash6(settings)}-${longest}-access`);
    expect(names.training.length).toBeLessThanOrEqual(64);
    expect(stackHash6(settings)).toMatch(/^[0-9a-f]{6}$/);
    expect(stackHash6({ ...settings, region: 'us-east-1' })).not.toBe(stackHash6(settings));
    expect(modelRoleArn(settings, names.access)).toBe(
      `arn:aws:iam::111122223333:role/model-care/ModelCare/${names.access}`,
    );
  });
});

describe('trust policies', () => {
  test('the access role trusts exactly the stack roles that run jobs and retraining', () => {
    expect(accessTrustPolicy(settings).Statement).toEqual([
      {
        Sid: 'ModelCareJobs',
        Effect: 'Allow',
        Principal: { AWS: settings.trustedRoleArns },
        Action: 'sts:AssumeRole',
      },
    ]);
  });

  test('the training role trusts SageMaker on behalf of this account only', () => {
    expect(trainingTrustPolicy(settings).Statement).toEqual([
      {
        Sid: 'SageMaker',
        Effect: 'Allow',
        Principal: { Service: 'sagemaker.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } },
      },
    ]);
  });
});

describe('the access policy', () => {
  test('reads the baseline object and the channel folders exactly, listing only their prefixes', () => {
    const doc = accessPolicy(model('churn', { retraining: retraining('churn') }), settings);

    expect(statement(doc, 'ReadModelData')).toEqual({
      Sid: 'ReadModelData',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: [
        'arn:aws:s3:::example-ml-data/churn/baseline/train.csv',
        'arn:aws:s3:::example-ml-data/churn/baseline/train.csv/*',
        'arn:aws:s3:::example-ml-data/churn/train/*',
        'arn:aws:s3:::example-ml-data/churn/validation/*',
      ],
    });
    expect(statement(doc, 'ListModelData1')).toEqual({
      Sid: 'ListModelData1',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::example-ml-data',
      Condition: {
        StringLike: {
          's3:prefix': [
            'churn/baseline/train.csv',
            'churn/baseline/train.csv/*',
            'churn/train/*',
            'churn/validation/*',
          ],
        },
      },
    });
  });

  test('lists a whole bucket without a prefix condition, and each bucket in a statement of its own', () => {
    const doc = accessPolicy(
      model('churn', {
        baseline: { datasetUri: 's3://whole-bucket' },
        retraining: {
          ...retraining('churn'),
          inputChannels: [{ name: 'train', s3Uri: 's3://other-data/t/' }],
        },
      }),
      settings,
    );

    expect(statement(doc, 'ReadModelData')?.Resource).toEqual([
      'arn:aws:s3:::other-data/t/*',
      'arn:aws:s3:::whole-bucket/*',
    ]);
    expect(statement(doc, 'ListModelData1')).toMatchObject({
      Resource: 'arn:aws:s3:::other-data',
      Condition: { StringLike: { 's3:prefix': ['t/*'] } },
    });
    expect(statement(doc, 'ListModelData2')).toEqual({
      Sid: 'ListModelData2',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::whole-bucket',
    });
  });

  test('reads capture in its own bucket only under the folder the jobs read, and decrypts only with its key', () => {
    const key = 'arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const doc = accessPolicy(
      model('churn', { capture: { s3Uri: 's3://acme-capture/datacapture', kmsKeyArn: key } }),
      settings,
    );

    expect(statement(doc, 'ReadModelData')?.Resource).toEqual([
      'arn:aws:s3:::acme-capture/datacapture/churn-endpoint/AllTraffic/*',
      'arn:aws:s3:::example-ml-data/churn/baseline/train.csv',
      'arn:aws:s3:::example-ml-data/churn/baseline/train.csv/*',
    ]);
    expect(statement(doc, 'ListModelData1')).toEqual({
      Sid: 'ListModelData1',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::acme-capture',
      Condition: { StringLike: { 's3:prefix': ['datacapture/churn-endpoint/AllTraffic/*'] } },
    });
    expect(statement(doc, 'DecryptCapture')).toEqual({
      Sid: 'DecryptCapture',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: key,
    });
    // nothing else in the document names the capture bucket or a key, and nothing writes
    const named = JSON.stringify(
      doc.Statement.filter((s) => !['ReadModelData', 'ListModelData1'].includes(s.Sid)),
    );
    expect(named).not.toContain('acme-capture');
    expect(doc.Statement.filter((s) => JSON.stringify(s.Action).includes('kms:'))).toHaveLength(1);
    expect(JSON.stringify(doc)).not.toMatch(/s3:(Put|Delete)/);
  });

  test('grants no capture bucket and no key to a model reading the stack bucket', () => {
    const doc = accessPolicy(model('churn'), settings);

    expect(statement(doc, 'DecryptCapture')).toBeUndefined();
    expect(JSON.stringify(doc)).not.toContain('capture');
  });

  test('names its own endpoint, in the lower case of SageMaker ARNs', () => {
    const doc = accessPolicy(model('churn', { endpoint: { name: 'Churn-XGBoost' } }), settings);

    expect(statement(doc, 'OwnEndpoint')).toEqual({
      Sid: 'OwnEndpoint',
      Effect: 'Allow',
      Action: ['sagemaker:DescribeEndpoint', 'sagemaker:InvokeEndpoint', 'sagemaker:UpdateEndpoint'],
      Resource: 'arn:aws:sagemaker:eu-west-1:111122223333:endpoint/churn-xgboost',
    });
  });

  test('creates SageMaker resources named after the model only, and passes only its own training role', () => {
    const doc = accessPolicy(model('churn', { retraining: retraining('churn') }), settings);

    expect(statement(doc, 'OwnSageMakerResources')?.Resource).toEqual([
      'arn:aws:sagemaker:eu-west-1:111122223333:training-job/churn-*',
      'arn:aws:sagemaker:eu-west-1:111122223333:model/churn-*',
      'arn:aws:sagemaker:eu-west-1:111122223333:endpoint-config/churn-*',
      'arn:aws:sagemaker:eu-west-1:111122223333:transform-job/churn-*',
    ]);
    expect(statement(doc, 'PassOwnTrainingRole')).toEqual({
      Sid: 'PassOwnTrainingRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: modelRoleArn(settings, modelRoleNames(settings, 'churn').training),
      Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    });
  });

  test('lets SageMaker be granted the keys of a promoted endpoint config, and only through SageMaker', () => {
    const promoted = accessPolicy(
      model('churn', { endpoint: { name: 'churn-xgboost' }, retraining: retraining('churn') }),
      settings,
    );
    const monitoredOnly = accessPolicy(model('churn', { endpoint: { name: 'churn-xgboost' } }), settings);

    expect(statement(promoted, 'GrantLiveConfigKeysToSageMaker')).toEqual({
      Sid: 'GrantLiveConfigKeysToSageMaker',
      Effect: 'Allow',
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:ViaService': 'sagemaker.eu-west-1.amazonaws.com' },
        Bool: { 'kms:GrantIsForAWSResource': 'true' },
      },
    });
    // a model that is only monitored creates no endpoint config: no grant
    expect(statement(monitoredOnly, 'GrantLiveConfigKeysToSageMaker')).toBeUndefined();
  });

  test('a model without retraining or endpoint gets its data and nothing else', () => {
    const doc = accessPolicy(model('plain', { endpoint: undefined }), settings);

    expect(sids(doc)).toEqual(['ReadModelData', 'ListModelData1']);
  });

  test('for any model name, no SageMaker or IAM resource reaches beyond that model', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9]{0,10}(-[a-z0-9]{1,10})?$/), (name) => {
        const doc = accessPolicy(model(name, { retraining: retraining(name) }), settings);
        const resources = doc.Statement.flatMap((s) => [s.Resource ?? []].flat());
        for (const resource of resources.filter((r) => r.startsWith('arn:aws:sagemaker'))) {
          expect(resource).toMatch(new RegExp(`/(${name}-\\*|${name}-endpoint)$`));
        }
        for (const resource of resources.filter((r) => r.startsWith('arn:aws:iam'))) {
          expect(resource.endsWith(`-${name}-training`)).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('the training policy', () => {
  const config = model('churn', {
    retraining: {
      ...retraining('churn'),
      inferenceImage: `111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/churn-serve@sha256:${'a'.repeat(64)}`,
    },
  }) as ModelConfig & { retraining: NonNullable<ModelConfig['retraining']> };

  test('pulls exactly the training and inference repositories', () => {
    expect(statement(trainingPolicy(config, settings), 'PullOwnImages')?.Resource).toEqual([
      'arn:aws:ecr:eu-west-1:111122223333:repository/team/churn-serve',
      'arn:aws:ecr:us-east-1:683313688378:repository/sagemaker-xgboost',
    ]);
    expect(repositoryArn('683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1', 'aws')).toBe(
      'arn:aws:ecr:us-east-1:683313688378:repository/sagemaker-xgboost',
    );
  });

  test("writes the logs of the model's own jobs and endpoint only", () => {
    const logs = 'arn:aws:logs:eu-west-1:111122223333:log-group:/aws/sagemaker';
    expect(statement(trainingPolicy(config, settings), 'OwnLogs')?.Resource).toEqual([
      `${logs}/TrainingJobs:*`,
      `${logs}/TransformJobs:*`,
      `${logs}/Endpoints/churn-endpoint:*`,
      `${logs}/TrainingJobs:log-stream:churn-*`,
      `${logs}/TransformJobs:log-stream:churn-*`,
      `${logs}/Endpoints/churn-endpoint:log-stream:*`,
    ]);
  });

  test('puts metrics only in SageMaker namespaces; the one unscoped action is the ECR login', () => {
    const doc = trainingPolicy(config, settings);
    expect(statement(doc, 'SageMakerMetrics')?.Condition).toEqual({
      StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' },
    });
    expect(doc.Statement.filter((s) => s.Resource === '*' && !s.Condition).map((s) => s.Action)).toEqual([
      'ecr:GetAuthorizationToken',
    ]);
  });
});
