import { makeS3StoreFor } from '../adapters/s3/s3-object-store.ts';
import { makeEnvironmentModelAdmin } from '../admin-api/default-model-admin.ts';
import { makeLogger } from '../handler-kit/handler-logger.ts';
import { makeModelsSeedHandler } from './models-seed.ts';

// built once per cold start; a bad environment fails here, naming the variable
const logger = makeLogger();

export const handler = makeModelsSeedHandler({
  admin: makeEnvironmentModelAdmin(logger),
  // one client per bucket the seed reads a config file from
  storeFor: makeS3StoreFor(),
  logger,
});
