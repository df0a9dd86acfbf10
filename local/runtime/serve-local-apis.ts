import { makeAdminApiHandler } from '../../functions/admin-api/admin-api.ts';
import type { HandlerLogger } from '../../functions/handler-kit/handler-logger.ts';
import { type FunctionUrlServer, startFunctionUrlServer } from '../function-url-server.ts';
import type { LocalModels } from './local-models.ts';
import type { LocalWorld } from './local-world.ts';

export interface LocalApis {
  /** the admin API, for `model-care models ... --url <admin.url>` */
  readonly admin: FunctionUrlServer;
  /** the capture API: `/models/<name>/invocations`, `/models/<name>/records`, `/models/<name>/labels` */
  readonly capture: FunctionUrlServer;
  stop(): Promise<void>;
}

/**
 * The admin API's handler over the twin's models (seeded on the emulators) on a loopback Function URL. Requests
 * are taken as the local principal's (function-url-server.ts): the twin checks no signatures and listens on
 * 127.0.0.1 only.
 */
export const serveAdminApi = (
  models: Pick<LocalModels, 'admin'>,
  logger: HandlerLogger,
  port?: number,
): Promise<FunctionUrlServer> =>
  startFunctionUrlServer(makeAdminApiHandler({ admin: models.admin, logger }), { port });

/** The twin's Function URLs on loopback: the admin API and the capture API, the handlers a deployment runs. */
export const serveLocalApis = async (
  world: LocalWorld,
  ports: { readonly admin?: number; readonly capture?: number } = {},
): Promise<LocalApis> => {
  const admin = await serveAdminApi(world.models, world.logger, ports.admin);
  const capture = await startFunctionUrlServer(
    async (event) => {
      const response = await world.handlers.capture(event);
      // records reach the store when the batcher flushes; a served API flushes per request
      await world.capture.flush();
      return response;
    },
    { port: ports.capture },
  );
  return {
    admin,
    capture,
    async stop() {
      await admin.stop();
      await capture.stop();
    },
  };
};
