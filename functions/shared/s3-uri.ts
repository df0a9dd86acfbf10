/**
 * `s3://bucket/key` URIs, the one spelling of an S3 location in configs, events, state machine payloads and run
 * records; lib/ reads the configured ones with the same function the handlers use.
 */

/** an S3 location; the key may be empty (the whole bucket) or a prefix ending in `/` */
export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

export class InvalidS3UriError extends Error {
  override readonly name = 'InvalidS3UriError';
  constructor(
    readonly uri: string,
    /** where the URI came from, e.g. `event.trigger.detail.datasetUri` */
    readonly field?: string,
  ) {
    super(`${field ? `${field}: ` : ''}${JSON.stringify(uri)} is not an s3://bucket/key URI`);
  }
}

const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/** Splits an `s3://bucket/key` URI; rejects with InvalidS3UriError naming `field` when it is not one. */
export const parseS3Uri = (uri: string, field?: string): S3Location => {
  const match = S3_URI.exec(uri);
  if (!match) throw new InvalidS3UriError(uri, field);
  return { bucket: match[1] ?? '', key: match[2] ?? '' };
};

export const s3Uri = (bucket: string, key: string): string => `s3://${bucket}/${key}`;
