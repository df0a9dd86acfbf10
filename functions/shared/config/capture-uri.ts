import * as z from 'zod';

/**
 * Capture outside the stack bucket (issue 10): `capture.s3Uri`, the `DataCaptureConfig.DestinationS3Uri` a live
 * endpoint already writes to, and `capture.kmsKeyArn`, the key its objects are encrypted with. Each refuses a
 * wrong shape with one line naming the expected one.
 */

/** `s3://bucket` or `s3://bucket/prefix`: no query, no `//` inside the prefix (SageMaker would never write there) */
export const S3_URI_SHAPE = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:\/(?:[^/\s]+\/)*[^/\s]*)?$/;
export const captureS3Uri = z
  .string()
  .regex(S3_URI_SHAPE, 'is not an s3://bucket/prefix URI (lowercase bucket name, no empty path segment)');

/**
 * a key ARN (`arn:aws:kms:<region>:<account>:key/<id>`): an IAM policy authorizes kms:Decrypt on the key's ARN,
 * so neither a bare key id nor an alias would grant anything
 */
export const kmsKeyArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:kms:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:key\/[A-Za-z0-9-]+$/,
    'is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key id>)',
  );
