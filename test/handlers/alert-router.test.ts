import { randomUUID } from 'node:crypto';
import { InvalidParameterException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, test } from 'vitest';
import { NotificationError } from '../../functions/adapters/errors.ts';
import { makeSnsNotifier } from '../../functions/adapters/sns/sns-notifier.ts';
import { makeAlertRouterHandler } from '../../functions/alert-router/alert-router.ts';
import { marginOf, severityOf } from '../../functions/alert-router/severity-policy.ts';
import { InvalidEventError } from '../../functions/handler-kit/invalid-event-error.ts';
import type { MonitoringViolation } from '../../functions/handler-kit/monitoring-violation.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { parseModelConfig } from '../../functions/shared/config/parse-config.ts';
import { DETAIL_TYPES, MESSAGE_ATTRIBUTES } from '../../functions/shared/events.ts';
import { knownModelConfigs, nameOf } from '../support/known-model-configs.ts';
import { noWait, RecordingPublisher, recordingLogger } from './support/fakes.ts';
import { BUCKET, useHandlerEnvironment } from './support/handler-env.ts';

const env = useHandlerEnvironment();
const sns = mockClient(SNSClient);
beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

const TOPICS = {
  info: 'arn:aws:sns:eu-west-1:123456789012:info',
  warning: 'arn:aws:sns:eu-west-1:123456789012:warning',
  critical: 'arn:aws:sns:eu-west-1:123456789012:critical',
};

const modelNamed = (name: string, overrides: Record<string, unknown> = {}): ModelConfig =>
  parseModelConfig({
    name,
    problemType: 'binary',
    features: [{ name: 'age', type: 'numerical' }],
    outputs: [{ name: 'score', role: 'score' }],
    baseline: { datasetUri: 's3://team-datasets/churn.csv' },
    alerts: { cooldownMinutes: 60, criticalFactor: 2 },
    retraining: {
      trainingImage: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgboost:1',
      inputChannels: [{ name: 'train', s3Uri: 's3://team-datasets/train/' }],
    },
    ...overrides,
  });

const router = (now = '2026-07-01T09:00:10Z') => {
  const adapters = env.adapters();
  const events = new RecordingPublisher();
  const handler = makeAlertRouterHandler({
    configs: knownModelConfigs,
    alerts: adapters.alerts,
    runs: adapters.runs,
    notifier: makeSnsNotifier(new SNSClient({}), {
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, sleep: noWait },
      logger: recordingLogger(),
    }),
    events,
    topics: TOPICS,
    links: { region: 'eu-west-1', dashboardPrefix: 'ModelCare' },
    now: () => new Date(now),
    logger: recordingLogger(),
  });
  return { handler, events, adapters };
};

const drift = (feature: string, value: number, threshold = 0.1): MonitoringViolation => ({
  featureName: feature,
  constraintCheckType: 'baseline_drift_check',
  description: `Baseline drift distance: ${value} exceeds threshold: ${threshold}`,
  value,
  threshold,
});

const violationsEvent = (
  model: ModelConfig,
  violations: readonly MonitoringViolation[],
  windowStart = '2026-07-01T08:00:00Z',
  job: 'data' | 'quality' = 'data',
) => {
  const end = new Date(Date.parse(windowStart) + 3_600_000).toISOString().replace('.000Z', 'Z');
  return {
    model: nameOf(model),
    trigger: {
      id: randomUUID(),
      source: 'model-care',
      detailType: DETAIL_TYPES.violationsDetected,
      time: end,
      detail: {
        model: model.name,
        job,
        runId: `${model.name}/${job}/${windowStart}`,
        window: { start: windowStart, end },
        violations,
        reportUri: `s3://${BUCKET}/reports/${model.name}/${job}/${windowStart}/constraint_violations.json`,
        totalViolations: violations.length,
      },
    },
  };
};

const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);

describe('severity policy', () => {
  test.each([
    ['a drift distance at 3.5x its threshold', drift('age', 0.35), 'critical'],
    ['a drift distance just over its threshold', drift('age', 0.12), 'warning'],
    [
      'completeness 0.9 where 0.99 is required (10x the allowed shortfall)',
      {
        featureName: 'age',
        constraintCheckType: 'completeness_check',
        description: '',
        value: 0.9,
        threshold: 0.99,
      },
      'critical',
    ],
    [
      'completeness 0.985 where 0.99 is required',
      {
        featureName: 'age',
        constraintCheckType: 'completeness_check',
        description: '',
        value: 0.985,
        threshold: 0.99,
      },
      'warning',
    ],
    [
      'an extra column',
      { featureName: 'x', constraintCheckType: 'extra_column_check', description: '' },
      'info',
    ],
    [
      'missing data',
      { featureName: '(dataset)', constraintCheckType: 'no_data_check', description: '', value: 0 },
      'warning',
    ],
    [
      'accuracy 0.85 under a 0.9 constraint',
      {
        featureName: 'accuracy',
        constraintCheckType: 'model_quality_check',
        description: '',
        value: 0.85,
        threshold: 0.9,
      },
      'warning',
    ],
    [
      'accuracy 0.7 under a 0.9 constraint (3x the error allowed)',
      {
        featureName: 'accuracy',
        constraintCheckType: 'model_quality_check',
        description: '',
        value: 0.7,
        threshold: 0.9,
      },
      'critical',
    ],
    [
      'a chi-squared p-value far below its threshold',
      {
        featureName: 'plan',
        constraintCheckType: 'baseline_drift_check',
        description: '',
        value: 0.001,
        threshold: 0.05,
      },
      'critical',
    ],
  ] as [string, MonitoringViolation, string][])('%s is %s', (_name, violation, severity) => {
    expect(severityOf(violation, 2)).toBe(severity);
  });

  test('a violation without figures has no margin', () => {
    expect(
      marginOf({ featureName: 'adwin', constraintCheckType: 'concept_drift_check', description: '' }),
    ).toBeUndefined();
  });
});

describe('alert router', () => {
  test('a critical drift alert: one message a person can act on, SNS attributes, and a retraining request', async () => {
    // the margin policy (before issue 12): drift graded by its distance alone
    const model = modelNamed('ar-critical', {
      verdicts: { severity: 'margin' },
      retraining: {
        trainingImage: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/xgboost:1',
        inputChannels: [{ name: 'train', s3Uri: 's3://team-datasets/train/' }],
        triggerChecks: ['baseline_drift_check'],
      },
    });
    const { handler, events, adapters } = router();
    // the two windows before were drifting too
    for (const start of ['2026-07-01T06:00:00Z', '2026-07-01T07:00:00Z']) {
      await adapters.runs.putRun({
        model: model.name,
        job: 'data',
        windowStart: start,
        windowEnd: new Date(Date.parse(start) + 3_600_000).toISOString(),
        status: 'violations',
        rowCount: 10,
        malformedCount: 0,
        quarantinedObjects: 0,
        violationCount: 1,
        startedAt: start,
        finishedAt: start,
        summary: { violatedChecks: ['baseline_drift_check'] },
      });
    }
    const result = await handler(
      violationsEvent(model, [
        drift('age', 0.35),
        {
          featureName: 'age',
          constraintCheckType: 'value_range_check',
          description: 'out of range',
          value: 0.97,
          threshold: 0.99,
        },
      ]),
    );
    expect(result).toMatchObject({
      outcome: 'notified',
      severity: 'critical',
      messageId: 'm-1',
      retrainingRequested: true,
    });
    const [input] = published();
    expect(input?.TopicArn).toBe(TOPICS.critical);
    expect(input?.Subject).toBe('[CRITICAL] ar-critical: data drift in age');
    expect(input?.MessageAttributes).toMatchObject({
      [MESSAGE_ATTRIBUTES.model]: { DataType: 'String', StringValue: 'ar-critical' },
      [MESSAGE_ATTRIBUTES.severity]: { DataType: 'String', StringValue: 'critical' },
      [MESSAGE_ATTRIBUTES.check]: { DataType: 'String', StringValue: 'baseline_drift_check' },
      [MESSAGE_ATTRIBUTES.kind]: { DataType: 'String', StringValue: 'alert' },
    });
    const message = JSON.parse(input?.Message ?? '{}') as { email: string; sms: string };
    expect(message.email).toContain(
      '[critical] age, baseline_drift_check: Baseline drift distance: 0.35 exceeds threshold: 0.1 (margin 3.5x; critical from 2x)',
    );
    expect(message.email).toContain(
      'baseline_drift_check: violated in 3 consecutive runs, since the window starting 2026-07-01T06:00:00Z',
    );
    expect(message.email).toContain(
      `s3://${BUCKET}/reports/ar-critical/data/2026-07-01T08:00:00Z/constraint_violations.json`,
    );
    expect(message.email).toContain(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=ModelCare-models',
    );
    expect(message.email).toContain('Retraining was requested');
    expect(message.sms).toBe(
      'CRITICAL ar-critical data: age drift 0.35>0.1; age value_range 0.97 vs 0.99 since 06:00Z',
    );
    expect(events.events).toEqual([
      expect.objectContaining({
        detailType: DETAIL_TYPES.retrainingRequested,
        detail: expect.objectContaining({
          model: 'ar-critical',
          alertId: 'ar-critical/data/2026-07-01T08:00:00Z',
          severity: 'critical',
        }),
      }),
    ]);
  });

  test('dedupes a redelivered event and keeps a check quiet in its cooldown unless it gets worse', async () => {
    const model = modelNamed('ar-cooldown', { retraining: undefined, verdicts: { severity: 'margin' } });
    const first = violationsEvent(model, [drift('age', 0.12)]);
    expect((await router().handler(first)).outcome).toBe('notified');
    expect((await router().handler(first)).outcome).toBe('duplicate');
    // the next window, same check, same severity, 20 minutes into the cooldown: quiet
    const next = violationsEvent(model, [drift('age', 0.13)], '2026-07-01T09:00:00Z');
    expect((await router('2026-07-01T09:20:00Z').handler(next)).outcome).toBe('quiet');
    // worse: critical breaks through
    const worse = violationsEvent(model, [drift('age', 0.5)], '2026-07-01T10:00:00Z');
    const result = await router('2026-07-01T09:40:00Z').handler(worse);
    expect(result).toMatchObject({ outcome: 'notified', severity: 'critical', retrainingRequested: false });
    // after the cooldown the same check alerts again
    const later = violationsEvent(model, [drift('age', 0.5)], '2026-07-01T12:00:00Z');
    expect((await router('2026-07-01T12:00:10Z').handler(later)).outcome).toBe('notified');
    expect(published().map((p) => p.TopicArn)).toEqual([TOPICS.warning, TOPICS.critical, TOPICS.critical]);
  });

  test('missing data and model quality alert as warnings at least', async () => {
    const model = modelNamed('ar-levels');
    await router().handler(
      violationsEvent(model, [
        {
          featureName: '(dataset)',
          constraintCheckType: 'no_data_check',
          description: 'No capture records',
          value: 0,
        },
      ]),
    );
    await router().handler(
      violationsEvent(
        model,
        [
          {
            featureName: 'accuracy',
            constraintCheckType: 'model_quality_check',
            description: 'Metric accuracy with 0.88 was LessThanThreshold 0.9',
            value: 0.88,
            threshold: 0.9,
          },
        ],
        '2026-07-01T08:00:00Z',
        'quality',
      ),
    );
    const inputs = published();
    expect(inputs.map((p) => p.TopicArn)).toEqual([TOPICS.warning, TOPICS.warning]);
    expect(inputs[0]?.Subject).toBe('[WARNING] ar-levels: no capture data in the window');
    expect(inputs[1]?.Subject).toBe('[WARNING] ar-levels: model quality: accuracy 0.88 (limit 0.9)');
  });

  test('when SNS fails after the claim, the claim is cleared so the retry notifies', async () => {
    const model = modelNamed('ar-retry', { retraining: undefined });
    const event = violationsEvent(model, [drift('age', 0.12)]);
    sns
      .on(PublishCommand)
      .rejectsOnce(new InvalidParameterException({ message: 'bad', $metadata: {} }))
      .resolves({ MessageId: 'm-2' });
    await expect(router().handler(event)).rejects.toBeInstanceOf(NotificationError);
    const retried = await router().handler(event);
    expect(retried).toMatchObject({ outcome: 'notified', messageId: 'm-2' });
  });

  test('fails on a malformed event, naming the field', async () => {
    const model = modelNamed('ar-bad');
    const event = violationsEvent(model, [drift('age', 0.2)]);
    const broken = {
      ...event,
      trigger: {
        ...event.trigger,
        detail: { ...event.trigger.detail, violations: [{ featureName: 'age' }] },
      },
    };
    const error = await router()
      .handler(broken)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toMatch(
      /^event\.trigger\.detail\.violations\[0\]\.constraintCheckType: /,
    );
  });
});
