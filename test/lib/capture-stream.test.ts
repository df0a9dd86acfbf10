import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { synthConfig } from './support/synth-stack.ts';

const STREAM = 'AWS::KinesisFirehose::DeliveryStream';

describe('capture stream (capture.transport: stream)', () => {
  test("config/three-models.json: one stream for the stack, writing SageMaker's layout by endpoint, variant and hour", () => {
    const { template } = synthConfig('config/three-models.json');
    template.resourceCountIs(STREAM, 1);
    template.hasResourceProperties(STREAM, {
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfigurationInput: {
        KeyType: 'CUSTOMER_MANAGED_CMK',
        KeyARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CareKey'), 'Arn'] },
      },
      ExtendedS3DestinationConfiguration: Match.objectLike({
        Prefix:
          'capture/!{partitionKeyFromQuery:endpoint}/!{partitionKeyFromQuery:variant}/!{timestamp:yyyy/MM/dd/HH}/',
        ErrorOutputPrefix: Match.stringLikeRegexp('^capture-errors/'),
        BufferingHints: { IntervalInSeconds: 300, SizeInMBs: 64 },
        EncryptionConfiguration: {
          KMSEncryptionConfig: {
            AWSKMSKeyARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CareKey'), 'Arn'] },
          },
        },
        DynamicPartitioningConfiguration: Match.objectLike({ Enabled: true }),
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            {
              Type: 'MetadataExtraction',
              Parameters: Match.arrayWith([
                {
                  ParameterName: 'MetadataExtractionQuery',
                  ParameterValue: '{endpoint: .captureFolder.endpoint, variant: .captureFolder.variant}',
                },
              ]),
            },
          ],
        },
      }),
    });
  });

  test('config/three-models.json: the capture API may put records on the stream and knows its name', () => {
    const { template, json } = synthConfig('config/three-models.json');
    const streamId = Object.entries(json.Resources).find(([, r]) => r.Type === STREAM)?.[0];
    expect(streamId).toBeDefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
            Resource: { 'Fn::GetAtt': [streamId, 'Arn'] },
          }),
        ]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^CareCaptureApiHandler') }],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          // which models stream is in each model's route, read from the models table (issue 16)
          MODEL_CARE_CAPTURE_STREAM_NAME: { Ref: streamId },
        }),
      },
    });
  });

  test('config/model-care.json: no model streams, so no stream and no stream variable', () => {
    const { template } = synthConfig('config/model-care.json');
    template.resourceCountIs(STREAM, 0);
    expect(JSON.stringify(template.toJSON())).not.toContain('MODEL_CARE_CAPTURE_STREAM_NAME');
  });
});
