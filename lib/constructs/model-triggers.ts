import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ConfigError } from '../../functions/shared/config/config-error.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import {
  DETAIL_TYPES,
  EVENT_SOURCE,
  type EventTrigger,
  OBJECT_CREATED_EVENT,
} from '../../functions/shared/events.ts';
import { STORE_PREFIXES } from '../../functions/shared/store-layout.ts';
import type { CaptureStore } from './capture-store.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { HouseFunction } from './house-function.ts';
import type { MonitoringJobs } from './monitoring-jobs.ts';

// EventBridge's limit on a target's input template
const MAX_INPUT_LENGTH = 8192;

export interface ModelTriggersProps {
  readonly model: ModelConfig;
  /** the model's position in the config, for error messages */
  readonly index: number;
  readonly jobs: MonitoringJobs;
  readonly store: CaptureStore;
  /** the model's retraining workflow, started by `Retraining Requested` events; @default - none */
  readonly retraining?: sfn.IStateMachine;
}

/**
 * A model's EventBridge rules. Each delivers the ModelJobInput envelope (events.ts): the model's validated config
 * plus the trigger copied from the event, so the shared functions need no config store. Undeliverable events
 * go to the model's dead-letter queue after retries.
 */
export class ModelTriggers extends Construct {
  readonly deadLetterQueue: DeadLetterQueue;
  readonly rules: Record<string, events.Rule> = {};
  private readonly input: events.RuleTargetInput;

  constructor(scope: Construct, id: string, props: ModelTriggersProps) {
    super(scope, id);
    const { model, jobs } = props;
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      purpose: `events for ${model.name} that EventBridge could not deliver`,
    });
    this.deadLetterQueue.acknowledgeEventBridgeDeadLetterQueue();

    const trigger: EventTrigger<string> = {
      id: events.EventField.eventId,
      source: events.EventField.source,
      detailType: events.EventField.detailType,
      time: events.EventField.time,
      detail: events.EventField.fromPath('$.detail'),
    };
    const envelope = { model, trigger };
    const length = JSON.stringify(envelope).length;
    if (length > MAX_INPUT_LENGTH) {
      throw new ConfigError(
        `models[${props.index}]: the config of "${model.name}" takes ${length} characters in its events, over ` +
          `EventBridge's ${MAX_INPUT_LENGTH}; shorten feature names or drop optional fields`,
      );
    }
    this.input = events.RuleTargetInput.fromObject(envelope);

    const modelEvents = (detailType: string): events.EventPattern => ({
      source: [EVENT_SOURCE],
      detailType: [detailType],
      detail: { model: [model.name] },
    });

    this.toFunction(
      'DataSchedule',
      { schedule: events.Schedule.expression(model.schedules.data) },
      jobs.functions.data,
      `data checks of ${model.name}`,
    );
    this.toFunction(
      'QualitySchedule',
      { schedule: events.Schedule.expression(model.schedules.quality) },
      jobs.functions.quality,
      `model-quality checks of ${model.name}`,
    );
    this.toFunction(
      'QualityRequests',
      { eventPattern: modelEvents(DETAIL_TYPES.qualityEvaluationRequested) },
      jobs.functions.quality,
      `windows of ${model.name} re-opened by late labels`,
    );
    this.toFunction(
      'BaselineRequests',
      { eventPattern: modelEvents(DETAIL_TYPES.baselineRequested) },
      jobs.functions.baseline,
      `baseline requests for ${model.name}`,
    );
    this.toFunction(
      'GroundTruthArrivals',
      {
        eventPattern: {
          source: ['aws.s3'],
          detailType: [OBJECT_CREATED_EVENT],
          detail: {
            bucket: { name: [props.store.bucket.bucketName] },
            object: { key: events.Match.prefix(`${STORE_PREFIXES.groundTruth}${model.name}/`) },
          },
        },
      },
      jobs.functions.groundTruth,
      `labels of ${model.name} arriving under ground-truth/`,
    );
    this.toFunction(
      'Violations',
      { eventPattern: modelEvents(DETAIL_TYPES.violationsDetected) },
      jobs.functions.alertRouter,
      `violations of ${model.name}, to the alert router`,
    );

    if (props.retraining) {
      this.rules.RetrainingRequests = new events.Rule(this, 'RetrainingRequests', {
        description: `model-care: retraining requests for ${model.name} start its state machine`,
        eventPattern: modelEvents(DETAIL_TYPES.retrainingRequested),
        targets: [new targets.SfnStateMachine(props.retraining, { input: this.input, ...this.delivery() })],
      });
    }
  }

  private toFunction(
    id: string,
    trigger: Pick<events.RuleProps, 'schedule' | 'eventPattern'>,
    job: HouseFunction,
    what: string,
  ): void {
    this.rules[id] = new events.Rule(this, id, {
      description: `model-care: ${what}`,
      ...trigger,
      targets: [new targets.LambdaFunction(job.function, { event: this.input, ...this.delivery() })],
    });
  }

  private delivery(): targets.TargetBaseProps {
    return { deadLetterQueue: this.deadLetterQueue.queue, retryAttempts: 4, maxEventAge: Duration.hours(2) };
  }
}
