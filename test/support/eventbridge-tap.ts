import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { MOTO_ACCOUNT, type MotoServer } from './moto-server.ts';

/** An event as a rule target receives it */
export interface DeliveredEvent {
  readonly id: string;
  readonly source: string;
  readonly 'detail-type': string;
  readonly time: string;
  readonly detail: Record<string, unknown>;
}

export interface EventTap {
  readonly busName: string;
  /** every event delivered since the last drain, in arrival order; each is removed from the queue */
  drain(): Promise<DeliveredEvent[]>;
}

/**
 * A bus on moto with a rule (matching `pattern`) that targets an SQS queue: what arrives in the queue is what a
 * real rule's target would receive, so tests assert on delivery, not on the calls a client made.
 */
export const createEventTap = async (
  moto: MotoServer,
  busName: string,
  pattern: Record<string, unknown> = { source: ['model-care'] },
): Promise<EventTap> => {
  const eventBridge = new EventBridgeClient(moto.clientConfig);
  const sqs = new SQSClient(moto.clientConfig);
  const queueName = `${busName}-tap`;
  await eventBridge.send(new CreateEventBusCommand({ Name: busName }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  await eventBridge.send(
    new PutRuleCommand({ Name: queueName, EventBusName: busName, EventPattern: JSON.stringify(pattern) }),
  );
  await eventBridge.send(
    new PutTargetsCommand({
      Rule: queueName,
      EventBusName: busName,
      Targets: [{ Id: 'tap', Arn: `arn:aws:sqs:${moto.clientConfig.region}:${MOTO_ACCOUNT}:${queueName}` }],
    }),
  );
  return {
    busName,
    async drain() {
      const delivered: DeliveredEvent[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        if (Messages.length === 0) return delivered;
        delivered.push(...Messages.map((m) => JSON.parse(m.Body ?? '{}') as DeliveredEvent));
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      }
    },
  };
};
