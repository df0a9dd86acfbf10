import { makeDynamoAlertBook } from '../adapters/dynamodb/dynamodb-alert-book.ts';
import { makeDynamoAuditLog } from '../adapters/dynamodb/dynamodb-audit-log.ts';
import { makeDynamoModelStore } from '../adapters/dynamodb/dynamodb-model-store.ts';
import { makeLogger } from '../handler-kit/handler-logger.ts';
import { readEnvironment } from '../shared/environment.ts';
import { makeAdminApiHandler } from './admin-api.ts';
import { makeEnvironmentModelAdmin } from './default-model-admin.ts';
import { makeOnCallAdmin } from './on-call-admin.ts';

// built once per cold start; a bad environment fails here, naming the variable
const logger = makeLogger();
const env = readEnvironment(['modelsTable', 'stateTable', 'auditTable', 'maxMuteHours']);

export const handler = makeAdminApiHandler({
  admin: makeEnvironmentModelAdmin(logger),
  logger,
  onCall: makeOnCallAdmin({
    book: makeDynamoAlertBook(env.stateTable),
    audit: makeDynamoAuditLog(env.auditTable),
    models: makeDynamoModelStore(env.modelsTable),
    maxMuteHours: env.maxMuteHours,
    now: () => new Date(),
    logger,
  }),
});
