import { S3Client } from '@aws-sdk/client-s3';
import { defaultDocumentClient } from '../../adapters/dynamodb/document-client.ts';
import { makeDynamoRegistryRepository } from '../../adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeLogger } from '../../handler-kit/handler-logger.ts';
import { ENV, requireEnv, TABLE_ENV } from '../../shared/env-keys.ts';
import { makeStoreFor } from '../shared/step-deps.ts';
import { makePrepareDataHandler } from './prepare-data.ts';

export const handler = makePrepareDataHandler({
  storeFor: makeStoreFor(new S3Client({})),
  captureBucket: requireEnv(ENV.captureBucket),
  registry: makeDynamoRegistryRepository(requireEnv(TABLE_ENV.registry), defaultDocumentClient),
  logger: makeLogger(),
});
