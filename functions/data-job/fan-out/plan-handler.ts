import { makeS3ObjectStore } from '../../adapters/s3/s3-object-store.ts';
import { makeLogger } from '../../handler-kit/handler-logger.ts';
import { readJobEnvironment } from '../../handler-kit/job-environment.ts';
import { makeFanOutPlanHandler } from './plan.ts';

const env = readJobEnvironment();

export const handler = makeFanOutPlanHandler({ store: makeS3ObjectStore(env.bucket), logger: makeLogger() });
