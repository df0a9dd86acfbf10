import { defaultDocumentClient } from '../../adapters/dynamodb/document-client.ts';
import { makeDynamoRegistryRepository } from '../../adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeDynamoVersionLedger } from '../../adapters/dynamodb/dynamodb-version-ledger.ts';
import { makeLogger } from '../../handler-kit/handler-logger.ts';
import { requireEnv, TABLE_ENV } from '../../shared/env-keys.ts';
import { makeRecordOutcomeHandler } from './record-outcome.ts';

const registryTable = requireEnv(TABLE_ENV.registry);

export const handler = makeRecordOutcomeHandler({
  registry: makeDynamoRegistryRepository(registryTable, defaultDocumentClient),
  ledger: makeDynamoVersionLedger(registryTable, defaultDocumentClient),
  now: () => new Date(),
  logger: makeLogger(),
});
