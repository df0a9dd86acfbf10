import { randomUUID } from 'node:crypto';
import { makeEmfRunMetrics } from '../adapters/cloudwatch/emf-run-metrics.ts';
import { makeFirehoseCaptureStream } from '../adapters/firehose/firehose-capture-stream.ts';
import { makeS3ObjectStore } from '../adapters/s3/s3-object-store.ts';
import { makeSageMakerInference } from '../adapters/sagemaker/sagemaker-inference.ts';
import { defaultModelConfigs } from '../handler-kit/default-model-configs.ts';
import { makeLogger } from '../handler-kit/handler-logger.ts';
import { readEnvironment } from '../shared/environment.ts';
import { makeCaptureApiHandler } from './capture-api.ts';
import { routesFromConfigs } from './capture-route-lookup.ts';
import { makeDirectCaptureSink } from './capture-sink.ts';
import { makeRoutedCaptureSink, makeStreamCaptureSink } from './stream-capture-sink.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readEnvironment(['captureBucket', 'captureStreamName']);
const store = makeS3ObjectStore(env.captureBucket);
const now = () => new Date();

const direct = makeDirectCaptureSink({ store, now, newId: randomUUID });
// models on `capture.transport: stream` put their records on the stack's Firehose stream (issue 13); the stack
// makes the stream when some model of its config streams
const sink = env.captureStreamName
  ? makeRoutedCaptureSink(
      direct,
      makeStreamCaptureSink({ stream: makeFirehoseCaptureStream(env.captureStreamName) }),
    )
  : direct;

export const handler = makeCaptureApiHandler({
  // models are data: a model put through the admin API is served at once, without a deploy
  routes: routesFromConfigs(defaultModelConfigs()),
  sink,
  store,
  inference: makeSageMakerInference(),
  metrics: makeEmfRunMetrics(),
  now,
  logger: makeLogger(),
});
