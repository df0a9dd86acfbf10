import { makeDynamoAuditLog } from '../adapters/dynamodb/dynamodb-audit-log.ts';
import { makeDynamoModelStore } from '../adapters/dynamodb/dynamodb-model-store.ts';
import { makeIamModelRoles } from '../adapters/iam/iam-model-roles.ts';
import { makeSnsModelSubscriptions } from '../adapters/sns/sns-model-subscriptions.ts';
import type { HandlerLogger } from '../handler-kit/handler-logger.ts';
import { readEnvironment } from '../shared/environment.ts';
import { type ModelAdmin, makeModelAdmin } from './model-admin.ts';

/**
 * The ModelAdmin of a deployed stack, from the environment lib/ sets (the models table, the role settings, the
 * three severity topics, the audit table). Shared by the admin API and the seeding custom resource, which must write alike.
 * A missing or malformed variable fails at cold start, naming it.
 */
export const makeEnvironmentModelAdmin = (logger: HandlerLogger): ModelAdmin => {
  const env = readEnvironment([
    'modelsTable',
    'modelRoles',
    'infoTopicArn',
    'warningTopicArn',
    'criticalTopicArn',
    'auditTable',
  ]);
  return makeModelAdmin({
    store: makeDynamoModelStore(env.modelsTable),
    roles: makeIamModelRoles(env.modelRoles),
    subscriptions: makeSnsModelSubscriptions({
      info: env.infoTopicArn,
      warning: env.warningTopicArn,
      critical: env.criticalTopicArn,
    }),
    logger,
    audit: makeDynamoAuditLog(env.auditTable),
  });
};
