import { randomUUID } from 'node:crypto';
import { makeEmfRunMetrics } from '../adapters/cloudwatch/emf-run-metrics.ts';
import { makeS3ObjectStore } from '../adapters/s3/s3-object-store.ts';
import { makeSageMakerInference } from '../adapters/sagemaker/sagemaker-inference.ts';
import { makeLogger } from '../handler-kit/handler-logger.ts';
import { parseCaptureRoutes } from '../shared/config/capture-routes.ts';
import { ENV, requireEnv } from '../shared/env-keys.ts';
import { makeCaptureApiHandler } from './capture-api.ts';
import { makeDirectCaptureSink } from './capture-sink.ts';

// built once per cold start; a bad environment fails here, naming the variable
const store = makeS3ObjectStore(requireEnv(ENV.captureBucket));
const now = () => new Date();

export const handler = makeCaptureApiHandler({
  routes: parseCaptureRoutes(requireEnv(ENV.captureRoutes), ENV.captureRoutes),
  sink: makeDirectCaptureSink({ store, now, newId: randomUUID }),
  store,
  inference: makeSageMakerInference(),
  metrics: makeEmfRunMetrics(),
  now,
  logger: makeLogger(),
});
