import { defaultModelConfigs } from '../../handler-kit/default-model-configs.ts';
import { makeLogger } from '../../handler-kit/handler-logger.ts';
import { readEnvironment } from '../../shared/environment.ts';
import { makeLoadModelHandler } from './load-model.ts';

// built once per cold start; a bad environment fails here, naming the variable
const { modelRoleStack, captureBucket } = readEnvironment(['modelRoleStack', 'captureBucket']);

export const handler = makeLoadModelHandler({
  configs: defaultModelConfigs(),
  stack: modelRoleStack,
  captureBucket,
  logger: makeLogger(),
});
