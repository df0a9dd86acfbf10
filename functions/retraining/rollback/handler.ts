import { makeDynamoRegistryRepository } from '../../adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeDynamoVersionLedger } from '../../adapters/dynamodb/dynamodb-version-ledger.ts';
import { makeLogger } from '../../handler-kit/handler-logger.ts';
import { readEnvironment } from '../../shared/environment.ts';
import { makeRollbackHandler } from './rollback.ts';

// built once per cold start; a bad environment fails here, naming the variable
const { registryTable } = readEnvironment(['registryTable']);

export const handler = makeRollbackHandler({
  registry: makeDynamoRegistryRepository(registryTable),
  ledger: makeDynamoVersionLedger(registryTable),
  now: () => new Date(),
  logger: makeLogger(),
});
