import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeS3ObjectStore } from '../../functions/adapters/s3/s3-object-store.ts';
import type { ModelConfigInput } from '../../functions/shared/config/model-schema.ts';
import { DETAIL_TYPES } from '../../functions/shared/events.ts';
import { LOCAL_PRINCIPAL } from '../../local/function-url-server.ts';
import { synthesizeLocalStack } from '../../local/runtime/local-stack.ts';
import { type LocalWorld, startLocalWorld } from '../../local/runtime/local-world.ts';
import { SimulatedClock } from '../../local/runtime/simulated-clock.ts';
import { signedBy } from '../../local/scenario/local-producers.ts';
import { rainScorer, rainTrainer } from '../../local/scenario/rain-trainer.ts';
import { modelInput, retraining, wideFeatures } from '../support/model-fixtures.ts';

/** the bucket the fleet's baseline datasets live in */
export const FLEET_DATA_BUCKET = 'fleet-twin-data';

/** a model served outside SageMaker, `features` numerical features, hourly data checks, daily quality */
export const fleetModel = (name: string, features: number): ModelConfigInput =>
  modelInput(name, {
    endpoint: undefined,
    features: wideFeatures(features),
    baseline: { datasetUri: `s3://${FLEET_DATA_BUCKET}/${name}/baseline.csv` },
    schedules: { data: 'rate(1 hour)', quality: 'rate(1 day)' },
    producers: { records: [LOCAL_PRINCIPAL] },
  });

/**
 * The local twin runs one model's retraining state machine (as `npm start` does): this model has it, and no
 * traffic, so the fleet's own models are the ones without retraining, as in the template-size test.
 */
export const ANCHOR_MODEL = 'anchor';
const anchorModel = (): ModelConfigInput => ({
  ...fleetModel(ANCHOR_MODEL, 2),
  retraining: {
    ...retraining(ANCHOR_MODEL),
    inputChannels: [{ name: 'train', s3Uri: `s3://${FLEET_DATA_BUCKET}/${ANCHOR_MODEL}/train/` }],
  },
});

/** a deterministic value in [0, 1) per (row, column), shifted by `shift` */
const value = (row: number, column: number, shift: number): string =>
  (((row * 7919 + column * 104729) % 1000) / 1000 + shift).toFixed(3);

const rowOf = (features: number, row: number, shift: number): string[] =>
  Array.from({ length: features }, (_, c) => value(row, c, shift));

/**
 * The local twin built from a config file written for the test (the template synthesized from it, as
 * `npm start` does), with each model's baseline dataset in place and its baseline built.
 */
export const startFleetWorld = async (
  dir: string,
  fleet: readonly ModelConfigInput[],
  start: Date,
): Promise<{ world: LocalWorld; clock: SimulatedClock }> => {
  mkdirSync(dir, { recursive: true });
  const models = [...fleet, anchorModel()];
  const configFile = join(dir, 'fleet.json');
  writeFileSync(configFile, JSON.stringify({ stackName: 'FleetTwin', removalPolicy: 'destroy', models }));
  const stack = synthesizeLocalStack(configFile);
  const clock = new SimulatedClock(start);
  const world = await startLocalWorld({
    stack,
    model: ANCHOR_MODEL,
    clock,
    outDir: dir,
    // no model here retrains: the trainer and scorer are never called
    trainer: rainTrainer,
    scorer: rainScorer,
    dataBuckets: [FLEET_DATA_BUCKET],
  });
  const data = makeS3ObjectStore(FLEET_DATA_BUCKET, world.s3.client);
  for (const model of models) {
    const features = model.features.length;
    const header = [...model.features.map((f) => f.name), 'churn_probability'].join(',');
    const rows = Array.from({ length: 200 }, (_, r) => [...rowOf(features, r, 0), '0.5'].join(','));
    await data.put(`${model.name}/baseline.csv`, `${[header, ...rows].join('\n')}\n`, 'text/csv');
  }
  await world.bus.publish(
    models.map((model) => ({ detailType: DETAIL_TYPES.baselineRequested, detail: { model: model.name } })),
  );
  await world.bus.drain();
  return { world, clock };
};

/** `count` records for the model through the capture API's records route, values shifted by `shift` */
export const sendRecords = async (
  world: LocalWorld,
  model: ModelConfigInput,
  count: number,
  shift = 0,
): Promise<void> => {
  const records = Array.from({ length: count }, (_, r) => ({
    request: { contentType: 'text/csv', data: rowOf(model.features.length, r + 11, shift).join(',') },
    response: { contentType: 'text/csv', data: '0.5' },
  }));
  const response = (await world.handlers.capture({
    rawPath: `/models/${model.name}/records`,
    requestContext: signedBy(LOCAL_PRINCIPAL),
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ records }),
  })) as { statusCode: number; body: string };
  if (response.statusCode !== 200) {
    throw new Error(`capture API answered ${response.statusCode}: ${response.body}`);
  }
  await world.capture.flush();
};
