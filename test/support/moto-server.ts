import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * moto_server on a free loopback port: the AWS APIs no JavaScript emulator covers (EventBridge, SQS, SNS,
 * SageMaker, CloudWatch). One process serves every service; point a client's `endpoint` at `endpoint`. Any
 * credentials work; the account is 123456789012. Free of vitest, so `npm run bench` can use it too
 * (use-moto-server.ts wraps it in beforeAll/afterAll).
 */
export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  /** what AWS SDK v3 clients need to reach it */
  readonly clientConfig: {
    readonly endpoint: string;
    readonly region: string;
    readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  };
  /** forgets every resource (moto's /moto-api/reset) */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export const MOTO_ACCOUNT = '123456789012';
const REGION = 'us-east-1';

/** `moto_server` on PATH, else `python3 -m moto.server`; throws with the install command when neither works */
const motoCommand = (): { command: string; prefixArgs: string[] } => {
  if (spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status === 0) {
    return { command: 'moto_server', prefixArgs: [] };
  }
  if (spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' }).status === 0) {
    return { command: 'python3', prefixArgs: ['-m', 'moto.server'] };
  }
  throw new Error('moto_server is not installed: pip install "moto[server]" (.ci/run does this)');
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
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

const ready = async (endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms`);
};

const startOnce = async (timeoutMs: number): Promise<MotoServer> => {
  const { command, prefixArgs } = motoCommand();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(command, [...prefixArgs, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  try {
    await ready(endpoint, child, timeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    await exited(child);
    throw new Error(`${(error as Error).message}\n${stderr.trim()}`);
  }
  return {
    endpoint,
    port,
    clientConfig: { endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset answered ${response.status}`);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
};

/**
 * Starts moto_server; the caller stops it. A port taken between choosing it and binding it (another test file
 * starting an emulator at the same moment) is retried on a new port.
 */
export const startMotoServer = async (options: { timeoutMs?: number } = {}): Promise<MotoServer> => {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options.timeoutMs ?? 30_000);
    } catch (error) {
      lastError = error;
      if (!/Address already in use|exited with code/.test(String(error))) throw error;
    }
  }
  throw lastError;
};
