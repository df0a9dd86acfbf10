import { makeDynamoModelStore } from '../adapters/dynamodb/dynamodb-model-store.ts';
import { makeS3ObjectStore, makeS3StoreFor } from '../adapters/s3/s3-object-store.ts';
import { defaultRunDeps } from '../handler-kit/default-run-deps.ts';
import { modelForTransformJob } from '../shared/config/batch-transform-schema.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';
import { readEnvironment } from '../shared/environment.ts';
import { makeBatchTransformJobHandler } from './batch-transform-job.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readEnvironment(['captureBucket', 'modelsTable']);
const deps = defaultRunDeps();
const models = makeDynamoModelStore(env.modelsTable);

/** the active models' current configs, looked up per event: transform jobs are rare, and configs change as data */
const modelForJob = async (job: string): Promise<ModelConfig | undefined> => {
  const summaries = await models.list();
  const configs = await Promise.all(summaries.map(async (s) => (await deps.configs.load(s.name)).config));
  return modelForTransformJob(configs, job);
};

export const handler = makeBatchTransformJobHandler({
  ...deps,
  modelForJob,
  storeFor: makeS3StoreFor(undefined, { [env.captureBucket]: makeS3ObjectStore(env.captureBucket) }),
});
