import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { externalCaptureRoot } from '../../functions/shared/config/capture-folders.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { OBJECT_CREATED_EVENT } from '../../functions/shared/events.ts';
import { STORE_PREFIXES } from '../../functions/shared/store-layout.ts';
import type { CaptureStore } from './capture-store.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { HouseFunction } from './house-function.ts';
import type { ResultsTables } from './results-tables.ts';

export const LATE_CAPTURE_HANDLER = 'functions/late-capture/handler.ts';

export interface LateCaptureProps {
  readonly store: CaptureStore;
  readonly tables: ResultsTables;
  /** the config's models: the buckets of their `capture.s3Uri` get a rule too */
  readonly models: readonly ModelConfig[];
  readonly logRetention: logs.RetentionDays;
  /** the dispatcher's period (`fleet.dispatchEveryMinutes`); @default 5 */
  readonly dispatchEveryMinutes?: number;
}

/**
 * Late capture (issue 10.3): S3 `Object Created` under the stack bucket's `capture/` (the bucket sends its events
 * to EventBridge, capture-store.ts) goes to a small function that re-opens the data windows already judged without
 * the object (functions/late-capture/). Buckets named by models' `capture.s3Uri` are matched by name; their owner
 * turns on the bucket's EventBridge notifications (docs/deploy.md), else their late files wait for the next re-run.
 */
export class LateCapture extends Construct {
  readonly handler: HouseFunction;
  readonly rules: events.Rule[] = [];

  constructor(scope: Construct, id: string, props: LateCaptureProps) {
    super(scope, id);
    const bus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.handler = new HouseFunction(this, 'Handler', {
      entry: LATE_CAPTURE_HANDLER,
      description: 'model-care: re-opens data windows judged before a late capture object landed',
      logRetention: props.logRetention,
      environment: {
        captureBucket: props.store.bucket.bucketName,
        eventBusName: bus.eventBusName,
        dispatchEveryMinutes: props.dispatchEveryMinutes ?? 5,
      },
    });
    props.tables.bind(this.handler, 'models', 'read');
    props.tables.bind(this.handler, 'runs', 'read');
    // the debounce: one conditional write per re-open in the state table's locks
    props.tables.bind(this.handler, 'state', 'readWrite');
    bus.grantPutEventsTo(this.handler.function);

    const deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      purpose: 'capture Object Created events the late-capture function could not take',
    });
    deadLetters.acknowledgeEventBridgeDeadLetterQueue();
    const target = new targets.LambdaFunction(this.handler.function, {
      deadLetterQueue: deadLetters.queue,
      retryAttempts: 4,
      maxEventAge: Duration.hours(2),
    });
    const objectCreated = (bucket: string, prefix: string): events.EventPattern => ({
      source: ['aws.s3'],
      detailType: [OBJECT_CREATED_EVENT],
      detail: {
        bucket: { name: [bucket] },
        ...(prefix === '' ? {} : { object: { key: events.Match.prefix(prefix) } }),
      },
    });
    this.rules.push(
      new events.Rule(this, 'StackCapture', {
        description: "model-care: capture objects landing in the stack bucket's capture/",
        eventPattern: objectCreated(props.store.bucket.bucketName, STORE_PREFIXES.capture),
        targets: [target],
      }),
    );
    const external = new Map<string, Set<string>>();
    for (const model of props.models) {
      if (model.capture.s3Uri === undefined) continue;
      const root = externalCaptureRoot(model.capture.s3Uri);
      external.set(root.bucket, (external.get(root.bucket) ?? new Set()).add(root.prefix));
    }
    for (const [bucket, prefixes] of [...external.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      // one prefix per bucket keeps the pattern exact; several (or the whole bucket) match by bucket alone
      const [only] = prefixes;
      this.rules.push(
        new events.Rule(this, `Capture-${bucket}`, {
          description: `model-care: capture objects landing in ${bucket} (capture.s3Uri)`,
          eventPattern: objectCreated(bucket, prefixes.size === 1 ? (only ?? '') : ''),
          targets: [target],
        }),
      );
    }
  }
}
