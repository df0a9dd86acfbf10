import { makeRoleCaptureSources } from '../../adapters/s3/role-capture-sources.ts';
import { makeS3ObjectStore } from '../../adapters/s3/s3-object-store.ts';
import { defaultModelConfigs } from '../../handler-kit/default-model-configs.ts';
import { makeLogger } from '../../handler-kit/handler-logger.ts';
import { readEnvironment } from '../../shared/environment.ts';
import { makeProfilePartHandler } from './profile-part.ts';

const env = readEnvironment(['captureBucket', 'modelAccessRoles']);
const store = makeS3ObjectStore(env.captureBucket);

export const handler = makeProfilePartHandler({
  configs: defaultModelConfigs(),
  store,
  // capture outside the stack bucket (capture.s3Uri) is read with the model's access role
  captureSources: makeRoleCaptureSources({ store, bucket: env.captureBucket }, env.modelAccessRoles),
  logger: makeLogger(),
});
