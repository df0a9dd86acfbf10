import { randomUUID } from 'node:crypto';
import type { ObjectStore } from '../../../functions/adapters/object-store.ts';
import { captureObjectKey, groundTruthHourPrefix } from '../../../functions/adapters/s3-layout.ts';
import { captureLine, groundTruthLine } from '../../../functions/capture-api/capture-line.ts';
import type { ModelConfig } from '../../../functions/shared/config/model-schema.ts';
import { parseModelConfig } from '../../../functions/shared/config/parse-config.ts';

/** a binary model scoring two features and a region; its score is the probability of label 1 */
export const churnModel = (name: string, overrides: Record<string, unknown> = {}): ModelConfig =>
  parseModelConfig({
    name,
    problemType: 'binary',
    features: [
      { name: 'tenure', type: 'numerical' },
      { name: 'region', type: 'categorical' },
    ],
    outputs: [{ name: 'score', role: 'score' }],
    baseline: { datasetUri: 's3://team-datasets/churn.csv' },
    schedules: { data: 'rate(1 hour)', quality: 'rate(1 day)' },
    ...overrides,
  });

export interface Prediction {
  readonly id: string;
  readonly score: number;
  readonly region: string;
  readonly tenure: number;
}

/** writes predictions as one capture object of the model at `at` */
export const writeCapture = async (
  store: ObjectStore,
  model: ModelConfig,
  predictions: readonly Prediction[],
  at: string,
): Promise<string> => {
  const time = new Date(at);
  const key = captureObjectKey(model.name, 'AllTraffic', time, randomUUID());
  const body = predictions
    .map((p) =>
      captureLine({
        eventId: randomUUID(),
        inferenceId: p.id,
        inferenceTime: time,
        request: { contentType: 'text/csv', body: Buffer.from(`${p.tenure},${p.region}`) },
        response: { contentType: 'text/csv', body: Buffer.from(String(p.score)) },
      }),
    )
    .join('');
  await store.put(key, body, 'application/jsonlines');
  return key;
};

/** writes labels as one ground-truth object in the hour of `at` */
export const writeLabels = async (
  store: ObjectStore,
  model: string,
  labels: readonly { id: string; label: string | number }[],
  at: string,
  name = randomUUID(),
): Promise<string> => {
  const time = new Date(at);
  const key = `${groundTruthHourPrefix(model, time)}${name}.jsonl`;
  const body = labels
    .map((l) => groundTruthLine({ eventId: randomUUID(), inferenceId: l.id, data: String(l.label), time }))
    .join('');
  await store.put(key, body, 'application/jsonlines');
  return key;
};

/** a seeded uniform generator (mulberry32), so streams with change points are the same on every run */
export const seeded = (seed: number) => {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};
