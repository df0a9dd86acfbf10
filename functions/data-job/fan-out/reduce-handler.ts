import { ENV } from '../../shared/env-keys.ts';
import { toleratedPartFailureShareFrom } from '../../shared/fan-out-settings.ts';
import { defaultRunDeps } from '../../shared/handler-kit/default-run-deps.ts';
import { makeFanOutReduceHandler } from './reduce.ts';

// built once per cold start; a bad environment fails here, naming the variable
export const handler = makeFanOutReduceHandler({
  ...defaultRunDeps(),
  toleratedPartFailureShare: toleratedPartFailureShareFrom(
    process.env[ENV.fanOutToleratedPartFailureShare],
    ENV.fanOutToleratedPartFailureShare,
  ),
});
