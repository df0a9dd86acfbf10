import { makeS3StoreFor } from '../../adapters/s3/s3-object-store.ts';
import { makeLogger } from '../../handler-kit/handler-logger.ts';
import { makeEvaluateHandler } from './evaluate.ts';

export const handler = makeEvaluateHandler({
  storeFor: makeS3StoreFor(),
  now: () => new Date(),
  logger: makeLogger(),
});
