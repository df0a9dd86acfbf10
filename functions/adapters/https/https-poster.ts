import { request } from 'node:https';

/** One HTTPS POST and its answer; the paging services' integrations are no more than that. */
export interface HttpsPoster {
  post(url: string, headers: Readonly<Record<string, string>>, body: string): Promise<HttpsAnswer>;
}

export interface HttpsAnswer {
  readonly status: number;
  /** the first 2 KB of the answer, for the log of a refusal */
  readonly body: string;
}

/** A URL that is not https: keys travel with the request, so plain http is refused before any byte is sent. */
export class InsecureUrlError extends Error {
  override readonly name = 'InsecureUrlError';
}

/** The service could not be reached or did not answer in time (DNS, TLS, reset, timeout): worth a retry. */
export class HttpsUnreachableError extends Error {
  override readonly name = 'HttpsUnreachableError';
}

export interface HttpsPosterOptions {
  /** extra trusted CA certificates (PEM): for a test stand-in with a self-signed certificate; @default - Node's */
  readonly ca?: string | Buffer;
  /** @default 10 s */
  readonly timeoutMs?: number;
}

const ANSWER_KEEP_BYTES = 2048;

/** node:https with certificate checks on (never turned off: a stand-in's certificate is trusted through `ca`). */
export const makeHttpsPoster = (options: HttpsPosterOptions = {}): HttpsPoster => ({
  post: (url, headers, body) =>
    new Promise<HttpsAnswer>((resolve, reject) => {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        reject(new InsecureUrlError('the paging URL is not a URL'));
        return;
      }
      if (target.protocol !== 'https:') {
        reject(new InsecureUrlError(`${target.origin} is not https`));
        return;
      }
      const payload = Buffer.from(body, 'utf8');
      const req = request(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(payload.byteLength) },
          timeout: options.timeoutMs ?? 10_000,
          ...(options.ca ? { ca: options.ca } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          res.on('data', (chunk: Buffer) => {
            if (kept < ANSWER_KEEP_BYTES) chunks.push(chunk);
            kept += chunk.byteLength;
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8').slice(0, ANSWER_KEEP_BYTES),
            }),
          );
          res.on('error', (error) => reject(new HttpsUnreachableError(error.message)));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      // the error names the host and the cause (ECONNREFUSED, CERT_...), never the body with the key
      req.on('error', (error) =>
        reject(
          new HttpsUnreachableError(
            `${target.host}: ${(error as NodeJS.ErrnoException).code ?? error.message}`,
          ),
        ),
      );
      req.end(payload);
    }),
});
