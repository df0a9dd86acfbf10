import { makeHttpsPoster } from '../adapters/https/https-poster.ts';
import { makeSecretsManagerReader } from '../adapters/secrets/secret-reader.ts';
import { makeLogger } from '../handler-kit/handler-logger.ts';
import { readEnvironment } from '../shared/environment.ts';
import { makePagerNotifierHandler } from './pager-notifier.ts';

// built once per cold start; a bad environment fails here, naming the variable
const env = readEnvironment(['pagingRoutes']);
const logger = makeLogger();

export const handler = makePagerNotifierHandler({
  routes: env.pagingRoutes,
  secrets: makeSecretsManagerReader(),
  https: makeHttpsPoster(),
  logger,
});
