import { beforeAll, describe, expect, test } from 'vitest';
import { BaselineDatasetError, makeBaselineJobHandler } from '../../functions/baseline-job/baseline-job.ts';
import { DatasetNotFoundError } from '../../functions/baseline-job/dataset-objects.ts';
import { readBaselinePointer } from '../../functions/handler-kit/baseline-pointer.ts';
import { InvalidEventError } from '../../functions/handler-kit/invalid-event-error.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { DETAIL_TYPES } from '../../functions/shared/events.ts';
import { knownModelConfigs, nameOf } from '../support/known-model-configs.ts';
import { RecordingMetrics, recordingLogger } from './support/fakes.ts';
import { BUCKET, DATASETS_BUCKET, useHandlerEnvironment } from './support/handler-env.ts';
import { csvOf, type SeattleRow, seattleModel, seattleRows } from './support/seattle.ts';

const env = useHandlerEnvironment();
let rows2012: SeattleRow[] = [];

const baselineJob = () => {
  const adapters = env.adapters();
  const metrics = new RecordingMetrics();
  const handler = makeBaselineJobHandler({
    configs: knownModelConfigs,
    store: adapters.store,
    bucket: BUCKET,
    storeFor: adapters.storeFor,
    registry: adapters.registry,
    runs: adapters.runs,
    metrics,
    now: () => new Date('2026-03-01T00:00:07Z'),
    logger: recordingLogger(),
  });
  return { handler, metrics, adapters };
};

const request = (model: ModelConfig, detail: Record<string, unknown> = {}) => ({
  model: nameOf(model),
  trigger: {
    id: 'req-1',
    source: 'model-care',
    detailType: DETAIL_TYPES.baselineRequested,
    time: '2026-03-01T00:00:00Z',
    detail: { model: model.name, ...detail },
  },
});

beforeAll(async () => {
  rows2012 = (await seattleRows()).filter((r) => r.date.startsWith('2012'));
  const datasets = env.adapters().storeFor(DATASETS_BUCKET);
  await datasets.put('seattle/2012.csv', csvOf(rows2012), 'text/csv');
  await datasets.put('split/part-0.csv', csvOf(rows2012.slice(0, 200)), 'text/csv');
  await datasets.put('split/part-1.csv', csvOf(rows2012.slice(200)), 'text/csv');
  await datasets.put('split/_SUCCESS', '', 'text/plain');
  await datasets.put(
    'headerless.csv',
    `${rows2012.map((r) => [r.precipitation, r.temp_max, r.temp_min, r.wind].join(',')).join('\n')}\n`,
    'text/csv',
  );
});

describe('baseline job', () => {
  test("writes Model Monitor's files with the model's thresholds and points current.json at them", async () => {
    const model = seattleModel({
      name: 'bl-config',
      features: [
        { name: 'precipitation', type: 'numerical' },
        { name: 'temp_max', type: 'numerical', driftThreshold: 0.3 },
        { name: 'temp_min', type: 'numerical' },
        { name: 'wind', type: 'numerical' },
      ],
      thresholds: {
        comparisonThreshold: 0.2,
        categoricalDriftMethod: 'LInfRobust',
        comparisonMethod: 'Simple',
      },
    });
    const { handler, metrics, adapters } = baselineJob();
    const result = await handler(request(model));
    expect(result).toEqual({
      version: 0,
      statisticsUri: `s3://${BUCKET}/baselines/bl-config/0/statistics.json`,
      constraintsUri: `s3://${BUCKET}/baselines/bl-config/0/constraints.json`,
    });
    const statistics = (await adapters.store.getJson('baselines/bl-config/0/statistics.json')) as {
      dataset: { item_count: number };
      features: { name: string }[];
    };
    expect(statistics.dataset.item_count).toBe(366);
    // `date` is not a feature of the model: left out; the output column is kept
    expect(statistics.features.map((f) => f.name)).toEqual([
      'precipitation',
      'temp_max',
      'temp_min',
      'wind',
      'weather',
    ]);
    const constraints = (await adapters.store.getJson('baselines/bl-config/0/constraints.json')) as {
      monitoring_config: { distribution_constraints: Record<string, unknown> };
      features: { name: string; monitoring_config_overrides?: unknown }[];
    };
    expect(constraints.monitoring_config.distribution_constraints).toMatchObject({
      comparison_threshold: 0.2,
      comparison_method: 'Simple',
      categorical_drift_method: 'LInfinity',
    });
    expect(constraints.features.find((f) => f.name === 'temp_max')?.monitoring_config_overrides).toEqual({
      distribution_constraints: { comparison_threshold: 0.3, categorical_comparison_threshold: 0.3 },
    });
    expect(await readBaselinePointer(adapters.store, 'bl-config')).toMatchObject({
      version: 0,
      rows: 366,
      statisticsKey: 'baselines/bl-config/0/statistics.json',
    });
    expect(metrics.runs).toEqual([
      expect.objectContaining({ job: 'baseline', rowCount: 366, failed: false }),
    ]);
    expect((await adapters.runs.getRun('bl-config', 'baseline', '2026-03-01T00:00:00Z'))?.status).toBe('ok');
  });

  test("takes the state machine's version and dataset, and the champion's version otherwise", async () => {
    const model = seattleModel({ name: 'bl-versions' });
    const { handler, adapters } = baselineJob();
    const fromMachine = await handler(
      request(model, { version: 3, datasetUri: `s3://${DATASETS_BUCKET}/split/` }),
    );
    expect(fromMachine.version).toBe(3);
    expect((await readBaselinePointer(adapters.store, 'bl-versions'))?.rows).toBe(366);

    await adapters.registry.registerVersion('bl-versions', {
      version: 2,
      createdAt: '2026-02-01T00:00:00Z',
      artifactUri: 's3://x/model.tar.gz',
      evaluation: {},
    });
    await adapters.registry.setChampion('bl-versions', 2, null);
    const fromChampion = await handler(request(model));
    expect(fromChampion.statisticsUri).toBe(`s3://${BUCKET}/baselines/bl-versions/2/statistics.json`);
    expect((await readBaselinePointer(adapters.store, 'bl-versions'))?.version).toBe(2);
  });

  test('reads a headerless CSV as the features in config order', async () => {
    const model = seattleModel({
      name: 'bl-headerless',
      baseline: { datasetUri: `s3://${DATASETS_BUCKET}/headerless.csv`, header: false },
    });
    const { handler, adapters } = baselineJob();
    await handler(request(model));
    const statistics = (await adapters.store.getJson('baselines/bl-headerless/0/statistics.json')) as {
      features: { name: string }[];
    };
    expect(statistics.features.map((f) => f.name)).toEqual(['precipitation', 'temp_max', 'temp_min', 'wind']);
  });

  test('fails when the dataset lacks a feature column, naming it, and records the failed run', async () => {
    const model = seattleModel({
      name: 'bl-missing',
      features: [{ name: 'humidity', type: 'numerical' }],
    });
    const { handler, metrics } = baselineJob();
    const error = await handler(request(model)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BaselineDatasetError);
    expect((error as Error).message).toContain('"humidity"');
    expect(metrics.runs).toEqual([expect.objectContaining({ job: 'baseline', failed: true })]);
  });

  test('fails when the dataset URI names nothing', async () => {
    const model = seattleModel({
      name: 'bl-nothing',
      baseline: { datasetUri: `s3://${DATASETS_BUCKET}/nope/` },
    });
    await expect(baselineJob().handler(request(model))).rejects.toBeInstanceOf(DatasetNotFoundError);
  });

  test('fails on a malformed request, naming the field', async () => {
    const model = seattleModel({ name: 'bl-bad' });
    const error = await baselineJob()
      .handler(request(model, { version: -1 }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toMatch(/^event\.trigger\.detail\.version: /);
  });
});
