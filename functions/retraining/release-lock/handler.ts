import { defaultDocumentClient } from '../../adapters/dynamodb/document-client.ts';
import { makeDynamoLockRepository } from '../../adapters/dynamodb/dynamodb-lock-repository.ts';
import { makeDynamoRetrainingRunLog } from '../../adapters/dynamodb/dynamodb-retraining-run-log.ts';
import { makeLogger } from '../../handler-kit/handler-logger.ts';
import { requireEnv, TABLE_ENV } from '../../shared/env-keys.ts';
import { makeReleaseLockHandler } from './release-lock.ts';

const stateTable = requireEnv(TABLE_ENV.state);

export const handler = makeReleaseLockHandler({
  locks: makeDynamoLockRepository(stateTable, defaultDocumentClient),
  runs: makeDynamoRetrainingRunLog(stateTable, defaultDocumentClient),
  now: () => new Date(),
  logger: makeLogger(),
});
