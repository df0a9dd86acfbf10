import { makeDynamoModelStore } from '../adapters/dynamodb/dynamodb-model-store.ts';
import { makeIamModelRoles } from '../adapters/iam/iam-model-roles.ts';
import { parseModelRoleSettings } from '../adapters/iam/model-role-settings.ts';
import { makeSnsModelSubscriptions } from '../adapters/sns/sns-model-subscriptions.ts';
import { ENV, requireEnv, TOPIC_ENV } from '../shared/env-keys.ts';
import type { HandlerLogger } from '../shared/handler-kit/handler-logger.ts';
import { SEVERITIES, type Severity } from '../shared/model-config.ts';
import { type ModelAdmin, makeModelAdmin } from './model-admin.ts';

/**
 * The ModelAdmin of a deployed stack, from the environment lib/ sets (the models table, the role settings, the
 * three severity topics). Shared by the admin API and the seeding custom resource, which must write alike.
 * A missing or malformed variable fails at cold start, naming it.
 */
export const makeEnvironmentModelAdmin = (
  logger: HandlerLogger,
  env: NodeJS.ProcessEnv = process.env,
): ModelAdmin => {
  const topics = Object.fromEntries(SEVERITIES.map((s) => [s, requireEnv(TOPIC_ENV[s], env)])) as Record<
    Severity,
    string
  >;
  return makeModelAdmin({
    store: makeDynamoModelStore(requireEnv(ENV.modelsTable, env)),
    roles: makeIamModelRoles(parseModelRoleSettings(requireEnv(ENV.modelRoles, env), ENV.modelRoles)),
    subscriptions: makeSnsModelSubscriptions(topics),
    logger,
  });
};
