import { S3Client } from '@aws-sdk/client-s3';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { accessRoleArn, type StackIdentity } from '../../shared/model-roles.ts';
import { type CaptureSources, makeCaptureSources } from '../capture-source.ts';
import type { ObjectStore } from '../object-store.ts';
import { makeS3ObjectStore } from './s3-object-store.ts';

/**
 * Capture sources for the cloud: capture outside the stack bucket is read with the model's access role (fleet
 * design, section 4), whose inline policy grants exactly that prefix and `kms:Decrypt` on exactly its key. The
 * SDK's provider caches the role's credentials and renews them before they expire; one client per model and
 * bucket is kept for the container's life. Without `identity` (the local twin, tests) the default client reads.
 */
export const makeRoleCaptureSources = (
  stack: { readonly store: ObjectStore; readonly bucket: string },
  identity: StackIdentity | undefined,
  makeClient: (roleArn: string, model: string) => S3Client = (roleArn, model) =>
    new S3Client({
      credentials: fromTemporaryCredentials({
        params: { RoleArn: roleArn, RoleSessionName: `model-care-${model}`.slice(0, 64) },
      }),
    }),
): CaptureSources => {
  const stores = new Map<string, ObjectStore>();
  return makeCaptureSources(stack, (bucket, model) => {
    const key = `${model.name}/${bucket}`;
    let store = stores.get(key);
    if (!store) {
      store = identity
        ? makeS3ObjectStore(bucket, makeClient(accessRoleArn(identity, model.name), model.name))
        : makeS3ObjectStore(bucket);
      stores.set(key, store);
    }
    return store;
  });
};
