import { afterAll, beforeAll } from 'vitest';
import { type MotoServer, startMotoServer } from './moto-server.ts';

/** One moto_server per test file: started in beforeAll, stopped in afterAll. Read `.current` inside tests. */
export const useMotoServer = (): { readonly current: MotoServer } => {
  let server: MotoServer | undefined;
  beforeAll(async () => {
    server = await startMotoServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get current() {
      if (!server) throw new Error('moto_server is not running: use it inside a test or a hook');
      return server;
    },
  };
};
