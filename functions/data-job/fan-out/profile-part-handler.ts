import { makeS3ObjectStore } from '../../adapters/s3/s3-object-store.ts';
import { defaultModelConfigs } from '../../handler-kit/default-model-configs.ts';
import { makeLogger } from '../../handler-kit/handler-logger.ts';
import { readEnvironment } from '../../shared/environment.ts';
import { makeProfilePartHandler } from './profile-part.ts';

const env = readEnvironment(['captureBucket']);

export const handler = makeProfilePartHandler({
  configs: defaultModelConfigs(),
  store: makeS3ObjectStore(env.captureBucket),
  logger: makeLogger(),
});
