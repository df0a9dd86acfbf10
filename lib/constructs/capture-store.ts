import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { RetentionConfig } from '../../functions/shared/config/model-care-schema.ts';
import { STORE_PREFIXES } from '../../functions/shared/store-layout.ts';
import { acknowledgeWildcards, GRANT_ACTION_WILDCARDS, nagArn } from './private/nag.ts';

export type StorePrefix = keyof typeof STORE_PREFIXES;

export interface CaptureStoreProps {
  /** encrypts every object (SSE-KMS with an S3 bucket key, so KMS is called per bucket key, not per object) */
  readonly encryptionKey: kms.IKey;
  readonly retention: RetentionConfig;
  /**
   * applies to both buckets; retained buckets survive `cdk destroy`, destroyed ones must be emptied first (no
   * auto-delete custom resource: it would need a Lambda with broad S3 rights)
   */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The S3 bucket everything lands in (capture, ground truth, baselines, reports, profiles, quarantine,
 * training), laid out as STORE_PREFIXES describes, and the bucket receiving its server access logs.
 * S3 sends EventBridge notifications for new objects: ground-truth ingest is triggered by them.
 */
export class CaptureStore extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  readonly encryptionKey: kms.IKey;

  constructor(scope: Construct, id: string, props: CaptureStoreProps) {
    super(scope, id);
    const { retention } = props;
    this.encryptionKey = props.encryptionKey;
    // access logs are delivered by a bucket policy (the buckets refuse ACLs), whatever feature flags the app
    // that embeds model-care sets: without this flag CDK would switch the log bucket to an ACL
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);

    // S3 delivers access logs only to SSE-S3 buckets, so this one cannot use the key
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.removalPolicy,
      lifecycleRules: [
        { id: 'expire-access-logs', expiration: Duration.days(retention.accessLogExpirationDays) },
      ],
    });

    const expire = (id: string, prefix: string, days: number): s3.LifecycleRule => ({
      id,
      prefix,
      expiration: Duration.days(days),
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      versioned: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'capture-store/',
      removalPolicy: props.removalPolicy,
      lifecycleRules: [
        {
          id: 'capture-to-infrequent-access-then-expire',
          prefix: STORE_PREFIXES.capture,
          transitions: [
            {
              storageClass: s3.StorageClass.INFREQUENT_ACCESS,
              transitionAfter: Duration.days(retention.captureInfrequentAccessDays),
            },
          ],
          expiration: Duration.days(retention.captureExpirationDays),
        },
        {
          id: 'ground-truth-to-infrequent-access-then-expire',
          prefix: STORE_PREFIXES.groundTruth,
          transitions: [
            {
              storageClass: s3.StorageClass.INFREQUENT_ACCESS,
              transitionAfter: Duration.days(retention.captureInfrequentAccessDays),
            },
          ],
          expiration: Duration.days(retention.captureExpirationDays),
        },
        expire('expire-reports', STORE_PREFIXES.reports, retention.reportExpirationDays),
        expire('expire-profiles', STORE_PREFIXES.profiles, retention.reportExpirationDays),
        expire('expire-quarantine', STORE_PREFIXES.quarantine, retention.quarantineExpirationDays),
        {
          id: 'expire-noncurrent-versions-and-uploads',
          noncurrentVersionExpiration: Duration.days(retention.noncurrentVersionExpirationDays),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
    });
    // set on the L1 resource: the L2 `eventBridgeEnabled` goes through a Lambda-backed custom resource, which
    // CloudFormation's native NotificationConfiguration makes unnecessary
    (this.bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
  }

  /** `s3://<bucket>/<prefix>` */
  uri(prefix: StorePrefix): string {
    return this.bucket.s3UrlForObject(STORE_PREFIXES[prefix]);
  }

  /** read under the prefixes; acknowledges the grant's prefix-scoped wildcards on the grantee */
  grantRead(grantee: iam.IRole, ...prefixes: StorePrefix[]): void {
    for (const prefix of prefixes) {
      this.bucket.grantRead(grantee, `${STORE_PREFIXES[prefix]}*`);
      this.acknowledge(grantee, prefix, GRANT_ACTION_WILDCARDS.s3Read);
    }
  }

  /** put (with the key to encrypt) under the prefixes */
  grantWrite(grantee: iam.IRole, ...prefixes: StorePrefix[]): void {
    for (const prefix of prefixes) {
      this.bucket.grantPut(grantee, `${STORE_PREFIXES[prefix]}*`);
      this.acknowledge(grantee, prefix, [
        ...GRANT_ACTION_WILDCARDS.s3Put,
        ...GRANT_ACTION_WILDCARDS.kmsEncrypt,
      ]);
    }
  }

  grantDelete(grantee: iam.IRole, ...prefixes: StorePrefix[]): void {
    for (const prefix of prefixes) {
      this.bucket.grantDelete(grantee, `${STORE_PREFIXES[prefix]}*`);
      this.acknowledge(grantee, prefix, GRANT_ACTION_WILDCARDS.s3Delete);
    }
  }

  private acknowledge(grantee: iam.IRole, prefix: StorePrefix, actions: readonly string[]): void {
    const objects = nagArn(this, this.bucket.arnForObjects(`${STORE_PREFIXES[prefix]}*`));
    acknowledgeWildcards(
      grantee,
      [`Resource::${objects}`, ...actions],
      `Scoped to the ${STORE_PREFIXES[prefix]} prefix of the capture store; the wildcards are the action groups ` +
        "of CDK's S3/KMS grants and the keys below the prefix, which are created at run time.",
    );
  }
}
