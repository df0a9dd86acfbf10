import type { S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore } from '../../adapters/object-store.ts';
import { makeS3ObjectStore } from '../../adapters/s3/s3-object-store.ts';

/** the handlers' logger port (Powertools' Logger in Lambda), so tests can pass a silent or recording one */
export type { HandlerLogger as StepLogger } from '../../handler-kit/handler-logger.ts';

/** an ObjectStore per bucket: channel sources may live outside the capture store */
export type StoreFor = (bucket: string) => ObjectStore;

export const makeStoreFor = (s3: S3Client): StoreFor => {
  const stores = new Map<string, ObjectStore>();
  return (bucket) => {
    let store = stores.get(bucket);
    if (!store) {
      store = makeS3ObjectStore(bucket, s3);
      stores.set(bucket, store);
    }
    return store;
  };
};

/** seconds a retraining lock must outlive the execution (the state machine's timeout) plus a margin */
export const LOCK_MARGIN_SECONDS = 5 * 60;
