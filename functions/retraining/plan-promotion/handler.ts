import { makeSageMakerLiveEndpoint } from '../../adapters/sagemaker/sagemaker-live-endpoint.ts';
import { makeLogger } from '../../handler-kit/handler-logger.ts';
import { makePlanPromotionHandler } from './plan-promotion.ts';

// built once per cold start
export const handler = makePlanPromotionHandler({
  endpoints: makeSageMakerLiveEndpoint(),
  logger: makeLogger(),
});
