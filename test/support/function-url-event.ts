/** A Lambda Function URL event (payload format 2.0) as AWS_IAM auth delivers it, for handler tests. */
export const functionUrlRequest = (
  method: string,
  path: string,
  options: {
    body?: string;
    headers?: Record<string, string>;
    query?: string;
    /** the signed caller; null for a request without one */
    principal?: string | null;
    base64?: boolean;
  } = {},
) => {
  const principal =
    options.principal === undefined ? 'arn:aws:iam::123456789012:user/alice' : options.principal;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: options.query ?? '',
    headers: { 'content-type': 'application/json', ...options.headers },
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      ...(principal === null
        ? {}
        : { authorizer: { iam: { userArn: principal, accountId: '123456789012' } } }),
    },
    ...(options.body === undefined
      ? {}
      : {
          body: options.base64 ? Buffer.from(options.body).toString('base64') : options.body,
          isBase64Encoded: options.base64 ?? false,
        }),
  };
};
