import { S3Client } from '@aws-sdk/client-s3';
import { defaultDocumentClient } from '../../adapters/dynamodb/document-client.ts';
import { makeDynamoRegistryRepository } from '../../adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeS3StoreFor } from '../../adapters/s3/s3-object-store.ts';
import { makeLogger } from '../../handler-kit/handler-logger.ts';
import { ENV, requireEnv, TABLE_ENV } from '../../shared/env-keys.ts';
import { makePrepareDataHandler } from './prepare-data.ts';

export const handler = makePrepareDataHandler({
  storeFor: makeS3StoreFor(new S3Client({})),
  captureBucket: requireEnv(ENV.captureBucket),
  registry: makeDynamoRegistryRepository(requireEnv(TABLE_ENV.registry), defaultDocumentClient),
  logger: makeLogger(),
});
