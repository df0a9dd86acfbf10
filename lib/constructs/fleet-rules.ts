import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { DETAIL_TYPES, EVENT_SOURCE, OBJECT_CREATED_EVENT } from '../../functions/shared/events.ts';
import { STORE_PREFIXES } from '../../functions/shared/store-layout.ts';
import type { CaptureStore } from './capture-store.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { HouseFunction } from './house-function.ts';
import type { MonitoringJobs } from './monitoring-jobs.ts';

export interface FleetRulesProps {
  readonly jobs: MonitoringJobs;
  readonly store: CaptureStore;
  readonly dispatcher: HouseFunction;
  /** `fleet.dispatchEveryMinutes` */
  readonly dispatchEveryMinutes: number;
}

/** the trigger as every rule copies it from the event (events.ts EventTrigger) */
const TRIGGER = {
  id: events.EventField.eventId,
  source: events.EventField.source,
  detailType: events.EventField.detailType,
  time: events.EventField.time,
  detail: events.EventField.fromPath('$.detail'),
};

/**
 * The stack's EventBridge rules, a fixed number whatever the number of models (issue 16): the dispatcher's tick,
 * and one rule per kind of event, each sending the model the event names (`detail.model`) and the trigger to the
 * shared job, which reads that model's config from the models table. Ground-truth objects name their model in
 * the key (`ground-truth/<model>/...`): that rule sends the trigger only and the ingest reads the name from the
 * key. Every target retries and then parks the event in the one events dead-letter queue.
 */
export class FleetRules extends Construct {
  readonly deadLetterQueue: DeadLetterQueue;
  readonly rules: Record<string, events.Rule> = {};

  constructor(scope: Construct, id: string, props: FleetRulesProps) {
    super(scope, id);
    const { jobs } = props;
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      purpose: 'events EventBridge could not deliver to a model-care target',
    });
    this.deadLetterQueue.acknowledgeEventBridgeDeadLetterQueue();

    this.toFunction(
      'DispatchTick',
      {
        schedule: events.Schedule.rate(Duration.minutes(props.dispatchEveryMinutes)),
        description: "the dispatcher's tick: every model's due windows become Window Due events",
      },
      props.dispatcher,
      events.RuleTargetInput.fromObject({ trigger: TRIGGER }),
    );
    const windowDue = (job: 'data' | 'quality'): events.EventPattern => ({
      source: [EVENT_SOURCE],
      detailType: [DETAIL_TYPES.windowDue],
      detail: { model: events.Match.exists(), job: [job] },
    });
    this.toModelJob(
      'DataWindowDue',
      windowDue('data'),
      jobs.functions.data,
      'data windows due, to the data job',
    );
    this.toModelJob(
      'QualityWindowDue',
      windowDue('quality'),
      jobs.functions.quality,
      'quality windows due, to the quality job',
    );
    this.toModelJob(
      'QualityRequests',
      this.modelEvents(DETAIL_TYPES.qualityEvaluationRequested),
      jobs.functions.quality,
      'quality windows re-opened by late labels',
    );
    this.toModelJob(
      'BaselineRequests',
      this.modelEvents(DETAIL_TYPES.baselineRequested),
      jobs.functions.baseline,
      'baseline requests',
    );
    this.toModelJob(
      'Violations',
      this.modelEvents(DETAIL_TYPES.violationsDetected),
      jobs.functions.alertRouter,
      'violations, to the alert router',
    );
    this.toFunction(
      'GroundTruthArrivals',
      {
        eventPattern: {
          source: ['aws.s3'],
          detailType: [OBJECT_CREATED_EVENT],
          detail: {
            bucket: { name: [props.store.bucket.bucketName] },
            object: { key: events.Match.prefix(STORE_PREFIXES.groundTruth) },
          },
        },
        description: 'labels arriving under ground-truth/<model>/, to the ground-truth ingest',
      },
      jobs.functions.groundTruth,
      events.RuleTargetInput.fromObject({ trigger: TRIGGER }),
    );
  }

  /** how every target delivers: retries for two hours, then the events dead-letter queue */
  delivery(): targets.TargetBaseProps {
    return { deadLetterQueue: this.deadLetterQueue.queue, retryAttempts: 4, maxEventAge: Duration.hours(2) };
  }

  /** events of model-care that name a model */
  modelEvents(detailType: string): events.EventPattern {
    return { source: [EVENT_SOURCE], detailType: [detailType], detail: { model: events.Match.exists() } };
  }

  private toModelJob(id: string, eventPattern: events.EventPattern, job: HouseFunction, what: string): void {
    // the ModelJobInput envelope (events.ts): the name only, so a config of any size, changed through the admin
    // API, is read by the job at its next window
    const input = events.RuleTargetInput.fromObject({
      model: events.EventField.fromPath('$.detail.model'),
      trigger: TRIGGER,
    });
    this.toFunction(id, { eventPattern, description: what }, job, input);
  }

  private toFunction(
    id: string,
    trigger: Pick<events.RuleProps, 'schedule' | 'eventPattern'> & { readonly description: string },
    job: HouseFunction,
    input: events.RuleTargetInput,
  ): void {
    this.rules[id] = new events.Rule(this, id, {
      schedule: trigger.schedule,
      eventPattern: trigger.eventPattern,
      description: `model-care: ${trigger.description}`,
      targets: [new targets.LambdaFunction(job.function, { event: input, ...this.delivery() })],
    });
  }
}
