import { makeDynamoLockRepository } from '../../adapters/dynamodb/dynamodb-lock-repository.ts';
import { makeDynamoRetrainingRunLog } from '../../adapters/dynamodb/dynamodb-retraining-run-log.ts';
import { makeLogger } from '../../handler-kit/handler-logger.ts';
import { readEnvironment } from '../../shared/environment.ts';
import { makeAcquireLockHandler } from './acquire-lock.ts';

// built once per cold start; a bad environment fails here, naming the variable
const { stateTable } = readEnvironment(['stateTable']);

export const handler = makeAcquireLockHandler({
  locks: makeDynamoLockRepository(stateTable),
  runs: makeDynamoRetrainingRunLog(stateTable),
  now: () => new Date(),
  logger: makeLogger(),
});
