import type * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { parseS3Uri } from '../../../functions/shared/s3-uri.ts';
import { acknowledgeWildcards, GRANT_ACTION_WILDCARDS, nagArn } from './nag.ts';

/**
 * Grants read on everything under a configured URI in a bucket model-care does not own (the user's datasets),
 * scoped to the key prefix. A bucket encrypted with a customer key needs that key's policy to allow the role too.
 */
export const grantReadUri = (scope: Construct, grantee: iam.IRole, uri: string): void => {
  const { bucket, key } = parseS3Uri(uri);
  const id = `DataBucket-${bucket}`;
  const imported =
    (scope.node.tryFindChild(id) as s3.IBucket | undefined) ?? s3.Bucket.fromBucketName(scope, id, bucket);
  imported.grantRead(grantee, `${key}*`);
  acknowledgeWildcards(
    grantee,
    [`Resource::${nagArn(scope, imported.arnForObjects(`${key}*`))}`, ...GRANT_ACTION_WILDCARDS.s3Read],
    `Read of the configured dataset ${uri} and the objects below it; the actions are CDK's S3 read group.`,
  );
};
