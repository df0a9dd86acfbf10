import { makeS3ObjectStore } from '../../adapters/s3/s3-object-store.ts';
import { makeLogger } from '../../handler-kit/handler-logger.ts';
import { readJobEnvironment } from '../../handler-kit/job-environment.ts';
import { makeProfilePartHandler } from './profile-part.ts';

const env = readJobEnvironment();

export const handler = makeProfilePartHandler({ store: makeS3ObjectStore(env.bucket), logger: makeLogger() });
