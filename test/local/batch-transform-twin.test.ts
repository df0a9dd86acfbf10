import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeS3ObjectStore } from '../../functions/adapters/s3/s3-object-store.ts';
import { DETAIL_TYPES } from '../../functions/shared/events.ts';
import { synthesizeLocalStack } from '../../local/runtime/local-stack.ts';
import { type LocalWorld, startLocalWorld } from '../../local/runtime/local-world.ts';
import { SimulatedClock } from '../../local/runtime/simulated-clock.ts';
import { rainScorer, rainTrainer } from '../../local/scenario/rain-trainer.ts';
import { DATA_BUCKET } from '../../local/scenario/run-scenario.ts';
import type { DeliveredNotification } from '../../local/sinks/local-notifier.ts';

/**
 * Issue 17, section 3, in the local twin: SageMaker's completion event for a batch transform job goes through the
 * template's own rule to the batch transform function, which judges the job's captured input.
 */

const MODEL = 'seattle-rain';
const SEASONS = ['winter', 'spring', 'summer', 'autumn'];
const features = (i: number, shift = 0): string => {
  const max = 10 + ((i * 7) % 20) + shift;
  return `${max},${max - 5 - (i % 4)},${((i * 3) % 10) / 2},${SEASONS[i % 4]}`;
};

const transformJobCompleted = (job: string) => ({
  TransformJobName: job,
  TransformJobStatus: 'Completed',
  TransformStartTime: Date.parse('2026-11-02T01:05:00Z'),
  TransformEndTime: Date.parse('2026-11-02T01:25:00Z'),
});

describe('a batch transform job judged on its completion event in the local twin', () => {
  let world: LocalWorld;
  let batchFunction: string | undefined;
  const alerts: DeliveredNotification[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'model-care-batch-twin-'));
    const config = JSON.parse(readFileSync('config/local.json', 'utf8'));
    config.models[0].batchTransform = {
      jobNamePrefix: 'rain-batch',
      captureUri: `s3://${DATA_BUCKET}/batch-capture`,
      format: 'csv',
    };
    const file = join(dir, 'local.json');
    writeFileSync(file, JSON.stringify(config));
    const clock = new SimulatedClock(new Date('2026-11-02T01:30:00Z'));
    const stack = synthesizeLocalStack(file);
    batchFunction = stack.ids.functions.batchTransform;
    world = await startLocalWorld({
      stack,
      model: MODEL,
      clock,
      outDir: dir,
      trainer: rainTrainer,
      scorer: rainScorer,
      dataBuckets: [DATA_BUCKET],
      onAlert: (alert) => alerts.push(alert),
    });
    const data = makeS3ObjectStore(DATA_BUCKET, world.s3.client);
    const rows = Array.from({ length: 400 }, (_, i) => `${features(i)},${((i * 13) % 100) / 100}`);
    await data.put(
      `${MODEL}/baseline/train.csv`,
      `temp_max,temp_min,wind,season,rain_probability\n${rows.join('\n')}\n`,
      'text/csv',
    );
    await world.bus.publish([{ detailType: DETAIL_TYPES.baselineRequested, detail: { model: MODEL } }]);
    await world.bus.drain();
    const batch = (shift: number) =>
      `${Array.from({ length: 400 }, (_, i) => features(i, shift)).join('\n')}\n`;
    await data.put('batch-capture/input/2026/11/02/01/rain-batch-calm/part-0.csv', batch(0), 'text/csv');
    await data.put('batch-capture/input/2026/11/02/01/rain-batch-hot/part-0.csv', batch(40), 'text/csv');
  }, 120_000);

  afterAll(async () => {
    await world?.stop();
  });

  test('a calm job passes: run recorded ok, no alert', async () => {
    world.bus.serviceEvent(
      'aws.sagemaker',
      'SageMaker Transform Job State Change',
      transformJobCompleted('rain-batch-calm'),
    );
    await world.bus.drain();
    expect(world.dispatchErrors).toEqual([]);
    // the template's own rule delivered it, to the batch transform function
    expect(batchFunction).toBeDefined();
    expect(
      world.bus.delivered
        .filter((d) => d.detailType === 'SageMaker Transform Job State Change')
        .map((d) => d.target),
    ).toEqual([batchFunction]);
    const run = await world.repositories.runs.getRun(MODEL, 'data', '2026-11-02T01:05:00Z');
    expect(run).toMatchObject({ status: 'ok' });
    expect(alerts).toEqual([]);
  }, 60_000);

  test('a drifted job fails: its violations reach the alert router and an alert is delivered', async () => {
    world.bus.serviceEvent('aws.sagemaker', 'SageMaker Transform Job State Change', {
      ...transformJobCompleted('rain-batch-hot'),
      TransformStartTime: Date.parse('2026-11-02T01:06:00Z'),
    });
    await world.bus.drain();
    expect(world.dispatchErrors).toEqual([]);
    const run = await world.repositories.runs.getRun(MODEL, 'data', '2026-11-02T01:06:00Z');
    expect(run).toMatchObject({ status: 'violations' });
    expect(alerts.length).toBeGreaterThan(0);
  }, 60_000);

  test('a job that failed is not judged (the rule matches only Completed)', async () => {
    const before = world.bus.delivered.length;
    world.bus.serviceEvent('aws.sagemaker', 'SageMaker Transform Job State Change', {
      ...transformJobCompleted('rain-batch-calm'),
      TransformJobStatus: 'Failed',
    });
    await world.bus.drain();
    expect(world.bus.delivered.length).toBe(before);
  });
});
