import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { defaultDocumentClient } from '../../adapters/dynamodb/document-client.ts';
import { makeDynamoRegistryRepository } from '../../adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeDynamoVersionLedger } from '../../adapters/dynamodb/dynamodb-version-ledger.ts';
import { makeSageMakerEndpointControl } from '../../adapters/sagemaker/sagemaker-endpoint-control.ts';
import { makeLogger } from '../../handler-kit/handler-logger.ts';
import { requireEnv, TABLE_ENV } from '../../shared/env-keys.ts';
import { makeRollbackHandler } from './rollback.ts';

const registryTable = requireEnv(TABLE_ENV.registry);

export const handler = makeRollbackHandler({
  registry: makeDynamoRegistryRepository(registryTable, defaultDocumentClient),
  ledger: makeDynamoVersionLedger(registryTable, defaultDocumentClient),
  endpoints: makeSageMakerEndpointControl(new SageMakerClient({})),
  now: () => new Date(),
  logger: makeLogger(),
});
