import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

export interface MotoServer {
  /** http://127.0.0.1:<port>, for an SDK client's `endpoint` */
  readonly endpoint: string;
  stop(): Promise<void>;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

const answers = async (endpoint: string): Promise<boolean> => {
  try {
    return (await fetch(`${endpoint}/moto-api/`)).ok;
  } catch {
    return false;
  }
};

/** Starts moto's server (preinstalled Python: `moto_server -H 127.0.0.1 -p PORT`) and waits until it answers. */
export const startMotoServer = async (timeoutMs = 20_000): Promise<MotoServer> => {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(endpoint))) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}`);
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    endpoint,
    async stop() {
      if (child.exitCode === null) child.kill();
      await exited;
    },
  };
};

/** One moto server per test file: started in beforeAll, stopped in afterAll. Read `.current` inside tests. */
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
