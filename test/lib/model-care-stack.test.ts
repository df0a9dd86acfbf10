import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import type { ModelConfigInput } from '../../functions/shared/config/model-schema.ts';
import { ENVIRONMENT, readEnvironment, TOPIC_VARIABLES } from '../../functions/shared/environment.ts';
import { DETAIL_TYPES, EVENT_SOURCE, type ModelJobInput } from '../../functions/shared/events.ts';
import type { RetrainingExecutionInput } from '../../functions/shared/retraining-contract.ts';
import { STORE_PREFIXES } from '../../functions/shared/store-layout.ts';
import { TABLE_KEYS } from '../../functions/shared/tables.ts';
import { ModelCare } from '../../lib/model-care.ts';
import { type InputTransformer, renderRuleInput } from '../../local/events/render-rule-input.ts';
import { resolveIntrinsics } from '../../local/step-functions/resolve-state-machine.ts';
import { synthConfig, testApp } from './support/synth-stack.ts';
import { actionsOn, allows, logicalIdOf, resourcesOf, statementsOf } from './support/template-queries.ts';

const { stack, template, json } = synthConfig('config/model-care.json');
const care = stack.care;
const resolved = (value: unknown): string => resolveIntrinsics(value, json) as string;
const bucket = resolved({ Ref: logicalIdOf(care.store.bucket) });
const objects = (prefix: keyof typeof STORE_PREFIXES): string =>
  `arn:aws:s3:::${bucket}/${STORE_PREFIXES[prefix]}*`;
const ref = (construct: Parameters<typeof logicalIdOf>[0]) => ({ Ref: logicalIdOf(construct) });
const arnOf = (construct: Parameters<typeof logicalIdOf>[0]) => ({
  'Fn::GetAtt': [logicalIdOf(construct), 'Arn'],
});

const ruleOf = (construct: Parameters<typeof logicalIdOf>[0]) => json.Resources[logicalIdOf(construct)]!;
const targetOf = (construct: Parameters<typeof logicalIdOf>[0]) =>
  (ruleOf(construct).Properties!.Targets as Array<Record<string, unknown>>)[0]!;

describe('capture store', () => {
  test('is KMS-encrypted with a bucket key, versioned, private, SSL-only and logs its access', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: arnOf(care.encryptionKey),
            },
            BucketKeyEnabled: true,
          },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { DestinationBucketName: ref(care.store.accessLogs) },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(care.store.bucket),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('moves capture to infrequent access and expires it as the config says', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: 'capture/',
            Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
            ExpirationInDays: 365,
          }),
          Match.objectLike({ Prefix: 'quarantine/', ExpirationInDays: 90 }),
        ]),
      },
    });
  });
});

describe('results tables', () => {
  test.each([
    ['runs', false],
    ['metrics', true],
    ['registry', false],
    ['state', true],
  ] as const)(
    '%s: pk/sk, point-in-time recovery, encryption, TTL only where the key design has one',
    (name, ttl) => {
      const table = json.Resources[logicalIdOf(care.tables.tables[name])]!.Properties!;
      expect(table.KeySchema).toEqual([
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ]);
      expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(table.SSESpecification).toEqual({ SSEEnabled: true });
      expect(table.TimeToLiveSpecification).toEqual(
        ttl ? { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true } : undefined,
      );
    },
  );
});

describe('house functions', () => {
  test('every function is arm64 on Node.js 24 with tracing, JSON logs in its own log group and Powertools env', () => {
    const all = template.findResources('AWS::Lambda::Function');
    // the Provider framework's relay (the models seed custom resource) is CDK's own function, not a house one
    const provider = logicalIdOf(
      care.modelsSeed.node.findChild('Provider').node.findChild('framework-onEvent'),
    );
    const functions = Object.fromEntries(Object.entries(all).filter(([id]) => id !== provider));
    expect(Object.keys(functions).length).toBe(Object.keys(all).length - 1);
    for (const [id, fn] of Object.entries(functions)) {
      const props = fn.Properties;
      expect(props.Architectures, id).toEqual(['arm64']);
      expect(props.Runtime, id).toBe('nodejs24.x');
      expect(props.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(props.LoggingConfig.LogFormat, id).toBe('JSON');
      expect(props.LoggingConfig.LogGroup, id).toEqual({ Ref: expect.stringMatching(/Logs/) });
      expect(props.Environment.Variables, id).toMatchObject({
        [ENVIRONMENT.serviceName.key]: 'model-care',
        [ENVIRONMENT.metricsNamespace.key]: 'ModelCare',
      });
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });
});

describe('least privilege', () => {
  // IAM allows nothing narrower than * for these actions; everything else must name its resources
  const UNSCOPABLE = new Set([
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    'xray:GetSamplingRules',
    'xray:GetSamplingTargets',
    'cloudwatch:GetMetricData',
    'logs:CreateLogDelivery',
    'logs:GetLogDelivery',
    'logs:UpdateLogDelivery',
    'logs:DeleteLogDelivery',
    'logs:ListLogDeliveries',
    'logs:PutResourcePolicy',
    'logs:DescribeResourcePolicies',
    'logs:DescribeLogGroups',
    'sagemaker:ListTags',
    'ecr:GetAuthorizationToken',
    'cloudwatch:PutMetricData',
  ]);

  test('no role holds a resource * except for actions that cannot be scoped', () => {
    const policies = Object.values(json.Resources).filter((r) => r.Type === 'AWS::IAM::Policy');
    expect(policies.length).toBeGreaterThan(10);
    for (const policy of policies) {
      const document = resolveIntrinsics(policy.Properties?.PolicyDocument, json) as {
        Statement: Array<{ Action: string | string[]; Resource: unknown }>;
      };
      for (const statement of document.Statement) {
        if (![statement.Resource].flat().includes('*')) continue;
        for (const action of [statement.Action].flat()) expect(UNSCOPABLE, action).toContain(action);
      }
    }
  });

  test('only the quality job may read CloudWatch metrics (operational health)', () => {
    const readers = [care.captureApi.handler, ...Object.values(care.jobs.functions)].filter((fn) =>
      statementsOf(json, fn.role).some((s) => [s.Action].flat().includes('cloudwatch:GetMetricData')),
    );
    expect(readers).toEqual([care.jobs.functions.quality]);
  });
});

describe('capture API', () => {
  test('sits behind a Function URL with IAM auth', () => {
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'AWS_IAM',
      TargetFunctionArn: arnOf(care.captureApi.handler.function),
    });
  });

  test('knows every model route and may invoke only the configured endpoint and write capture and labels', () => {
    const env = json.Resources[logicalIdOf(care.captureApi.handler.function)]!.Properties!.Environment as {
      Variables: Record<string, string>;
    };
    expect(readEnvironment(['captureRoutes'], env.Variables).captureRoutes).toEqual([
      {
        model: 'churn',
        endpointName: 'churn-xgboost',
        variantName: 'AllTraffic',
        samplingPercentage: 100,
        invokeEndpoint: 'churn-xgboost',
      },
    ]);
    const statements = statementsOf(json, care.captureApi.handler.role);
    expect(actionsOn(statements, 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn-xgboost')).toEqual([
      'sagemaker:InvokeEndpoint',
    ]);
    expect(allows(statements, 's3:PutObject', objects('capture'))).toBe(true);
    expect(allows(statements, 's3:PutObject', objects('groundTruth'))).toBe(true);
    expect(resourcesOf(statements).some((r) => r.includes('/reports/'))).toBe(false);
  });
});

describe('monitoring jobs', () => {
  const data = care.jobs.functions.data;

  test('the data job reads capture and baselines, writes reports, profiles and quarantine, and nothing else in S3', () => {
    const statements = statementsOf(json, data.role);
    expect(allows(statements, 's3:GetObject*', objects('capture'))).toBe(true);
    expect(allows(statements, 's3:GetObject*', objects('baselines'))).toBe(true);
    expect(allows(statements, 's3:PutObject', objects('reports'))).toBe(true);
    expect(allows(statements, 's3:PutObject', objects('quarantine'))).toBe(true);
    expect(allows(statements, 's3:DeleteObject*', objects('capture'))).toBe(true);
    expect(allows(statements, 's3:PutObject', objects('capture'))).toBe(false);
    expect(allows(statements, 's3:GetObject*', objects('groundTruth'))).toBe(false);
    expect(allows(statements, 's3:GetObject*', `arn:aws:s3:::${bucket}/*`)).toBe(false);
    expect(
      allows(statements, 'events:PutEvents', 'arn:aws:events:us-east-1:123456789012:event-bus/default'),
    ).toBe(true);
  });

  test('ground-truth ingest reads labels and may quarantine an unreadable label object, nothing more', () => {
    const statements = statementsOf(json, care.jobs.functions.groundTruth.role);
    expect(allows(statements, 's3:GetObject*', objects('groundTruth'))).toBe(true);
    expect(allows(statements, 's3:PutObject', objects('quarantine'))).toBe(true);
    expect(allows(statements, 's3:DeleteObject*', objects('groundTruth'))).toBe(true);
    expect(allows(statements, 's3:DeleteObject*', objects('capture'))).toBe(false);
    expect(allows(statements, 's3:PutObject', objects('reports'))).toBe(false);
  });

  test('each job gets its tables as env vars together with the grants', () => {
    const env = (json.Resources[logicalIdOf(data.function)]!.Properties!.Environment as { Variables: object })
      .Variables;
    expect(env).toMatchObject({
      [ENVIRONMENT.runsTable.key]: ref(care.tables.tables.runs),
      [ENVIRONMENT.metricsTable.key]: ref(care.tables.tables.metrics),
      [ENVIRONMENT.registryTable.key]: ref(care.tables.tables.registry),
      [ENVIRONMENT.stateTable.key]: ref(care.tables.tables.state),
      [ENVIRONMENT.captureBucket.key]: ref(care.store.bucket),
    });
    const statements = statementsOf(json, data.role);
    const registry = `arn:aws:dynamodb:us-east-1:123456789012:table/${logicalIdOf(care.tables.tables.registry)}`;
    const runs = `arn:aws:dynamodb:us-east-1:123456789012:table/${logicalIdOf(care.tables.tables.runs)}`;
    expect(allows(statements, 'dynamodb:PutItem', runs)).toBe(true);
    expect(allows(statements, 'dynamodb:GetItem', registry)).toBe(true);
    expect(allows(statements, 'dynamodb:PutItem', registry)).toBe(false);
  });

  test('the baseline job may read the configured baseline dataset', () => {
    const statements = statementsOf(json, care.jobs.functions.baseline.role);
    expect(
      allows(statements, 's3:GetObject*', 'arn:aws:s3:::example-ml-data/churn/baseline/train.csv*'),
    ).toBe(true);
  });

  test('the alert router publishes to every severity topic and knows their ARNs', () => {
    const router = care.jobs.functions.alertRouter;
    const statements = statementsOf(json, router.role);
    for (const severity of ['info', 'warning', 'critical'] as const) {
      const topicArn = resolved(ref(care.alerting.topics[severity]));
      expect(allows(statements, 'sns:Publish', topicArn), severity).toBe(true);
      const env = (
        json.Resources[logicalIdOf(router.function)]!.Properties!.Environment as { Variables: object }
      ).Variables;
      expect(env).toMatchObject({
        [ENVIRONMENT[TOPIC_VARIABLES[severity]].key]: ref(care.alerting.topics[severity]),
      });
    }
  });

  test('asynchronous failures of every job end in an encrypted, SSL-only dead-letter queue after retries', () => {
    for (const [name, fn] of Object.entries(care.jobs.functions)) {
      const queue = care.jobs.deadLetterQueues[name as keyof typeof care.jobs.deadLetterQueues].queue;
      const props = json.Resources[logicalIdOf(fn.function)]!.Properties!;
      expect(props.DeadLetterConfig, name).toEqual({ TargetArn: arnOf(queue) });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: ref(fn.function),
        MaximumRetryAttempts: 2,
      });
    }
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.allResourcesProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('per-model triggers', () => {
  const churn = care.models.churn!;
  const model = care.config.models[0]!;

  test('the data schedule runs hourly and delivers the model name and the scheduled time', () => {
    const rule = ruleOf(churn.triggers.rules.DataSchedule!);
    expect(rule.Properties?.ScheduleExpression).toBe('rate(1 hour)');
    const target = targetOf(churn.triggers.rules.DataSchedule!);
    expect(target.Arn).toEqual(arnOf(care.jobs.functions.data.function));
    const event = {
      id: 'e-1',
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      time: '2026-11-23T09:00:00Z',
      detail: {},
    };
    const input = renderRuleInput(target.InputTransformer as InputTransformer, event) as ModelJobInput;
    expect(input.model).toBe(model.name);
    expect(input.trigger).toEqual({
      id: 'e-1',
      source: 'aws.events',
      detailType: 'Scheduled Event',
      time: '2026-11-23T09:00:00Z',
      detail: {},
    });
  });

  test('the quality schedule runs daily into the quality job', () => {
    expect(ruleOf(churn.triggers.rules.QualitySchedule!).Properties?.ScheduleExpression).toBe('rate(1 day)');
    expect(targetOf(churn.triggers.rules.QualitySchedule!).Arn).toEqual(
      arnOf(care.jobs.functions.quality.function),
    );
  });

  test('every rule retries, then parks undeliverable events in the model dead-letter queue', () => {
    for (const [id, rule] of Object.entries(churn.triggers.rules)) {
      const target = targetOf(rule);
      expect(target.DeadLetterConfig, id).toEqual({ Arn: arnOf(churn.triggers.deadLetterQueue.queue) });
      expect(target.RetryPolicy, id).toEqual({ MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 });
    }
  });

  test('violations of this model go to the alert router', () => {
    expect(ruleOf(churn.triggers.rules.Violations!).Properties?.EventPattern).toEqual({
      source: [EVENT_SOURCE],
      'detail-type': [DETAIL_TYPES.violationsDetected],
      detail: { model: ['churn'] },
    });
    expect(targetOf(churn.triggers.rules.Violations!).Arn).toEqual(
      arnOf(care.jobs.functions.alertRouter.function),
    );
  });

  test('labels landing under ground-truth/churn/ trigger ground-truth ingest', () => {
    expect(ruleOf(churn.triggers.rules.GroundTruthArrivals!).Properties?.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        bucket: { name: [ref(care.store.bucket)] },
        object: { key: [{ prefix: 'ground-truth/churn/' }] },
      },
    });
    expect(targetOf(churn.triggers.rules.GroundTruthArrivals!).Arn).toEqual(
      arnOf(care.jobs.functions.groundTruth.function),
    );
  });

  test("a retraining request of any model starts the one state machine with the event's trigger", () => {
    expect(Object.keys(churn.triggers.rules)).not.toContain('RetrainingRequests');
    const target = targetOf(care.retrainingRequests.rule);
    expect(target.Arn).toEqual(ref(care.retraining.stateMachine));
    expect(target.DeadLetterConfig).toEqual({ Arn: arnOf(care.retrainingRequests.deadLetterQueue.queue) });
    expect(target.RoleArn).toBeDefined();
    const event = {
      id: 'e-2',
      source: EVENT_SOURCE,
      'detail-type': DETAIL_TYPES.retrainingRequested,
      time: '2026-11-23T10:00:00Z',
      detail: { model: 'churn', reason: 'critical drift' },
    };
    const input = renderRuleInput(
      target.InputTransformer as InputTransformer,
      event,
    ) as RetrainingExecutionInput;
    expect(input).toEqual({
      trigger: {
        id: 'e-2',
        source: EVENT_SOURCE,
        detailType: DETAIL_TYPES.retrainingRequested,
        time: '2026-11-23T10:00:00Z',
        detail: { model: 'churn', reason: 'critical drift' },
      },
    });
    expect(ruleOf(care.retrainingRequests.rule).Properties?.EventPattern).toMatchObject({
      source: [EVENT_SOURCE],
      'detail-type': [DETAIL_TYPES.retrainingRequested],
    });
  });
});

describe('alerting', () => {
  test('one KMS-encrypted topic per severity, with the configured email and SMS subscriptions', () => {
    for (const topic of Object.values(care.alerting.topics)) {
      expect(json.Resources[logicalIdOf(topic)]!.Properties!.KmsMasterKeyId).toEqual(
        arnOf(care.encryptionKey),
      );
    }
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ml-oncall@example.com',
      TopicArn: ref(care.alerting.topics.critical),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sms',
      Endpoint: '+15555550123',
      TopicArn: ref(care.alerting.topics.critical),
    });
  });

  test('CloudWatch may use the key, so alarm actions can publish to the encrypted topics', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
  });

  test('alarms on drift and data quality warn, a breached quality constraint is critical', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ModelCare',
      MetricName: 'constraint_violations',
      Dimensions: [
        { Name: 'Job', Value: 'data' },
        { Name: 'Model', Value: 'churn' },
      ],
      Period: 3600,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      AlarmActions: [ref(care.alerting.topics.warning)],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ModelCare',
      MetricName: 'aucRoc',
      Dimensions: [
        { Name: 'Job', Value: 'quality' },
        { Name: 'Model', Value: 'churn' },
      ],
      Period: 86400,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 0.75,
      AlarmActions: [ref(care.alerting.topics.critical)],
    });
  });

  test('errors and throttles of every function and dead letters warn; a failed retraining is critical', () => {
    const functions = [
      care.captureApi.handler,
      ...Object.values(care.jobs.functions),
      ...Object.values(care.retrainingSteps!.functions),
    ];
    for (const fn of functions) {
      for (const metric of ['Errors', 'Throttles']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: ref(fn.function) }],
          AlarmActions: [ref(care.alerting.topics.warning)],
        });
      }
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: {
            'Fn::GetAtt': [logicalIdOf(care.models.churn!.triggers.deadLetterQueue.queue), 'QueueName'],
          },
        },
      ],
      AlarmActions: [ref(care.alerting.topics.warning)],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: ref(care.retraining.stateMachine) }],
      AlarmActions: [ref(care.alerting.topics.critical)],
    });
  });
});

describe('dashboard', () => {
  test('shows drift per feature, violations, quality, capture volume, endpoint health and jobs for the model', () => {
    const dashboard = json.Resources[logicalIdOf(care.models.churn!.dashboard.dashboard)]!.Properties!;
    expect(dashboard.DashboardName).toBe('ModelCare-churn');
    const body = resolved(dashboard.DashboardBody);
    for (const feature of care.config.models[0]!.features) {
      expect(body).toContain(`"feature_baseline_drift_${feature.name}"`);
    }
    for (const expected of [
      '"constraint_violations"',
      '"aucRoc"',
      '"captured_records"',
      '"run_duration"',
      '"run_failures"',
      '["AWS/SageMaker","Invocations","EndpointName","churn-xgboost","VariantName","AllTraffic"',
      '"ModelLatency"',
      '"Invocation4XXErrors"',
      '"Invocation5XXErrors"',
      // a binary model: the label-free estimate drawn against measured accuracy
      '"estimated_accuracy"',
    ]) {
      expect(body).toContain(expected);
    }
    // no segment feature in this config: no fairness widget
    expect(body).not.toContain('"demographic_parity_difference"');
  });
});

describe('embedding', () => {
  test('ModelCare sits in any stack; without retraining in the config it still builds the one retraining machine', () => {
    const host = new Stack(testApp(), 'TeamStack');
    const model = structuredClone(care.config.models[0]!) as ModelConfigInput;
    delete model.retraining;
    const embedded = new ModelCare(host, 'Care', { models: [model], dashboardPrefix: 'team' });
    const hosted = Template.fromStack(host);
    // the window fan-out and the retraining machine: a model put later with `retraining` needs no deploy
    hosted.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    expect(embedded.retrainingSteps.functions['load-model']).toBeDefined();
    expect(embedded.stateMachine('churn')).toBeUndefined();
    expect(embedded.models.churn!.triggers.rules.RetrainingRequests).toBeUndefined();
    hosted.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'team-churn' });
  });
});

describe('outputs', () => {
  test('tell the user where to send traffic and point DataCaptureConfig', () => {
    template.hasOutput('CaptureApiUrl', {});
    template.hasOutput('CaptureBucket', { Value: ref(care.store.bucket) });
    template.hasOutput('CaptureKeyArn', { Value: arnOf(care.encryptionKey) });
    template.hasOutput('CriticalTopicArn', { Value: ref(care.alerting.topics.critical) });
  });
});

describe('dashboard with a segment feature', () => {
  test('draws the fairness gaps across the segment', () => {
    const host = new Stack(testApp(), 'SegmentedStack');
    const model = care.config.models[0]!;
    const segmented = new ModelCare(host, 'Care', {
      models: [{ ...model, quality: { ...model.quality, segmentFeature: 'contract' } }],
    });
    const template = Template.fromStack(host).toJSON() as {
      Resources: Record<string, { Properties?: Record<string, unknown> }>;
    };
    const body = JSON.stringify(
      template.Resources[logicalIdOf(segmented.models.churn!.dashboard.dashboard)]!.Properties!.DashboardBody,
    );
    expect(body).toContain('Fairness gaps across contract');
    expect(body).toContain('demographic_parity_difference');
    expect(body).toContain('equal_opportunity_difference');
  });
});
