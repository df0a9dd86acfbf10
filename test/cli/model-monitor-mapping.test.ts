import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { type MappingInput, mapModelMonitor, modelNameFor } from '../../cli/model-monitor-mapping.ts';
import type { FoundSchedule } from '../../cli/model-monitor-schedules.ts';
import { validateModelConfig } from '../../functions/admin-api/model-rules.ts';
import { InputError } from '../../functions/engine/errors.ts';

const MM = 'test/fixtures/model-monitor';
const json = (file: string) => JSON.parse(readFileSync(`${MM}/${file}`, 'utf8')) as Record<string, unknown>;

const dataSchedule = (
  app: Record<string, unknown> = {},
  endpointInput: Record<string, unknown> = {},
): FoundSchedule => ({
  name: 'dq',
  type: 'DataQuality',
  status: 'Scheduled',
  scheduleExpression: 'cron(0 * ? * * *)',
  definition: {
    DataQualityAppSpecification: {
      ImageUri: '156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer',
      ...app,
    },
    DataQualityJobInput: { EndpointInput: { EndpointName: 'ep', ...endpointInput } },
  },
});

const qualitySchedule = (
  endpointInput: Record<string, unknown>,
  problem = 'BinaryClassification',
): FoundSchedule => ({
  name: 'mq',
  type: 'ModelQuality',
  status: 'Scheduled',
  scheduleExpression: 'cron(0 0 ? * * *)',
  definition: {
    ModelQualityAppSpecification: { ProblemType: problem },
    ModelQualityJobInput: { EndpointInput: { EndpointName: 'ep', ...endpointInput } },
  },
});

const input = (overrides: Partial<MappingInput> = {}): MappingInput => ({
  modelName: 'ep',
  endpoint: { name: 'ep', variants: ['AllTraffic'] },
  dataSchedule: dataSchedule(),
  dataBaseline: {
    statisticsUri: 's3://mm-bucket/statistics.json',
    constraintsUri: 's3://mm-bucket/constraints.json',
    statistics: json('monitor--statistics.json'),
    constraints: json('monitor--constraints.json'),
  },
  datasetUri: 's3://mm-bucket/dataset.csv',
  ...overrides,
});

describe('Model Monitor to model-care mapping', () => {
  test('string features become categorical and the config validates', () => {
    const { config } = mapModelMonitor(input());
    // monitor--statistics.json profiles one of the two features its constraints name
    expect(config.features).toEqual([{ name: 'message', type: 'categorical' }]);
    expect(() => validateModelConfig(config, 'imported')).not.toThrow();
  });

  test('a binary model-quality schedule gives score and prediction outputs and the decision threshold', () => {
    const { config, carried } = mapModelMonitor(
      input({
        qualitySchedule: qualitySchedule({
          InferenceAttribute: 'predicted_label',
          ProbabilityAttribute: 'probability',
          ProbabilityThresholdAttribute: 0.7,
        }),
        qualityConstraints: {
          binary_classification_constraints: {
            auc: { threshold: 0.8, comparison_operator: 'LessThanThreshold' },
            f2: { threshold: 0.5, comparison_operator: 'LessThanThreshold' },
          },
        },
      }),
    );
    expect(config).toMatchObject({
      problemType: 'binary',
      outputs: [
        { name: 'probability', role: 'score' },
        { name: 'predicted_label', role: 'prediction' },
      ],
      decisionThreshold: 0.7,
    });
    expect((config.thresholds as Record<string, unknown>).quality).toEqual({
      aucRoc: { threshold: 0.8, comparisonOperator: 'LessThanThreshold' },
    });
    expect(carried).toContain('decisionThreshold = 0.7 (probability_threshold_attribute)');
    expect(() => validateModelConfig(config, 'imported')).not.toThrow();
  });

  test.each([
    ['LInfinity', 'LInfRobust'],
    ['ChiSquared', 'ChiSquared'],
  ])(
    'categorical_drift_method %s is carried as %s, with per-feature comparison overrides',
    (method, expected) => {
      const constraints = json('monitor--constraints.json');
      const features = constraints.features as Record<string, Record<string, unknown>>[];
      features[0]!.string_constraints = { monitoring_config_overrides: { comparison_threshold: 0.3 } };
      constraints.monitoring_config = {
        distribution_constraints: { categorical_comparison_threshold: 0.2, categorical_drift_method: method },
      };
      const { config } = mapModelMonitor(input({ dataBaseline: { ...input().dataBaseline, constraints } }));
      expect(config.thresholds).toEqual({
        categoricalComparisonThreshold: 0.2,
        categoricalDriftMethod: expected,
      });
      expect((config.features as unknown[])[0]).toEqual({
        name: 'message',
        type: 'categorical',
        driftThreshold: 0.3,
      });
    },
  );

  test.each([
    [
      'a custom container',
      dataSchedule({ ImageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/my-monitor:3' }),
      'custom container 123456789012.dkr.ecr.us-east-1.amazonaws.com/my-monitor:3',
    ],
    [
      'a post-analytics script',
      dataSchedule({ PostAnalyticsProcessorSourceUri: 's3://mm-bucket/post.py' }),
      'post-analytics script s3://mm-bucket/post.py',
    ],
    [
      'a features_attribute',
      dataSchedule({}, { FeaturesAttribute: 'features' }),
      'features_attribute "features"',
    ],
    [
      'an exclude_features_attribute',
      dataSchedule({}, { ExcludeFeaturesAttribute: '3' }),
      'exclude_features_attribute "3"',
    ],
    [
      'a one-off schedule',
      { ...dataSchedule(), scheduleExpression: 'NOW' },
      'expression NOW (a one-off run) has no model-care counterpart',
    ],
  ])('lists %s as not carried', (_case, schedule, note) => {
    const { notCarried } = mapModelMonitor(input({ dataSchedule: schedule }));
    expect(notCarried.join('\n')).toContain(note);
  });

  test('a multi-variant endpoint watches its first variant and says so', () => {
    const { config, notCarried } = mapModelMonitor(
      input({ endpoint: { name: 'ep', variants: ['blue', 'green'] } }),
    );
    expect(config.endpoint).toEqual({ name: 'ep', variant: 'blue' });
    expect(notCarried.join('\n')).toContain('add one model per other variant');
  });

  test('rejects a baseline without a usable feature, naming the statistics file', () => {
    const act = () =>
      mapModelMonitor(input({ dataBaseline: { ...input().dataBaseline, statistics: { features: [] } } }));
    expect(act).toThrow(InputError);
    expect(act).toThrow('s3://mm-bucket/statistics.json: has no feature');
  });

  test('rejects an unknown dataset, asking for --dataset-uri', () => {
    const { datasetUri: _none, ...rest } = input();
    expect(() => mapModelMonitor(rest)).toThrow('pass --dataset-uri');
  });

  test.each([
    ['Churn_Endpoint.v2', 'churn-endpoint-v2'],
    ['-x-', 'x'],
    ['a'.repeat(40), 'a'.repeat(32)],
  ])('names the model of endpoint %s %s', (endpoint, name) => {
    expect(modelNameFor(endpoint)).toBe(name);
  });
});
