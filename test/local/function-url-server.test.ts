import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, test } from 'vitest';
import { NodeSha256 } from '../../cli/node-sha256.ts';
import {
  type FunctionUrlServer,
  LOCAL_PRINCIPAL,
  startFunctionUrlServer,
} from '../../local/function-url-server.ts';

let server: FunctionUrlServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** serves a handler that remembers the events it got and answers `result` */
const serve = async (result: unknown, options: Parameters<typeof startFunctionUrlServer>[1] = {}) => {
  const events: Record<string, unknown>[] = [];
  server = await startFunctionUrlServer(async (event) => {
    events.push(event as Record<string, unknown>);
    if (result instanceof Error) throw result;
    return result;
  }, options);
  return { events, url: server.url };
};

describe('local Function URL server', () => {
  test('turns a request into the Function URL event, with the local principal as the IAM caller', async () => {
    const { events, url } = await serve({ statusCode: 201, headers: { etag: '"1"' }, body: '{"ok":true}' });

    const response = await fetch(`${url}/models/churn?recreate=true&reason=a%20b`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'If-Match': '3' },
      body: '{"name":"churn"}',
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(await response.json()).toEqual({ ok: true });
    expect(events[0]).toMatchObject({
      version: '2.0',
      rawPath: '/models/churn',
      rawQueryString: 'recreate=true&reason=a%20b',
      queryStringParameters: { recreate: 'true', reason: 'a b' },
      headers: { 'content-type': 'application/json', 'if-match': '3' },
      body: '{"name":"churn"}',
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'PUT', path: '/models/churn', sourceIp: '127.0.0.1' },
        authorizer: { iam: { userArn: LOCAL_PRINCIPAL } },
      },
    });
  });

  test('passes binary bodies base64-encoded both ways', async () => {
    const bytes = Buffer.from([0, 1, 2, 255]);
    const { events, url } = await serve({
      statusCode: 200,
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    });

    const response = await fetch(`${url}/x`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });

    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
    expect(events[0]).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  });

  test('answers a result without statusCode as JSON with 200, and a thrown handler with 502', async () => {
    const plain = await serve({ hello: 'world' });
    expect(await (await fetch(`${plain.url}/`)).json()).toEqual({ hello: 'world' });
    await server?.stop();

    const failing = await serve(new Error('boom'));
    const response = await fetch(`${failing.url}/`);
    expect(response.status).toBe(502);
    expect(await response.text()).not.toContain('boom');
  });

  test('refuses with 403 a request its authenticator does not accept, without calling the handler', async () => {
    const { events, url } = await serve({ statusCode: 200, body: '' }, { authenticate: () => undefined });

    expect((await fetch(`${url}/models`)).status).toBe(403);
    expect(events).toEqual([]);
  });
});

describe('SigV4 with node:crypto hashing', () => {
  // AWS's worked example of the complete signing process (IAM ListUsers, 2015-08-30), from the Signature
  // Version 4 documentation: the expected signature is AWS's, not computed here
  test("reproduces AWS's documented example signature", async () => {
    const signer = new SignatureV4({
      service: 'iam',
      region: 'us-east-1',
      credentials: {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      },
      sha256: NodeSha256,
      applyChecksum: false,
    });

    const signed = await signer.sign(
      {
        method: 'GET',
        protocol: 'https:',
        hostname: 'iam.amazonaws.com',
        path: '/',
        query: { Action: 'ListUsers', Version: '2010-05-08' },
        headers: {
          host: 'iam.amazonaws.com',
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        },
      },
      { signingDate: new Date('2015-08-30T12:36:00Z') },
    );

    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date, ' +
        'Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
  });
});
