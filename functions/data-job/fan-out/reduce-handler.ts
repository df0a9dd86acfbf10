import { makeDynamoDetectorStateRepository } from '../../adapters/dynamodb/dynamodb-detector-state-repository.ts';
import { requireEnv, TABLE_ENV } from '../../shared/env-keys.ts';
import { defaultRunDeps } from '../../shared/handler-kit/default-run-deps.ts';
import { makeFanOutReduceHandler } from './reduce.ts';

export const handler = makeFanOutReduceHandler({
  ...defaultRunDeps(),
  verdictStates: makeDynamoDetectorStateRepository(requireEnv(TABLE_ENV.state)),
});
