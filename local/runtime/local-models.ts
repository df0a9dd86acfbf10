import { readFileSync } from 'node:fs';
import { makeDynamoModelStore } from '../../functions/adapters/dynamodb/dynamodb-model-store.ts';
import { makeS3StoreFor } from '../../functions/adapters/s3/s3-object-store.ts';
import { type ModelAdmin, makeModelAdmin } from '../../functions/admin-api/model-admin.ts';
import type { HandlerLogger } from '../../functions/handler-kit/handler-logger.ts';
import { makeModelsSeedHandler } from '../../functions/models-seed/models-seed.ts';
import type { SeedResult } from '../../functions/models-seed/seed-request.ts';
import { readEnvironment } from '../../functions/shared/environment.ts';
import type { DynamoEmulator, S3Emulator } from '../emulators.ts';
import {
  type LocalModelSubscriptions,
  makeLocalModelRoles,
  makeLocalModelSubscriptions,
} from '../local-model-ports.ts';
import { resolveIntrinsics } from '../step-functions/resolve-state-machine.ts';
import type { LocalStack } from './local-stack.ts';

/** the account and region intrinsics resolve to locally (resolve-state-machine.ts's defaults) */
const LOCAL_ACCOUNT = '123456789012';
const LOCAL_REGION = 'us-east-1';

export interface LocalModels {
  /** the admin service over the models table on dynalite, as the admin API's Lambda builds it */
  readonly admin: ModelAdmin;
  /** who receives each model's alerts (the twin has no SNS subscriptions) */
  readonly subscriptions: LocalModelSubscriptions;
  /** the seed's answer to CloudFormation at the twin's "deploy" */
  readonly seeded: SeedResult;
}

/** a Lambda's environment variables as the template gives them, intrinsics resolved the twin's way */
export const templateEnvironment = (stack: LocalStack, functionId: string): Record<string, string> => {
  const variables = (
    stack.template.Resources[functionId]?.Properties?.Environment as
      | { Variables?: Record<string, unknown> }
      | undefined
  )?.Variables;
  if (!variables) throw new Error(`the template's ${functionId} has no environment`);
  return Object.fromEntries(
    Object.entries(variables).map(([key, value]) => [key, String(resolveIntrinsics(value, stack.template))]),
  );
};

/**
 * What `cdk deploy` does for the models, on the emulators: the models asset goes where the template's custom
 * resource says (the bootstrap bucket, on s3rver), and the seed handler (functions/models-seed, its factory) runs
 * the CloudFormation Create event against the models table on dynalite, read from the environment the template
 * gives the seed Lambda. The twin has no IAM and no SNS subscriptions: roles and recipients go through the local
 * ports (local-model-ports.ts), the same service code in front of them.
 */
export const seedLocalModels = async (
  stack: LocalStack,
  emulators: { readonly s3: S3Emulator; readonly dynamo: DynamoEmulator },
  logger: HandlerLogger,
): Promise<LocalModels> => {
  const env = readEnvironment(
    ['modelsTable', 'modelRoles'],
    templateEnvironment(stack, stack.ids.modelsSeed.function),
  );
  const subscriptions = makeLocalModelSubscriptions();
  const admin = makeModelAdmin({
    store: makeDynamoModelStore(env.modelsTable, emulators.dynamo.documentClient),
    roles: makeLocalModelRoles(env.modelRoles),
    subscriptions,
    logger,
  });

  const properties = resolveIntrinsics(
    stack.template.Resources[stack.ids.modelsSeed.resource]?.Properties,
    stack.template,
  ) as { ConfigBucket: string; ConfigKey: string };
  await emulators.s3.createBucket(properties.ConfigBucket);
  await makeS3StoreFor(emulators.s3.client)(properties.ConfigBucket).put(
    properties.ConfigKey,
    readFileSync(stack.modelsFile, 'utf8'),
    'application/json',
  );
  const seed = makeModelsSeedHandler({ admin, storeFor: makeS3StoreFor(emulators.s3.client), logger });
  const seeded = await seed({
    RequestType: 'Create',
    StackId: `arn:aws:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stack/${stack.config.stackName}/local`,
    RequestId: 'local',
    LogicalResourceId: stack.ids.modelsSeed.resource,
    ResourceType: 'Custom::ModelCareModelsSeed',
    ResourceProperties: properties,
  });
  return { admin, subscriptions, seeded };
};
