import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /** what ends up here, for the queue's readers */
  readonly purpose: string;
}

/**
 * Where events that could not be delivered or processed wait for a person: SQS-managed encryption (EventBridge
 * and Lambda can send to it without a key policy), SSL only, kept for the 14 days SQS allows.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;
  private readonly purpose: string;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.purpose = props.purpose;
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
  }

  /**
   * cdk-nag recognizes a Lambda's dead-letter queue but not an EventBridge target's, and then asks this queue
   * for a DLQ of its own.
   */
  acknowledgeEventBridgeDeadLetterQueue(): void {
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is the dead-letter queue of EventBridge targets (${this.purpose}); a DLQ of a DLQ would only move the problem.`,
    });
  }
}
