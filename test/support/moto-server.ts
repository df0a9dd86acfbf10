import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/**
 * moto_server (Python, preinstalled; see /work/shared/TOOLCHAIN.md) on a free loopback port: one process serves
 * every AWS API moto implements (IAM, SNS, CloudFormation, EventBridge, SQS, SageMaker...). Point an SDK client's
 * `endpoint` at `endpoint` with `motoClientConfig`. Its account is 123456789012.
 */
export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  /** forgets every resource (POST /moto-api/reset) */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export const MOTO_ACCOUNT = '123456789012';
const LOOPBACK = '127.0.0.1';
const REGION = 'us-east-1';

/** SDK client settings for moto: any credentials work; fixed ones keep the SDK off the credential chain */
export const motoClientConfig = (endpoint: string) => ({
  endpoint,
  region: REGION,
  credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' },
});

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

const waitUntilServing = async (
  endpoint: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
};

/** Starts moto_server; a port taken between choosing and binding it is retried on another. */
export const startMotoServer = async (options: { timeoutMs?: number } = {}): Promise<MotoServer> => {
  let stderr = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const endpoint = `http://${LOOPBACK}:${port}`;
    const child = spawn('moto_server', ['-H', LOOPBACK, '-p', String(port)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = `${stderr}${chunk.toString('utf8')}`.slice(-2000);
    });
    const spawnFailed = new Promise<false>((resolve) => child.once('error', () => resolve(false)));
    const serving = await Promise.race([
      waitUntilServing(endpoint, child, options.timeoutMs ?? 30_000),
      spawnFailed,
    ]);
    if (serving) {
      return {
        endpoint,
        port,
        async reset() {
          const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
          if (!response.ok) throw new Error(`moto reset answered ${response.status}`);
        },
        async stop() {
          child.kill('SIGTERM');
          await exited(child);
        },
      };
    }
    child.kill('SIGKILL');
    await exited(child);
  }
  throw new Error(`moto_server did not start (is it on PATH? pip install "moto[server]"): ${stderr.trim()}`);
};

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
