import { makeS3ObjectStore } from '../adapters/s3/s3-object-store.ts';
import { makeEnvironmentModelAdmin } from '../admin-api/default-model-admin.ts';
import { makeLogger } from '../shared/handler-kit/handler-logger.ts';
import { makeModelsSeedHandler } from './models-seed.ts';

// built once per cold start; a bad environment fails here, naming the variable
const logger = makeLogger();
const stores = new Map<string, ReturnType<typeof makeS3ObjectStore>>();

export const handler = makeModelsSeedHandler({
  admin: makeEnvironmentModelAdmin(logger),
  storeFor: (bucket) => {
    let store = stores.get(bucket);
    if (!store) {
      store = makeS3ObjectStore(bucket);
      stores.set(bucket, store);
    }
    return store;
  },
  logger,
});
