import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import type { EnvironmentValues } from '../../functions/shared/environment.ts';
import type { CaptureStore } from './capture-store.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { HouseFunction } from './house-function.ts';
import { grantReadUri } from './private/grant-read-uri.ts';
import type { ResultsTables } from './results-tables.ts';

/** SageMaker's detail-type for transform job status changes (functions/batch-transform-job) */
export const TRANSFORM_JOB_STATE_CHANGE = 'SageMaker Transform Job State Change';

export interface BatchTransformTriggerProps {
  readonly store: CaptureStore;
  readonly tables: ResultsTables;
  /** the models with a `batchTransform` block: their capture URIs are granted for reading */
  readonly models: readonly ModelConfig[];
  readonly metricsTtlDays: number;
  readonly dashboardPrefix: string;
  /** @default - HouseFunction's */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * One stack-level rule for SageMaker's `Transform Job State Change` events of completed jobs, and the function that
 * judges them (functions/batch-transform-job): the job's name picks the model by `batchTransform.jobNamePrefix`, its
 * captured input is checked like a data window, and the verdict is recorded and published.
 */
export class BatchTransformTrigger extends Construct {
  readonly job: HouseFunction;
  readonly rule: events.Rule;
  readonly deadLetterQueue: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: BatchTransformTriggerProps) {
    super(scope, id);
    const { store, tables } = props;
    const defaultBus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetters', {
      purpose: 'transform job events that could not be delivered or judged',
    });
    this.deadLetterQueue.acknowledgeEventBridgeDeadLetterQueue();
    const environment: EnvironmentValues = {
      captureBucket: store.bucket.bucketName,
      eventBusName: defaultBus.eventBusName,
      metricsTtlDays: props.metricsTtlDays,
      dashboardPrefix: props.dashboardPrefix,
    };
    this.job = new HouseFunction(this, 'Job', {
      entry: 'functions/batch-transform-job/handler.ts',
      description: 'model-care: drift and data-quality check of a completed batch transform job',
      timeout: Duration.minutes(15),
      memorySize: 2048,
      logRetention: props.logRetention,
      environment,
    });
    tables.bind(this.job, 'models', 'read');
    tables.bind(this.job, 'runs', 'readWrite');
    tables.bind(this.job, 'metrics', 'readWrite');
    store.grantRead(this.job.role, 'baselines');
    store.grantWrite(this.job.role, 'reports');
    for (const model of props.models)
      if (model.batchTransform) grantReadUri(this, this.job.role, model.batchTransform.captureUri);
    defaultBus.grantPutEventsTo(this.job.function);

    this.rule = new events.Rule(this, 'TransformJobsCompleted', {
      description:
        'model-care: completed SageMaker batch transform jobs, judged against their model baseline',
      eventPattern: {
        source: ['aws.sagemaker'],
        detailType: [TRANSFORM_JOB_STATE_CHANGE],
        detail: { TransformJobStatus: ['Completed'] },
      },
      targets: [
        new targets.LambdaFunction(this.job.function, {
          deadLetterQueue: this.deadLetterQueue.queue,
          retryAttempts: 4,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
  }
}
