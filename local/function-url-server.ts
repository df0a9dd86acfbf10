import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Lambda Function URL on loopback: each HTTP request becomes the Function URL event (payload format 2.0) a
 * handler receives in AWS, with the caller in `requestContext.authorizer.iam` as AWS_IAM auth puts it, and the
 * handler's result becomes the HTTP response. The local twin serves the admin API with it (`npm start --
 * --serve`); tests serve handlers to the real CLI binary.
 */

/** who a local request is made by, when nothing says otherwise */
export const LOCAL_PRINCIPAL = 'arn:aws:iam::000000000000:user/model-care-local';
/** Lambda's request payload limit for synchronous invocations */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

export interface ReceivedRequest {
  readonly method: string;
  /** path and query as sent */
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export interface FunctionUrlServerOptions {
  /** 0 (the default) picks a free port */
  readonly port?: number;
  /**
   * The caller's principal ARN, or undefined to refuse the request with 403 as AWS_IAM auth would.
   * @default - every request is LOCAL_PRINCIPAL's
   */
  readonly authenticate?: (request: ReceivedRequest) => Promise<string | undefined> | string | undefined;
}

export interface FunctionUrlServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

type FunctionUrlHandler = (event: unknown) => Promise<unknown>;

const TEXT_TYPES = /^(text\/|application\/(json|.*\+json|xml|x-www-form-urlencoded|jsonlines|x-ndjson))/i;

const readBody = (request: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });

const flatHeaders = (request: IncomingMessage): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
};

/** the event AWS builds for a Function URL request, as far as handlers read it */
export const functionUrlEvent = (received: ReceivedRequest, principal: string, sourceIp = '127.0.0.1') => {
  const url = new URL(received.url, 'http://localhost');
  const rawQueryString = url.search.replace(/^\?/, '');
  const contentType = received.headers['content-type'] ?? '';
  const text = received.body.length === 0 || TEXT_TYPES.test(contentType);
  const now = new Date();
  const account = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1] ?? '000000000000';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString,
    headers: received.headers,
    ...(rawQueryString ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      authorizer: {
        iam: {
          accessKey: 'LOCAL',
          accountId: account,
          callerId: 'LOCAL',
          userArn: principal,
          userId: 'LOCAL',
        },
      },
      domainName: received.headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: received.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp,
        userAgent: received.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(received.body.length === 0
      ? {}
      : {
          body: text ? received.body.toString('utf8') : received.body.toString('base64'),
          isBase64Encoded: !text,
        }),
  };
};

interface HandlerResult {
  statusCode?: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

export const startFunctionUrlServer = async (
  handler: FunctionUrlHandler,
  options: FunctionUrlServerOptions = {},
): Promise<FunctionUrlServer> => {
  const authenticate = options.authenticate ?? (() => LOCAL_PRINCIPAL);
  const server: Server = createServer((request, response) => {
    const send = (status: number, headers: Record<string, string>, body: Buffer | string) => {
      response.writeHead(status, headers);
      response.end(body);
    };
    const serve = async () => {
      const body = await readBody(request);
      if (!body)
        return send(413, { 'content-type': 'application/json' }, '{"message":"Request Entity Too Large"}');
      const received = {
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        headers: flatHeaders(request),
        body,
      };
      const principal = await authenticate(received);
      if (!principal) return send(403, { 'content-type': 'application/json' }, '{"Message":"Forbidden"}');
      const result = (await handler(
        functionUrlEvent(received, principal, request.socket.remoteAddress),
      )) as unknown;
      // like Lambda: a result without statusCode is a JSON body with 200
      if (result === null || typeof result !== 'object' || !('statusCode' in result)) {
        return send(200, { 'content-type': 'application/json' }, JSON.stringify(result ?? null));
      }
      const r = result as HandlerResult;
      const payload = r.isBase64Encoded ? Buffer.from(r.body ?? '', 'base64') : (r.body ?? '');
      return send(r.statusCode ?? 200, r.headers ?? {}, payload);
    };
    serve().catch(() => {
      // what a Function URL answers when the function throws; the handler logs the error itself
      if (!response.headersSent)
        send(502, { 'content-type': 'application/json' }, '{"Message":"Internal Server Error"}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    // stopping twice is fine: tests and the twin's shutdown may both do it
    stop: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
