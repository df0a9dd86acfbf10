import { capturePrefix } from '../../shared/config/capture-folders.ts';
import type { ModelConfig } from '../../shared/config/model-schema.ts';
import type { ModelRoleSettings } from '../../shared/model-role-settings.ts';
import { modelRoleArn, modelRoleNames, type StackIdentity } from '../../shared/model-roles.ts';
import { parseS3Uri } from '../../shared/s3-uri.ts';

/**
 * The IAM documents of a model's roles, generated from its config: every resource is the model's own (its
 * datasets, its endpoint, SageMaker resources named `<model>-*`, its training role), never a wildcard over
 * other models. The stack bucket's prefixes come from the ABAC managed policies the stack attaches
 * (settings.accessPolicyArns / trainingPolicyArns), not from here.
 */

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Principal?: { AWS?: string[]; Service?: string };
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: PolicyStatement[];
}

const document = (statements: PolicyStatement[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements,
});

const identity = (settings: ModelRoleSettings): StackIdentity => settings;

export const accessTrustPolicy = (settings: ModelRoleSettings): PolicyDocument =>
  document([
    {
      Sid: 'ModelCareJobs',
      Effect: 'Allow',
      Principal: { AWS: [...settings.trustedRoleArns] },
      Action: 'sts:AssumeRole',
    },
  ]);

/** SageMaker, and only on behalf of this account (the confused-deputy guard) */
export const trainingTrustPolicy = (settings: ModelRoleSettings): PolicyDocument =>
  document([
    {
      Sid: 'SageMaker',
      Effect: 'Allow',
      Principal: { Service: 'sagemaker.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': settings.account } },
    },
  ]);

/**
 * Object and ListBucket grants for dataset URIs. A URI is an object or a folder (the baseline job reads either):
 * `s3://b/data.csv` grants `data.csv` and `data.csv/*`, never `data.csv.bak`; `s3://b/dir/` grants `dir/*`.
 */
const readStatements = (partition: string, uris: readonly string[]): PolicyStatement[] => {
  const byBucket = new Map<string, { objects: Set<string>; prefixes: Set<string> | null }>();
  for (const uri of uris) {
    const { bucket, key } = parseS3Uri(uri, 'dataset');
    const entry = byBucket.get(bucket) ?? { objects: new Set<string>(), prefixes: new Set<string>() };
    byBucket.set(bucket, entry);
    const keys = key === '' ? ['*'] : key.endsWith('/') ? [`${key}*`] : [key, `${key}/*`];
    for (const k of keys) entry.objects.add(`arn:${partition}:s3:::${bucket}/${k}`);
    // the whole bucket: ListBucket without a prefix condition; else the same keys as prefixes
    if (key === '') entry.prefixes = null;
    else for (const k of keys) entry.prefixes?.add(k);
  }
  if (byBucket.size === 0) return [];
  const buckets = [...byBucket.entries()].sort(([a], [b]) => a.localeCompare(b));
  return [
    {
      Sid: 'ReadModelData',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: buckets.flatMap(([, entry]) => [...entry.objects]).sort(),
    },
    ...buckets.map(
      ([bucket, entry], i): PolicyStatement => ({
        Sid: `ListModelData${i + 1}`,
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: `arn:${partition}:s3:::${bucket}`,
        ...(entry.prefixes ? { Condition: { StringLike: { 's3:prefix': [...entry.prefixes].sort() } } } : {}),
      }),
    ),
  ];
};

const sageMakerArn = (settings: ModelRoleSettings, resource: string, name: string): string =>
  // SageMaker spells resource names in lower case in its ARNs
  `arn:${settings.partition}:sagemaker:${settings.region}:${settings.account}:${resource}/${name.toLowerCase()}`;

/** the SageMaker resource types retraining creates, each named `<model>-<execution>` */
const OWN_SAGEMAKER_RESOURCES = ['training-job', 'model', 'endpoint-config', 'transform-job'] as const;

/** the access role's inline policy: exactly this model's data, key, endpoint and SageMaker resources */
export const accessPolicy = (model: ModelConfig, settings: ModelRoleSettings): PolicyDocument => {
  const capture = model.capture;
  const uris = [
    // capture elsewhere (issue 10): exactly the folder the jobs read, `<s3Uri>/<endpoint>/<variant>/`
    ...(capture.s3Uri ? [capturePrefix(model)] : []),
    model.baseline.datasetUri,
    ...(model.retraining?.inputChannels.map((channel) => channel.s3Uri) ?? []),
  ];
  const statements = readStatements(settings.partition, uris);
  if (capture.kmsKeyArn) {
    statements.push({
      Sid: 'DecryptCapture',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: capture.kmsKeyArn,
    });
  }
  if (model.endpoint) {
    statements.push({
      Sid: 'OwnEndpoint',
      Effect: 'Allow',
      Action: ['sagemaker:DescribeEndpoint', 'sagemaker:InvokeEndpoint', 'sagemaker:UpdateEndpoint'],
      Resource: sageMakerArn(settings, 'endpoint', model.endpoint.name),
    });
  }
  if (model.retraining) {
    statements.push({
      Sid: 'OwnSageMakerResources',
      Effect: 'Allow',
      Action: [
        'sagemaker:AddTags',
        'sagemaker:CreateEndpointConfig',
        'sagemaker:CreateModel',
        'sagemaker:CreateTrainingJob',
        'sagemaker:CreateTransformJob',
        'sagemaker:DescribeEndpointConfig',
        'sagemaker:DescribeModel',
        'sagemaker:DescribeTrainingJob',
        'sagemaker:DescribeTransformJob',
        'sagemaker:StopTrainingJob',
        'sagemaker:StopTransformJob',
        // UpdateEndpoint authorizes on the endpoint config too: the ones this model's retraining named
        'sagemaker:UpdateEndpoint',
      ],
      Resource: OWN_SAGEMAKER_RESOURCES.map((type) => sageMakerArn(settings, type, `${model.name}-*`)),
    });
    if (model.endpoint) {
      // promotion copies the live endpoint config, KMS keys included (its KmsKeyId, its capture key): SageMaker
      // then needs a grant on them from the caller. Which keys a live config names is known only at run time, so
      // the grant is bounded by how it is made instead: through SageMaker, for an AWS resource only.
      statements.push({
        Sid: 'GrantLiveConfigKeysToSageMaker',
        Effect: 'Allow',
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:ViaService': `sagemaker.${settings.region}.amazonaws.com` },
          Bool: { 'kms:GrantIsForAWSResource': 'true' },
        },
      });
    }
    statements.push({
      Sid: 'PassOwnTrainingRole',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: modelRoleArn(identity(settings), modelRoleNames(settings, model.name).training),
      Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    });
  }
  return document(statements);
};

/** the ECR repository ARN of `<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag|@digest]` */
export const repositoryArn = (image: string, partition: string): string => {
  const [host = '', ...path] = image.split('/');
  const [account, , , region] = host.split('.');
  const repository = path.join('/').replace(/[:@].*$/, '');
  return `arn:${partition}:ecr:${region}:${account}:repository/${repository}`;
};

/** the training role's inline policy: pull its images, write its jobs' logs and SageMaker's metrics */
export const trainingPolicy = (
  model: ModelConfig & { retraining: NonNullable<ModelConfig['retraining']> },
  settings: ModelRoleSettings,
): PolicyDocument => {
  const images = [
    model.retraining.trainingImage,
    model.retraining.inferenceImage ?? model.retraining.trainingImage,
  ];
  const logGroup = (name: string) =>
    `arn:${settings.partition}:logs:${settings.region}:${settings.account}:log-group:/aws/sagemaker/${name}`;
  const jobGroups = ['TrainingJobs', 'TransformJobs'].map(logGroup);
  const endpointGroup = model.endpoint ? [logGroup(`Endpoints/${model.endpoint.name}`)] : [];
  return document([
    {
      Sid: 'PullOwnImages',
      Effect: 'Allow',
      Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      Resource: [...new Set(images.map((image) => repositoryArn(image, settings.partition)))].sort(),
    },
    // GetAuthorizationToken has no resource-level permissions
    { Sid: 'EcrLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    {
      Sid: 'OwnLogs',
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      Resource: [
        ...[...jobGroups, ...endpointGroup].map((group) => `${group}:*`),
        // SageMaker names a job's streams after the job: `<model>-<execution>/algo-1-...`
        ...jobGroups.map((group) => `${group}:log-stream:${model.name}-*`),
        ...endpointGroup.map((group) => `${group}:log-stream:*`),
      ],
    },
    // PutMetricData has no resource-level permissions; the namespace condition keeps it to SageMaker's metrics
    {
      Sid: 'SageMakerMetrics',
      Effect: 'Allow',
      Action: 'cloudwatch:PutMetricData',
      Resource: '*',
      Condition: { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } },
    },
  ]);
};
