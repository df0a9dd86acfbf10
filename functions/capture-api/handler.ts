import { randomUUID } from 'node:crypto';
import { makeEmfRunMetrics } from '../adapters/cloudwatch/emf-run-metrics.ts';
import { makeS3ObjectStore } from '../adapters/s3/s3-object-store.ts';
import { makeSageMakerInference } from '../adapters/sagemaker/sagemaker-inference.ts';
import { defaultModelConfigs } from '../handler-kit/default-model-configs.ts';
import { makeLogger } from '../handler-kit/handler-logger.ts';
import { readEnvironment } from '../shared/environment.ts';
import { makeCaptureApiHandler } from './capture-api.ts';
import { routesFromConfigs } from './capture-route-lookup.ts';
import { makeDirectCaptureSink } from './capture-sink.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readEnvironment(['captureBucket']);
const store = makeS3ObjectStore(env.captureBucket);
const now = () => new Date();

export const handler = makeCaptureApiHandler({
  // models are data: a model put through the admin API is served at once, without a deploy
  routes: routesFromConfigs(defaultModelConfigs()),
  sink: makeDirectCaptureSink({ store, now, newId: randomUUID }),
  store,
  inference: makeSageMakerInference(),
  metrics: makeEmfRunMetrics(),
  now,
  logger: makeLogger(),
});
