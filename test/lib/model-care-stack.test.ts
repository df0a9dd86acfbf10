import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import type { ModelConfigInput } from '../../functions/shared/config/model-schema.ts';
import { ENVIRONMENT, TOPIC_VARIABLES } from '../../functions/shared/environment.ts';
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

  test('reads routes from the models table and may invoke only the configured endpoint and write capture and labels', () => {
    const env = json.Resources[logicalIdOf(care.captureApi.handler.function)]!.Properties!.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(env.Variables[ENVIRONMENT.modelsTable.key]).toEqual(ref(care.tables.tables.models));
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

describe('stack-level rules', () => {
  const rules = care.fleetRules.rules;
  const render = (rule: Parameters<typeof logicalIdOf>[0], event: Record<string, unknown>) =>
    renderRuleInput(targetOf(rule).InputTransformer as InputTransformer, {
      id: 'e-1',
      source: EVENT_SOURCE,
      time: '2026-11-23T09:10:00Z',
      ...event,
    }) as ModelJobInput;

  test("the dispatcher's tick runs every fleet.dispatchEveryMinutes and delivers the scheduled time", () => {
    expect(ruleOf(rules.DispatchTick!).Properties?.ScheduleExpression).toBe('rate(5 minutes)');
    expect(targetOf(rules.DispatchTick!).Arn).toEqual(arnOf(care.dispatcher.handler.function));
    const input = render(rules.DispatchTick!, {
      source: 'aws.events',
      'detail-type': 'Scheduled Event',
      detail: {},
    });
    expect(input).toEqual({
      trigger: {
        id: 'e-1',
        source: 'aws.events',
        detailType: 'Scheduled Event',
        time: '2026-11-23T09:10:00Z',
        detail: {},
      },
    });
  });

  test.each([
    ['DataWindowDue', 'data', 'data'],
    ['QualityWindowDue', 'quality', 'quality'],
  ] as const)('%s sends Window Due of job=%s to the %s job, naming the model', (id, job, fn) => {
    expect(ruleOf(rules[id]!).Properties?.EventPattern).toEqual({
      source: [EVENT_SOURCE],
      'detail-type': [DETAIL_TYPES.windowDue],
      detail: { model: [{ exists: true }], job: [job] },
    });
    expect(targetOf(rules[id]!).Arn).toEqual(arnOf(care.jobs.functions[fn].function));
    const detail = { model: 'churn', configVersion: 3, job, window: { start: 'a', end: 'b' } };
    const input = render(rules[id]!, { 'detail-type': DETAIL_TYPES.windowDue, detail });
    expect(input.model).toBe('churn');
    expect(input.trigger.detail).toEqual(detail);
  });

  test.each([
    ['QualityRequests', DETAIL_TYPES.qualityEvaluationRequested, 'quality'],
    ['BaselineRequests', DETAIL_TYPES.baselineRequested, 'baseline'],
    ['Violations', DETAIL_TYPES.violationsDetected, 'alertRouter'],
  ] as const)('%s: any model\'s "%s" goes to the %s function', (id, detailType, fn) => {
    expect(ruleOf(rules[id]!).Properties?.EventPattern).toEqual({
      source: [EVENT_SOURCE],
      'detail-type': [detailType],
      detail: { model: [{ exists: true }] },
    });
    expect(targetOf(rules[id]!).Arn).toEqual(arnOf(care.jobs.functions[fn].function));
    expect(render(rules[id]!, { 'detail-type': detailType, detail: { model: 'fraud' } }).model).toBe('fraud');
  });

  test('labels landing under ground-truth/ trigger ground-truth ingest, which reads the model from the key', () => {
    expect(ruleOf(rules.GroundTruthArrivals!).Properties?.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        bucket: { name: [ref(care.store.bucket)] },
        object: { key: [{ prefix: 'ground-truth/' }] },
      },
    });
    expect(targetOf(rules.GroundTruthArrivals!).Arn).toEqual(arnOf(care.jobs.functions.groundTruth.function));
  });

  test('every rule retries, then parks undeliverable events in the one events dead-letter queue', () => {
    for (const [id, rule] of Object.entries(rules)) {
      const target = targetOf(rule);
      expect(target.DeadLetterConfig, id).toEqual({ Arn: arnOf(care.fleetRules.deadLetterQueue.queue) });
      expect(target.RetryPolicy, id).toEqual({ MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 });
    }
  });

  test('the data and quality jobs reserve fleet.maxConcurrentJobs each', () => {
    for (const fn of [care.jobs.functions.data, care.jobs.functions.quality]) {
      expect(json.Resources[logicalIdOf(fn.function)]!.Properties!.ReservedConcurrentExecutions).toBe(20);
    }
  });

  test('the dispatcher may Query the fleet index partition and put events, nothing else', () => {
    const role = care.dispatcher.handler.role;
    const statements = statementsOf(json, role);
    const query = statements.find((st) => st.Sid === 'ReadTheFleetIndexOnly');
    expect(query?.Action).toBe('dynamodb:Query');
    expect(query?.Condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['SCHEDULES'] },
    });
    const dynamoActions = statements
      .flatMap((st) => [st.Action].flat() as string[])
      .filter((action) => action.startsWith('dynamodb:'));
    expect(dynamoActions).toEqual(['dynamodb:Query']);
    expect(statements.flatMap((st) => [st.Action].flat() as string[])).toContain('events:PutEvents');
  });

  test("a retraining request of any model starts the one state machine with the event's trigger", () => {
    const target = targetOf(care.retrainingRequests.rule);
    expect(target.Arn).toEqual(ref(care.retraining.stateMachine));
    expect(target.DeadLetterConfig).toEqual({ Arn: arnOf(care.retrainingRequests.deadLetterQueue.queue) });
    expect(target.RoleArn).toBeDefined();
    const input = renderRuleInput(target.InputTransformer as InputTransformer, {
      id: 'e-2',
      source: EVENT_SOURCE,
      'detail-type': DETAIL_TYPES.retrainingRequested,
      time: '2026-11-23T10:00:00Z',
      detail: { model: 'churn', reason: 'critical drift' },
    }) as RetrainingExecutionInput;
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

  test('no alarm reads a per-model metric: verdicts reach people through the alert router', () => {
    const alarms = Object.values(json.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    for (const alarm of alarms) {
      const dimensions = (alarm.Properties?.Dimensions as Array<{ Name: string }> | undefined) ?? [];
      expect(dimensions.map((d) => d.Name)).not.toContain('Model');
    }
  });

  test('errors and throttles of every function and dead letters warn; a failed retraining is critical', () => {
    const functions = [
      care.captureApi.handler,
      care.dispatcher.handler,
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
            'Fn::GetAtt': [logicalIdOf(care.fleetRules.deadLetterQueue.queue), 'QueueName'],
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
  test('one dashboard for all models, a Model variable from a metric search, per-model rows and stack rows', () => {
    const dashboards = Object.values(json.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const dashboard = json.Resources[logicalIdOf(care.dashboard.dashboard)]!.Properties!;
    expect(dashboard.DashboardName).toBe('ModelCare-models');
    const body = JSON.parse(resolved(dashboard.DashboardBody)) as {
      variables: Array<Record<string, unknown>>;
    };
    expect(body.variables).toEqual([
      expect.objectContaining({
        type: 'property',
        property: 'Model',
        inputType: 'select',
        id: 'model',
        search: '{ModelCare,Model} MetricName="drifted_share"',
        populateFrom: 'Model',
        defaultValue: 'churn',
      }),
    ]);
    const text = JSON.stringify(body);
    for (const expected of [
      '"drifted_share","Model","churn"',
      '"max_evidence","Model","churn"',
      '"estimated_accuracy","Model","churn"',
      '"constraint_violations","Job","data"',
      '"run_failures","Job","quality"',
      '"captured_records","Job","capture"',
      '"ApproximateNumberOfMessagesVisible"',
      '"ExecutionsFailed"',
    ]) {
      expect(text).toContain(expected);
    }
    // nothing per feature
    expect(text).not.toContain('feature_');
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
    hosted.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'team-models' });
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
