import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';
import { InputError } from '../functions/engine/errors.ts';
import { NodeSha256 } from './node-sha256.ts';

/**
 * Calls the admin API (a Lambda Function URL with AWS_IAM auth) the way AWS expects: every request SigV4-signed
 * for the service `lambda` with the default credential chain (env, profile, SSO, instance role...). Against
 * the local twin's loopback URL, a machine without AWS credentials sends unsigned requests.
 */

/** A request the user can fix: shown as one line, exit code 2. */
export class AdminUsageError extends InputError {
  constructor(message: string) {
    super({ file: 'model-care models' }, message);
    this.message = message;
  }
}

export interface AdminResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

export interface AdminClient {
  readonly url: string;
  request(
    method: string,
    path: string,
    options?: { query?: Record<string, string>; headers?: Record<string, string>; body?: string },
  ): Promise<AdminResponse>;
}

const rfc3986 = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** `<id>.lambda-url.<region>.on.aws` names its region; anything else takes the configured one */
export const regionOf = (url: URL, fallback: string | undefined): string =>
  /\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(url.hostname)?.[1] ?? fallback ?? 'us-east-1';

const credentialsFor = async (url: URL): Promise<AwsCredentialIdentity | undefined> => {
  try {
    return await fromNodeProviderChain()();
  } catch (error) {
    if (LOOPBACK.has(url.hostname)) return undefined;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AdminUsageError(`no AWS credentials to sign requests to ${url.origin} with (${reason})`);
  }
};

export const makeAdminClient = (baseUrl: string, region?: string): AdminClient => {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new AdminUsageError(`--url: ${JSON.stringify(baseUrl)} is not a URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw new AdminUsageError(
      `--url: ${url.origin} must be https (plain http only on loopback, for the local twin)`,
    );
  }
  let signer: Promise<SignatureV4 | undefined> | undefined;
  const signerFor = () => {
    signer ??= credentialsFor(url).then((credentials) =>
      credentials
        ? new SignatureV4({
            service: 'lambda',
            region: regionOf(url, region),
            credentials,
            sha256: NodeSha256,
          })
        : undefined,
    );
    return signer;
  };
  const base = url.pathname.replace(/\/$/, '');

  return {
    url: url.origin,
    async request(method, path, options = {}) {
      const query = options.query ?? {};
      const headers: Record<string, string> = {
        host: url.host,
        accept: 'application/json',
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      };
      const unsigned = {
        method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: `${base}${path}`,
        query,
        headers,
        body: options.body,
      };
      const signed = (await (await signerFor())?.sign(unsigned)) ?? unsigned;
      // RFC 3986 encoding, as SigV4 canonicalizes it (URLSearchParams would send a space as "+")
      const search = Object.entries(query)
        .map(([key, value]) => `${rfc3986(key)}=${rfc3986(value)}`)
        .join('&');
      const target = `${url.origin}${unsigned.path}${search ? `?${search}` : ''}`;
      // fetch sets Host itself, to the same value that was signed
      const { host: _host, ...sent } = signed.headers;
      let response: Response;
      try {
        response = await fetch(target, { method, headers: sent, body: options.body });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new AdminUsageError(
          `cannot reach ${url.origin}: ${cause?.code ?? cause?.message ?? String(error)}`,
        );
      }
      const text = await response.text();
      let body: Record<string, unknown>;
      try {
        body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      } catch {
        body = { error: text.slice(0, 200) };
      }
      return { status: response.status, headers: response.headers, body };
    },
  };
};
