import { defaultRunDeps } from '../../handler-kit/default-run-deps.ts';
import { readEnvironment } from '../../shared/environment.ts';
import { makeFanOutReduceHandler } from './reduce.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readEnvironment(['fanOutToleratedPartFailureShare']);

// unset: the reducer's default (config's `fanOut.toleratedPartFailureShare`)
export const handler = makeFanOutReduceHandler({
  ...defaultRunDeps(),
  toleratedPartFailureShare: env.fanOutToleratedPartFailureShare,
});
