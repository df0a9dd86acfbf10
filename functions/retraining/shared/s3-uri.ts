/** `s3://bucket/key` split into its parts; the key may be empty (a bucket) or a prefix ending in `/`. */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

export class InvalidS3UriError extends Error {
  override readonly name = 'InvalidS3UriError';
  constructor(readonly uri: string) {
    super(`not an s3://bucket/key URI: ${JSON.stringify(uri)}`);
  }
}

const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

export const parseS3Uri = (uri: string): S3Location => {
  const match = S3_URI.exec(uri);
  if (!match) throw new InvalidS3UriError(uri);
  return { bucket: match[1]!, key: match[2] ?? '' };
};

export const s3UriOf = (bucket: string, key: string): string => `s3://${bucket}/${key}`;
