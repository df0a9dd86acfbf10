import { makeAdminApiHandler } from '../../functions/admin-api/admin-api.ts';
import { type FunctionUrlServer, startFunctionUrlServer } from '../function-url-server.ts';
import type { LocalWorld } from './local-world.ts';

export interface LocalApis {
  /** the admin API, for `model-care models ... --url <admin.url>` */
  readonly admin: FunctionUrlServer;
  /** the capture API: `/models/<name>/invocations`, `/models/<name>/records`, `/models/<name>/labels` */
  readonly capture: FunctionUrlServer;
  stop(): Promise<void>;
}

/**
 * The twin's Function URLs on loopback: the admin API over the seeded models table and the capture API over
 * the capture store, both the handlers a deployment runs. Requests are taken as the local principal's
 * (function-url-server.ts): the twin checks no signatures, it listens on 127.0.0.1 only.
 */
export const serveLocalApis = async (
  world: LocalWorld,
  ports: { readonly admin?: number; readonly capture?: number } = {},
): Promise<LocalApis> => {
  const adminHandler = makeAdminApiHandler({ admin: world.models.admin, logger: world.logger });
  const admin = await startFunctionUrlServer(adminHandler, { port: ports.admin });
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
