import { makeLogger } from '../handler-kit/handler-logger.ts';
import { makeAdminApiHandler } from './admin-api.ts';
import { makeEnvironmentModelAdmin } from './default-model-admin.ts';

// built once per cold start; a bad environment fails here, naming the variable
const logger = makeLogger();

export const handler = makeAdminApiHandler({ admin: makeEnvironmentModelAdmin(logger), logger });
