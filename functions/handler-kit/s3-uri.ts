import type { ObjectStore } from '../adapters/object-store.ts';
import { InvalidEventError } from './invalid-event-error.ts';

export interface S3Location {
  readonly bucket: string;
  /** may be empty (the whole bucket) or end with `/` (a prefix) */
  readonly key: string;
}

export const parseS3Uri = (uri: string, field: string): S3Location => {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!match) throw new InvalidEventError(`${field}: ${JSON.stringify(uri)} is not an s3://bucket/key URI`);
  return { bucket: match[1] ?? '', key: match[2] ?? '' };
};

export const s3Uri = (bucket: string, key: string): string => `s3://${bucket}/${key}`;

/** an ObjectStore per bucket: datasets may live outside the capture store */
export type StoreFor = (bucket: string) => ObjectStore;

/** the capture store for its own bucket, `make(bucket)` for any other, each built once */
export const cachedStoreFor = (
  home: { readonly bucket: string; readonly store: ObjectStore },
  make: (bucket: string) => ObjectStore,
): StoreFor => {
  const stores = new Map<string, ObjectStore>([[home.bucket, home.store]]);
  return (bucket) => {
    let store = stores.get(bucket);
    if (!store) {
      store = make(bucket);
      stores.set(bucket, store);
    }
    return store;
  };
};
