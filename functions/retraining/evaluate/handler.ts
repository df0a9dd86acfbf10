import { S3Client } from '@aws-sdk/client-s3';
import { makeLogger } from '../../handler-kit/handler-logger.ts';
import { makeStoreFor } from '../shared/step-deps.ts';
import { makeEvaluateHandler } from './evaluate.ts';

export const handler = makeEvaluateHandler({
  storeFor: makeStoreFor(new S3Client({})),
  now: () => new Date(),
  logger: makeLogger(),
});
