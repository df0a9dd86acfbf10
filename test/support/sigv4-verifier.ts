import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../cli/node-sha256.ts';
import type { ReceivedRequest } from '../../local/function-url-server.ts';

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

/**
 * What AWS_IAM auth does in front of a Function URL, for tests: recomputes the request's SigV4 signature with the
 * secret of its access key and answers the caller's ARN (`user/<access key id>`) only when it matches, for the
 * service `lambda`. Stands in for AWS, which no emulator here implements for Function URLs.
 */
export const sigV4Authenticator =
  (secrets: Record<string, string>, account = '123456789012') =>
  async (request: ReceivedRequest): Promise<string | undefined> => {
    const match = AUTHORIZATION.exec(request.headers.authorization ?? '');
    if (!match) return undefined;
    const [, accessKeyId = '', , region = '', service, signedHeaders = ''] = match;
    const secretAccessKey = secrets[accessKeyId];
    const amzDate = request.headers['x-amz-date'];
    if (service !== 'lambda' || !secretAccessKey || !amzDate) return undefined;
    const url = new URL(request.url, `http://${request.headers.host}`);
    const headers = Object.fromEntries(
      signedHeaders.split(';').map((name) => [name, request.headers[name] ?? '']),
    );
    const signer = new SignatureV4({
      service: 'lambda',
      region,
      credentials: { accessKeyId, secretAccessKey },
      sha256: NodeSha256,
    });
    const signingDate = new Date(
      amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body: request.body.length > 0 ? request.body.toString('utf8') : undefined,
      },
      { signingDate },
    );
    return signed.headers.authorization === request.headers.authorization
      ? `arn:aws:iam::${account}:user/${accessKeyId}`
      : undefined;
  };
