import { makeDynamoDetectorStateRepository } from '../../adapters/dynamodb/dynamodb-detector-state-repository.ts';
import { defaultRunDeps } from '../../handler-kit/default-run-deps.ts';
import { readEnvironment } from '../../shared/environment.ts';
import { makeFanOutReduceHandler } from './reduce.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readEnvironment(['fanOutToleratedPartFailureShare', 'stateTable']);

// unset: the reducer's default (config's `fanOut.toleratedPartFailureShare`)
export const handler = makeFanOutReduceHandler({
  ...defaultRunDeps(),
  toleratedPartFailureShare: env.fanOutToleratedPartFailureShare,
  // the sequential verdicts' evidence per feature, and the harm state the quality job keeps (issue 12)
  verdictStates: makeDynamoDetectorStateRepository(env.stateTable),
});
