import { beforeAll, describe, expect, it } from 'vitest';
import { makeBaselineJobHandler, SlotRowsError } from '../../functions/baseline-job/baseline-job.ts';
import { makeDataJobHandler } from '../../functions/data-job/data-job.ts';
import { readBaselinePointer } from '../../functions/handler-kit/baseline-pointer.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { DETAIL_TYPES } from '../../functions/shared/events.ts';
import { knownModelConfigs, nameOf } from '../support/known-model-configs.ts';
import { RecordingMetrics, RecordingPublisher, recordingLogger } from './support/fakes.ts';
import { BUCKET, DATASETS_BUCKET, useHandlerEnvironment } from './support/handler-env.ts';
import { churnModel, type Prediction, seeded, writeCapture } from './support/quality-fixtures.ts';
import { scheduleEvent } from './support/seattle.ts';

// Like with like (issue 12, item 5) on s3rver and dynalite: a seasonal baseline's slots are written by the
// baseline job from `baseline.timeField` and read by the data job, whose windows are then compared with their
// own hour of day. The stream's level follows the hour of day exactly as the baseline's does: nothing changed,
// so a seasonal verdict must stay quiet, while a pooled one sees every hour unlike the day as a whole.
const env = useHandlerEnvironment();
const ROWS_PER_HOUR = 10_000; // the documented minimum per slot (docs/verdicts.md)
const WINDOWS = 48;
const REGIONS = ['north', 'south', 'east'];

/** tenure's level swings ±30 around 50 over the day (UTC), with noise of sd ≈ 5 */
const tenureAt = (hour: number, random: () => number): number => {
  const noise = (random() + random() + random() + random() - 2) * 8.66;
  return Math.round((50 + 30 * Math.sin((2 * Math.PI * hour) / 24) + noise) * 100) / 100;
};

/** the baseline dataset: `rowsPerHour` rows for each hour of one day, with their time */
const baselineCsv = (rowsPerHour: (hour: number) => number, seed: number): string => {
  const random = seeded(seed);
  const lines = ['time,tenure,region,score'];
  for (let h = 0; h < 24; h++) {
    for (let i = 0; i < rowsPerHour(h); i++) {
      const time = `2026-02-01T${String(h).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`;
      lines.push(`${time},${tenureAt(h, random)},${REGIONS[i % 3]},${random().toFixed(3)}`);
    }
  }
  return `${lines.join('\n')}\n`;
};

const seasonalModel = (name: string, seasonality: string, dataset = 'hourly/day.csv'): ModelConfig =>
  churnModel(name, {
    baseline: { datasetUri: `s3://${DATASETS_BUCKET}/${dataset}`, seasonality, timeField: 'time' },
  });

const baselineJob = (model: ModelConfig) => {
  const adapters = env.adapters();
  const metrics = new RecordingMetrics();
  const run = makeBaselineJobHandler({
    store: adapters.store,
    bucket: BUCKET,
    storeFor: adapters.storeFor,
    registry: adapters.registry,
    runs: adapters.runs,
    metrics,
    now: () => new Date('2026-03-01T00:00:05Z'),
    logger: recordingLogger(),
    configs: knownModelConfigs,
  })({
    model: nameOf(model),
    trigger: {
      id: `b-${model.name}`,
      source: 'model-care',
      detailType: DETAIL_TYPES.baselineRequested,
      time: '2026-03-01T00:00:00Z',
      detail: { model: model.name },
    },
  });
  return { run, metrics };
};

const hourIso = (n: number): string => new Date(Date.UTC(2026, 2, 1, n)).toISOString().replace('.000Z', 'Z');

/** 100 captured predictions in hour n (from 2026-03-01T00), their level that hour's, then the hour's data run */
const runHour = async (model: ModelConfig, n: number, random: () => number) => {
  const adapters = env.adapters();
  const hour = n % 24;
  const predictions: Prediction[] = Array.from({ length: 100 }, (_, i) => ({
    id: `${model.name}-${n}-${i}`,
    tenure: tenureAt(hour, random),
    region: REGIONS[i % 3]!,
    score: Number(random().toFixed(3)),
  }));
  await writeCapture(adapters.store, model, predictions, hourIso(n).replace(':00:00Z', ':05:00Z'));
  const at = new Date(Date.UTC(2026, 2, 1, n + 1, 0, 30)).toISOString();
  await makeDataJobHandler({
    store: adapters.store,
    bucket: BUCKET,
    runs: adapters.runs,
    series: adapters.series,
    events: new RecordingPublisher(),
    metrics: new RecordingMetrics(),
    now: () => new Date(at),
    logger: recordingLogger(),
    verdictStates: adapters.detectors,
    configs: knownModelConfigs,
  })(scheduleEvent(model, at));
  return JSON.parse(await adapters.store.getText(`reports/${model.name}/data/${hourIso(n)}/report.json`));
};

/** the first window whose sequential verdict alarms, or null after all of them */
const firstAlarm = async (model: ModelConfig): Promise<number | null> => {
  const random = seeded(7);
  for (let n = 0; n < WINDOWS; n++) {
    const report = await runHour(model, n, random);
    expect(report.sequential.status).toBe('ok');
    if (report.sequential.alarm) return n;
  }
  return null;
};

beforeAll(async () => {
  const datasets = env.adapters().storeFor(DATASETS_BUCKET);
  await datasets.put(
    'hourly/day.csv',
    baselineCsv(() => ROWS_PER_HOUR, 1),
    'text/csv',
  );
  // one slot (03h) thinner than the minimum
  await datasets.put(
    'hourly/thin.csv',
    baselineCsv((h) => (h === 3 ? 812 : 400), 2),
    'text/csv',
  );
}, 60_000);

describe('a seasonal baseline in the deployed path', () => {
  it('writes one profile per hour of day beside the baseline, and points current.json at it', async () => {
    // Prepare
    const model = seasonalModel('season-slots', 'hour-of-day');
    // Act
    await baselineJob(model).run;
    // Assess
    const adapters = env.adapters();
    const pointer = await readBaselinePointer(adapters.store, model.name);
    expect(pointer).toMatchObject({
      rows: 24 * ROWS_PER_HOUR,
      slotsKey: `baselines/${model.name}/0/slots.json`,
    });
    const slots = JSON.parse(await adapters.store.getText(pointer!.slotsKey!));
    expect(slots).toMatchObject({ formatVersion: 1, seasonality: 'hour-of-day', timeField: 'time' });
    expect(slots.rows).toEqual(new Array(24).fill(ROWS_PER_HOUR));
    // each slot holds its own hour's level (50 + 30 sin(2πh/24)); the time column is not profiled
    for (const h of [0, 6, 18]) {
      const features = slots.slots[h].features as { name: string; numerical_statistics?: { mean: number } }[];
      expect(features.map((f) => f.name).sort()).toEqual(['region', 'score', 'tenure']);
      const mean = features.find((f) => f.name === 'tenure')!.numerical_statistics!.mean;
      expect(mean).toBeCloseTo(50 + 30 * Math.sin((2 * Math.PI * h) / 24), 0);
    }
    const pooled = JSON.parse(await adapters.store.getText(pointer!.statisticsKey));
    expect(pooled.dataset.item_count).toBe(24 * ROWS_PER_HOUR);
  }, 60_000);

  it('stays quiet with hour-of-day over 48 hourly windows of a diurnal stream, where a pooled baseline alarms', async () => {
    // Prepare
    const seasonal = seasonalModel('season-daily', 'hour-of-day');
    const pooled = seasonalModel('season-pooled', 'none');
    await baselineJob(seasonal).run;
    await baselineJob(pooled).run;
    // Act
    const pooledAlarm = await firstAlarm(pooled);
    const seasonalAlarm = await firstAlarm(seasonal);
    // Assess
    expect(pooledAlarm).not.toBeNull();
    expect(pooledAlarm!).toBeLessThan(WINDOWS);
    expect(seasonalAlarm).toBeNull();
    const state = await env.adapters().detectors.load(seasonal.name, 'verdict#tenure');
    expect(state?.stateJson ?? '').toContain('seasonality=hour-of-day');
  }, 180_000);

  it('rejects a baseline with a slot thinner than the minimum, naming the setting', async () => {
    // Prepare
    const model = seasonalModel('season-thin', 'hour-of-day', 'hourly/thin.csv');
    const job = baselineJob(model);
    // Act
    const error = await job.run.catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(SlotRowsError);
    expect((error as Error).message).toBe(
      'baseline.seasonality: "hour-of-day": slot 00h holds 400 reference rows, fewer than the minimum 10000 ' +
        '(use a coarser seasonality or a longer reference)',
    );
    expect((error as Error).message.split('\n')).toHaveLength(1);
    expect(job.metrics.runs).toEqual([expect.objectContaining({ job: 'baseline', failed: true })]);
    expect(await readBaselinePointer(env.adapters().store, model.name)).toBeUndefined();
  }, 60_000);
});
