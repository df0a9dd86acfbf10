import { randomUUID } from 'node:crypto';
import { makeEmfRunMetrics } from '../adapters/cloudwatch/emf-run-metrics.ts';
import { makeFirehoseCaptureStream } from '../adapters/firehose/firehose-capture-stream.ts';
import { makeS3ObjectStore } from '../adapters/s3/s3-object-store.ts';
import { makeSageMakerInference } from '../adapters/sagemaker/sagemaker-inference.ts';
import { makeLogger } from '../handler-kit/handler-logger.ts';
import { readEnvironment } from '../shared/environment.ts';
import { makeCaptureApiHandler } from './capture-api.ts';
import { type CaptureSink, makeDirectCaptureSink } from './capture-sink.ts';
import { makeRoutedCaptureSink, makeStreamCaptureSink } from './stream-capture-sink.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readEnvironment(['captureBucket', 'captureRoutes', 'captureStreamName']);
const store = makeS3ObjectStore(env.captureBucket);
const now = () => new Date();

const direct = makeDirectCaptureSink({ store, now, newId: randomUUID });
// models on `capture.transport: stream` put their records on the stack's Firehose stream (issue 13)
const streamed = env.captureRoutes.filter((route) => route.transport === 'stream');
const sink: CaptureSink =
  env.captureStreamName && streamed.length > 0
    ? makeRoutedCaptureSink(
        direct,
        makeStreamCaptureSink({ stream: makeFirehoseCaptureStream(env.captureStreamName) }),
        streamed,
      )
    : direct;

export const handler = makeCaptureApiHandler({
  routes: env.captureRoutes,
  sink,
  store,
  inference: makeSageMakerInference(),
  metrics: makeEmfRunMetrics(),
  now,
  logger: makeLogger(),
});
