import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  STREAM_ERROR_PREFIX,
  STREAM_PARTITION_QUERY,
  STREAM_S3_PREFIX,
} from '../../functions/shared/config/capture-transport.ts';
import type { CaptureStore } from './capture-store.ts';
import { acknowledgeWildcards, nagArn } from './private/nag.ts';

export interface CaptureStreamProps {
  readonly store: CaptureStore;
  readonly logRetention: logs.RetentionDays;
  /** @default RemovalPolicy.RETAIN (of the delivery log group) */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Firehose writes a partition's buffer after this many seconds or MiB, whichever comes first; dynamic
   * partitioning asks for at least 64 MiB
   * @default 300 s / 64 MiB
   */
  readonly bufferSeconds?: number;
  readonly bufferMiB?: number;
}

/**
 * The capture path for high traffic (issue 13, `capture.transport: stream`): one Amazon Data Firehose stream
 * for the stack (Direct PUT), encrypted with the store's key, that buffers the capture API's records and writes
 * them in SageMaker's layout `capture/<endpoint>/<variant>/yyyy/mm/dd/hh/`: the endpoint and variant partition
 * keys come from each record's `captureFolder` (jq metadata extraction), the hour from its arrival time (UTC),
 * as SageMaker's own Data Capture files it. Thousands of requests become one object per partition and buffer
 * instead of one PUT each. Records it cannot partition land under `capture-errors/`, which the data job does not read.
 */
export class CaptureStream extends Construct {
  readonly deliveryStream: firehose.CfnDeliveryStream;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: CaptureStreamProps) {
    super(scope, id);
    const { bucket, encryptionKey } = props.store;
    const logGroup = new logs.LogGroup(this, 'DeliveryLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    const logStream = logGroup.addStream('S3Delivery');

    this.role = new iam.Role(this, 'Role', {
      description: 'model-care: the capture stream writes capture objects into the capture store',
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    const objects = ['capture/*', 'capture-errors/*'].map((prefix) => bucket.arnForObjects(prefix));
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: objects,
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [bucket.bucketArn],
      }),
    );
    encryptionKey.grantEncrypt(this.role);
    logGroup.grantWrite(this.role);
    acknowledgeWildcards(
      this.role,
      [
        ...objects.map((arn) => `Resource::${nagArn(this, arn)}`),
        'Action::kms:ReEncrypt*',
        'Action::kms:GenerateDataKey*',
      ],
      'Scoped to the capture/ and capture-errors/ prefixes of the capture store; ' +
        "the object keys are created at delivery, and the KMS wildcards are CDK's encrypt grant.",
    );

    this.deliveryStream = new firehose.CfnDeliveryStream(this, 'DeliveryStream', {
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: {
        keyType: 'CUSTOMER_MANAGED_CMK',
        keyArn: encryptionKey.keyArn,
      },
      extendedS3DestinationConfiguration: {
        bucketArn: bucket.bucketArn,
        roleArn: this.role.roleArn,
        prefix: STREAM_S3_PREFIX,
        errorOutputPrefix: STREAM_ERROR_PREFIX,
        fileExtension: '.jsonl',
        compressionFormat: 'UNCOMPRESSED',
        bufferingHints: {
          intervalInSeconds: props.bufferSeconds ?? 300,
          sizeInMBs: props.bufferMiB ?? 64,
        },
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: encryptionKey.keyArn } },
        dynamicPartitioningConfiguration: { enabled: true, retryOptions: { durationInSeconds: 300 } },
        processingConfiguration: {
          enabled: true,
          processors: [
            {
              type: 'MetadataExtraction',
              parameters: [
                { parameterName: 'MetadataExtractionQuery', parameterValue: STREAM_PARTITION_QUERY },
                { parameterName: 'JsonParsingEngine', parameterValue: 'JQ-1.6' },
              ],
            },
          ],
        },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: logGroup.logGroupName,
          logStreamName: logStream.logStreamName,
        },
      },
    });
    // the stream must not start delivering before its role may write
    this.deliveryStream.node.addDependency(this.role);
  }

  get streamName(): string {
    return this.deliveryStream.ref;
  }

  get streamArn(): string {
    return this.deliveryStream.attrArn;
  }

  /** lets a producer (the capture API) put records on the stream */
  grantPutRecords(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
      resourceArns: [this.streamArn],
    });
  }
}
