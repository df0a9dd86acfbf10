import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
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

export interface ModelTriggersProps {
  readonly model: ModelConfig;
  readonly jobs: MonitoringJobs;
  readonly store: CaptureStore;
}

/**
 * A model's EventBridge rules. Each delivers the ModelJobInput envelope (events.ts): the model's name plus the
 * trigger copied from the event; the shared functions read the config from the models table. Undeliverable events
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
    // the name only: jobs read the config from the models table, so its size is not bounded by EventBridge's
    // 8,192-character input, and a config changed through the admin API is used at the next window
    const envelope = { model: model.name, trigger };
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
