import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** one request the stand-in received */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface HttpsStandIn {
  /** https://127.0.0.1:<port> */
  readonly origin: string;
  /** the self-signed certificate (PEM), to trust as a CA */
  readonly certificate: string;
  readonly received: ReceivedRequest[];
  /** the status the next requests get (a queue; 202 once it is empty) */
  readonly statuses: number[];
}

/** A self-signed certificate for 127.0.0.1 made by openssl (the machine's, as any TLS stack would use). */
const selfSigned = (): { key: string; cert: string } => {
  const dir = mkdtempSync(join(tmpdir(), 'https-stand-in-'));
  try {
    const result = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/**
 * A paging service's HTTPS endpoint on loopback (node:https with a self-signed certificate): records what it
 * receives and answers the queued statuses with a JSON body. Started once per test file, emptied per test.
 */
export const useHttpsStandIn = (): { readonly current: HttpsStandIn } => {
  let server: Server | undefined;
  let state: HttpsStandIn | undefined;
  beforeAll(async () => {
    const { key, cert } = selfSigned();
    const received: ReceivedRequest[] = [];
    const statuses: number[] = [];
    server = createServer({ key, cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const status = statuses.shift() ?? 202;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(status < 300 ? { status: 'success' } : { status: 'invalid event' }));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    state = { origin: `https://127.0.0.1:${port}`, certificate: cert, received, statuses };
  });
  beforeEach(() => {
    state?.received.splice(0);
    state?.statuses.splice(0);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });
  return {
    get current() {
      if (!state) throw new Error('the HTTPS stand-in is not running: use it inside a test or a hook');
      return state;
    },
  };
};
