import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DETAIL_TYPES, EVENT_SOURCE, type EventTrigger } from '../../functions/shared/events.ts';
import type { RetrainingExecutionInput } from '../../functions/shared/retraining-contract.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

export interface RetrainingRequestsProps {
  /** the stack's one retraining state machine */
  readonly stateMachine: sfn.IStateMachine;
}

/**
 * The stack's one `Retraining Requested` rule: every model's request starts the one retraining state machine
 * with `{ trigger }` (RetrainingExecutionInput), the model being the event's `detail.model`. Its count does not
 * grow with the models; undeliverable requests go to its dead-letter queue after retries.
 */
export class RetrainingRequests extends Construct {
  readonly rule: events.Rule;
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: RetrainingRequestsProps) {
    super(scope, id);
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      purpose: 'retraining requests that EventBridge could not deliver',
    });
    this.deadLetterQueue.acknowledgeEventBridgeDeadLetterQueue();
    const trigger: EventTrigger<string> = {
      id: events.EventField.eventId,
      source: events.EventField.source,
      detailType: events.EventField.detailType,
      time: events.EventField.time,
      detail: events.EventField.fromPath('$.detail'),
    };
    const input: Record<keyof RetrainingExecutionInput, unknown> = { trigger };
    this.rule = new events.Rule(this, 'Rule', {
      description:
        "model-care: retraining requests start the retraining state machine (the model is the event's)",
      eventPattern: {
        source: [EVENT_SOURCE],
        detailType: [DETAIL_TYPES.retrainingRequested],
      },
      targets: [
        new targets.SfnStateMachine(props.stateMachine, {
          input: events.RuleTargetInput.fromObject(input),
          deadLetterQueue: this.deadLetterQueue.queue,
          retryAttempts: 4,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
  }
}
