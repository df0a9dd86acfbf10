import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { describe, expect, test } from 'vitest';
import { parseModelConfig } from '../../functions/shared/config/parse-config.ts';
import { ConfigError, loadConfig } from '../../lib/config.ts';
import { ModelCare } from '../../lib/model-care.ts';
import { testApp } from './support/synth-stack.ts';

// biome-ignore lint/suspicious/noExplicitAny: the variants below edit arbitrary parts of a parsed JSON file
type Json = any;

const example: Json = JSON.parse(readFileSync('config/model-care.json', 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'model-care-config-'));

/** writes the example config with one change and loads it */
const loadVariant = (name: string, change: (config: Json) => void): unknown => {
  const config = structuredClone(example);
  change(config);
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(config));
  return loadConfig(file);
};

const failure = (load: () => unknown): string => {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  test('loads the example config with defaults resolved', () => {
    const config = loadConfig('config/model-care.json');
    const churn = config.models[0]!;
    expect(churn.schedules).toEqual({
      data: 'rate(1 hour)',
      quality: 'rate(1 day)',
      dataWindowMinutes: 60,
      qualityWindowMinutes: 1440,
      graceMinutes: 10,
    });
    expect(churn.endpoint).toEqual({ name: 'churn-xgboost', variant: 'AllTraffic' });
    expect(churn.retraining?.hyperparameters).toEqual({
      objective: 'binary:logistic',
      num_round: '200',
      max_depth: '5',
      eta: '0.2',
    });
    expect(config.removalPolicy).toBe('retain');
    expect(config.retention.captureExpirationDays).toBe(365);
  });

  test('resolves the quality and operational defaults, and keeps a valid segment feature', () => {
    const config = loadVariant('quality', (c) => {
      c.models[0].quality = { segmentFeature: c.models[0].features[0].name };
      c.models[0].operational = { latencyP99Ms: 250, errorRate: 0.02 };
    }) as ReturnType<typeof loadConfig>;
    const churn = config.models[0]!;
    expect(churn.quality).toEqual({
      segmentFeature: example.models[0].features[0].name,
      fairnessThreshold: 0.1,
      labelHorizonHours: 48,
    });
    expect(churn.operational).toEqual({ latencyP99Ms: 250, errorRate: 0.02 });
    expect(loadConfig('config/model-care.json').models[0]?.operational).toEqual({});
  });

  test('loads the three-model config', () => {
    const config = loadConfig('config/three-models.json');
    expect(config.models.map((model) => model.name)).toEqual(['churn', 'demand-forecast', 'ticket-router']);
    expect(config.models[1]?.schedules.dataWindowMinutes).toBe(60); // cron: the fallback window
    expect(config.models[2]?.schedules.dataWindowMinutes).toBe(30);
  });

  test('a parsed model config parses to itself, as handlers re-parse what the rules deliver', () => {
    for (const model of loadConfig('config/three-models.json').models) {
      expect(parseModelConfig(JSON.parse(JSON.stringify(model)))).toEqual(model);
    }
  });

  test('rejects a schedule that is neither cron nor rate, naming the file, field and value', () => {
    const message = failure(() =>
      loadVariant('bad-schedule', (c) => {
        c.models[0].schedules.data = 'every hour';
      }),
    );
    expect(message).toBe(
      `${join(dir, 'bad-schedule.json')}: models[0].schedules.data: "every hour" is not a cron(...) or rate(...) expression`,
    );
  });

  test.each([
    ['rate(1 hours)', 'singular'],
    ['rate(5 minute)', 'plural'],
    ['cron(0 * * * * *)', 'day-of-month or day-of-week must be "?"'],
  ])('rejects the schedule %s (%s)', (expression, hint) => {
    const message = failure(() =>
      loadVariant('schedule', (c) => {
        c.models[0].schedules.quality = expression;
      }),
    );
    expect(message).toContain(`models[0].schedules.quality: "${expression}" is not a cron(...) or rate(...)`);
    expect(message).toContain(hint);
  });

  test('rejects an unknown field, naming it', () => {
    const message = failure(() =>
      loadVariant('typo', (c) => {
        c.models[0].schedule = { data: 'rate(1 hour)' };
      }),
    );
    expect(message).toContain('models[0]: unknown field "schedule"');
  });

  test('rejects a missing required field', () => {
    const message = failure(() =>
      loadVariant('missing', (c) => {
        delete c.models[0].problemType;
      }),
    );
    expect(message).toMatch(/models\[0\]\.problemType: is required/);
  });

  test('rejects two models with the same name', () => {
    const message = failure(() =>
      loadVariant('duplicate', (c) => {
        c.models.push(structuredClone(c.models[0]));
      }),
    );
    expect(message).toContain('models[1].name: "churn" repeats the model name');
  });

  test.each([
    [
      'a bad email',
      (c: Json) => (c.alerts.warning.emails = ['not-an-email']),
      'alerts.warning.emails[0]: "not-an-email"',
    ],
    [
      'a bad phone number',
      (c: Json) => (c.alerts.critical.sms = ['555-0100']),
      'alerts.critical.sms[0]: "555-0100"',
    ],
    ['a model name with capitals', (c: Json) => (c.models[0].name = 'Churn'), 'models[0].name: "Churn"'],
    [
      'a metric of another problem type',
      (c: Json) =>
        (c.models[0].thresholds.quality.rmse = { threshold: 1, comparisonOperator: 'GreaterThanThreshold' }),
      'models[0].thresholds.quality.rmse: "rmse" is not a binary metric',
    ],
    [
      'a training image outside ECR',
      (c: Json) => (c.models[0].retraining.trainingImage = 'xgboost:latest'),
      'models[0].retraining.trainingImage: "xgboost:latest" is not an ECR image URI',
    ],
    [
      'an S3 transition earlier than S3 allows',
      (c: Json) => (c.retention = { captureInfrequentAccessDays: 7 }),
      'retention.captureInfrequentAccessDays: 7 is invalid: too small: expected number to be >=30',
    ],
    [
      'a log retention CloudWatch does not offer',
      (c: Json) => (c.retention = { logRetentionDays: 10 }),
      'retention.logRetentionDays: 10 is not a CloudWatch Logs retention',
    ],
    [
      'a segment feature the model does not have',
      (c: Json) => (c.models[0].quality = { segmentFeature: 'zip_code' }),
      'models[0].quality.segmentFeature: "zip_code" is not a feature of the model (one of ',
    ],
    [
      'a fairness threshold above 1',
      (c: Json) => (c.models[0].quality = { fairnessThreshold: 1.5 }),
      'models[0].quality.fairnessThreshold: 1.5 is invalid: too big',
    ],
    [
      'a label horizon that is not a whole number of hours',
      (c: Json) => (c.models[0].quality = { labelHorizonHours: 1.5 }),
      'models[0].quality.labelHorizonHours: 1.5 is invalid',
    ],
    [
      'an error rate above 1',
      (c: Json) => (c.models[0].operational = { errorRate: 5 }),
      'models[0].operational.errorRate: 5 is invalid: too big',
    ],
    [
      'a negative latency threshold',
      (c: Json) => (c.models[0].operational = { latencyP99Ms: -1 }),
      'models[0].operational.latencyP99Ms: -1 is invalid: too small',
    ],
    [
      'a misspelt operational threshold',
      (c: Json) => (c.models[0].operational = { latencyP95Ms: 100 }),
      'models[0].operational: unknown field "latencyP95Ms"',
    ],
  ])('rejects %s', (_, change, expected) => {
    expect(failure(() => loadVariant('variant', change))).toContain(expected);
  });

  test('rejects a regression model without a prediction output', () => {
    const message = failure(() =>
      loadVariant('no-prediction', (c) => {
        c.models[0].problemType = 'regression';
        delete c.models[0].thresholds;
        delete c.models[0].retraining;
      }),
    );
    expect(message).toContain('models[0].outputs: ');
    expect(message).toContain('needs an output with role "prediction" for a regression model');
  });

  test('fails on a file that does not exist or is not JSON', () => {
    expect(failure(() => loadConfig(join(dir, 'absent.json')))).toMatch(
      /absent\.json: cannot be read \(ENOENT\)/,
    );
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "models": [');
    expect(failure(() => loadConfig(file))).toContain('broken.json: is not valid JSON');
  });

  test('fails synthesis of the construct on bad props with the same one-line message', () => {
    const stack = new Stack(testApp(), 'Embedded');
    const message = failure(
      () =>
        new ModelCare(stack, 'Care', { models: [{ ...example.models[0], schedules: { data: 'hourly' } }] }),
    );
    expect(message).toBe(
      'ModelCare props: models[0].schedules.data: "hourly" is not a cron(...) or rate(...) expression',
    );
  });
});
