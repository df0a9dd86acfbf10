import { mkdirSync, rmSync } from 'node:fs';
import { makeS3ObjectStore } from '../../functions/adapters/s3/s3-object-store.ts';
import type { RunSummary, TimelineEvent } from '../../functions/engine/report/run-summary.ts';
import { DETAIL_TYPES } from '../../functions/shared/events.ts';
import { synthesizeLocalStack } from '../runtime/local-stack.ts';
import { type LocalWorld, startLocalWorld } from '../runtime/local-world.ts';
import { SimulatedClock } from '../runtime/simulated-clock.ts';
import type { DeliveredNotification } from '../sinks/local-notifier.ts';
import { LOCAL_LABELS_PRODUCER, LOCAL_RECORDS_PRODUCER, signedBy } from './local-producers.ts';
import { type RainFeatures, RainModel } from './rain-model.ts';
import { rainScorer, rainTrainer } from './rain-trainer.ts';
import type { ScenarioOptions } from './scenario-options.ts';
import { loadSeattleDays } from './seattle-days.ts';
import { collectSummary } from './summarize-run.ts';
import { DEFAULT_DRIFT, Traffic } from './traffic.ts';

export const LOCAL_CONFIG = 'config/local.json';
/** the bucket the local config's baseline dataset and training channel point at */
export const DATA_BUCKET = 'model-care-local-data';
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Monday 2 November 2026, midnight UTC: hour 0 of every local run */
export const SCENARIO_START = new Date('2026-11-02T00:00:00Z');
/** requests in flight at once through the capture API */
const CONCURRENCY = 50;
/** rows of the original training data in the retraining channel; recent labelled capture is added to it */
const CHANNEL_SEED_ROWS = 120;

const csvLine = (features: RainFeatures): string => features.join(',');

/**
 * The whole system on one machine: a real model trained on a real dataset serves traffic through the capture
 * API for N simulated hours; from `driftAt` the world changes (warmer, summer-heavy inputs; on windy days rain
 * and dry swap). The hourly data and quality jobs, the alert router and the retraining workflow all run as
 * the synthesized template wires them, on a simulated clock; the run ends with its facts in a RunSummary.
 */
export const runScenario = async (options: ScenarioOptions): Promise<RunSummary> => {
  rmSync(options.outDir, { recursive: true, force: true });
  mkdirSync(options.outDir, { recursive: true });
  const stack = synthesizeLocalStack(LOCAL_CONFIG);
  const model = stack.config.models[0]!;
  const clock = new SimulatedClock(new Date(SCENARIO_START.getTime() - HOUR_MS));
  const timeline: TimelineEvent[] = [];
  let currentHour = -1;
  const note = (kind: TimelineEvent['kind'], text: string, hour = currentHour) => {
    const event = { hour, kind, text };
    timeline.push(event);
    options.onEvent?.(event);
  };
  const onAlert = (alert: DeliveredNotification) =>
    note('alert', `${alert.severity} ${alert.check}: ${alert.subject}`);

  const world = await startLocalWorld({
    stack,
    model: model.name,
    clock,
    outDir: options.outDir,
    trainer: rainTrainer,
    scorer: rainScorer,
    dataBuckets: [DATA_BUCKET],
    onAlert,
    // retrain on what the world looks like now, not on a week that is gone
    captureLookbackHours: 3,
  });
  try {
    const traffic = new Traffic(
      loadSeattleDays(),
      { fromHour: options.driftAt, ...DEFAULT_DRIFT },
      options.seed,
    );
    await deployFirstVersion(world, traffic, model.name, model.endpoint!.name, clock);
    note('info', `model v1 (logistic regression, ${traffic.training.length} training days) serving`, 0);

    const labelsDue = new Map<number, Array<{ eventId: string; label: 0 | 1 }>>();
    for (let hour = 0; hour < options.hours; hour++) {
      currentHour = hour;
      const hourStart = new Date(SCENARIO_START.getTime() + hour * HOUR_MS);
      await world.advanceTo(new Date(hourStart.getTime() + HOUR_MS / 2));
      if (hour === options.driftAt)
        note(
          'drift-injected',
          'covariate shift (4 °C warmer, summer-heavy) and concept change (warm, calm days now rainy)',
        );

      const examples = traffic.hour(hour, options.requestsPerHour);
      const eventIds = await sendTraffic(
        world,
        model.name,
        examples.map((e) => e.features),
      );
      labelsDue.set(
        hour + options.labelDelayHours,
        eventIds.map((eventId, i) => ({ eventId, label: examples[i]!.label })),
      );
      await world.capture.flush();

      // labels that became known during this hour, through the API's labels route
      const labels = labelsDue.get(hour);
      if (labels) {
        await sendLabels(world, model.name, labels);
        labelsDue.delete(hour);
      }

      // the hour closes; the dispatcher's ticks hand out its windows once their grace has passed
      await world.advanceTo(
        new Date(hourStart.getTime() + HOUR_MS + model.schedules.graceMinutes * MINUTE_MS),
      );
      options.onHour?.(hour);
    }
    const summary = await collectSummary(world, {
      model: model.name,
      start: SCENARIO_START,
      options,
      timeline,
      note,
    });
    await options.afterRun?.(world, summary);
    return summary;
  } finally {
    await world.stop();
  }
};

/** v1: trained in-process on the even days, deployed on the local SageMaker, registered as champion, baselined */
const deployFirstVersion = async (
  world: LocalWorld,
  traffic: Traffic,
  model: string,
  endpoint: string,
  clock: SimulatedClock,
): Promise<void> => {
  const v1 = RainModel.train(traffic.training);
  const artifactKey = `models/${model}/v1/model.tar.gz`;
  const artifactUri = `s3://${world.bucket}/${artifactKey}`;
  await world.store.put(artifactKey, JSON.stringify(v1.toJSON()), 'application/json');
  const sageMaker = world.retraining.sageMaker;
  const modelName = `${model}-v1`;
  sageMaker.createModel({
    ModelName: modelName,
    PrimaryContainer: { Image: 'local/rain', ModelDataUrl: artifactUri },
  });
  sageMaker.createEndpointConfig({
    EndpointConfigName: modelName,
    ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: modelName, InitialInstanceCount: 1 }],
  });
  sageMaker.createEndpoint({ EndpointName: endpoint, EndpointConfigName: modelName });
  await sageMaker.settled();
  await world.repositories.registry.registerVersion(model, {
    version: 1,
    createdAt: clock.now().toISOString(),
    artifactUri,
    sagemakerModelName: modelName,
    evaluation: {},
  });
  await world.repositories.registry.setChampion(model, 1, null, clock.now());

  // the baseline dataset: the training features with the model's own scores, as the endpoint will return them
  const scores = v1.score(traffic.training.map((e) => e.features));
  const header = 'temp_max,temp_min,wind,season,rain_probability';
  const rows = traffic.training.map((e, i) => `${csvLine(e.features)},${scores[i]!.toFixed(6)}`);
  const dataStore = makeS3ObjectStore(DATA_BUCKET, world.s3.client);
  await dataStore.put(`${model}/baseline/train.csv`, `${[header, ...rows].join('\n')}\n`, 'text/csv');
  // the training channel: label first, no header, as SageMaker's built-in algorithms read CSV
  const seed = traffic.training.slice(0, CHANNEL_SEED_ROWS).map((e) => `${e.label},${csvLine(e.features)}`);
  await dataStore.put(`${model}/train/seed.csv`, `${seed.join('\n')}\n`, 'text/csv');

  await world.bus.publish([{ detailType: DETAIL_TYPES.baselineRequested, detail: { model } }]);
  await world.bus.drain();
};

/** every request goes through the capture API's proxy route, CONCURRENCY at a time, as clients would call it */
const sendTraffic = async (
  world: LocalWorld,
  model: string,
  rows: readonly RainFeatures[],
): Promise<string[]> => {
  const eventIds: string[] = new Array(rows.length);
  for (let start = 0; start < rows.length; start += CONCURRENCY) {
    const batch = rows.slice(start, start + CONCURRENCY);
    await Promise.all(
      batch.map(async (row, i) => {
        const response = (await world.handlers.capture({
          rawPath: `/models/${model}/invocations`,
          requestContext: signedBy(LOCAL_RECORDS_PRODUCER),
          headers: { 'content-type': 'text/csv', accept: 'text/csv' },
          body: csvLine(row),
        })) as { statusCode: number; headers: Record<string, string>; body: string };
        if (response.statusCode !== 200)
          throw new Error(`capture API answered ${response.statusCode}: ${response.body}`);
        eventIds[start + i] = response.headers['x-model-care-event-id']!;
      }),
    );
  }
  return eventIds;
};

const sendLabels = async (
  world: LocalWorld,
  model: string,
  labels: ReadonlyArray<{ eventId: string; label: 0 | 1 }>,
): Promise<void> => {
  for (let start = 0; start < labels.length; start += 1000) {
    const response = (await world.handlers.capture({
      rawPath: `/models/${model}/labels`,
      requestContext: signedBy(LOCAL_LABELS_PRODUCER),
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        labels: labels
          .slice(start, start + 1000)
          .map((l) => ({ eventId: l.eventId, label: String(l.label) })),
      }),
    })) as { statusCode: number; body: string };
    if (response.statusCode >= 300)
      throw new Error(`labels route answered ${response.statusCode}: ${response.body}`);
  }
};
