import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type FanOutSettings, fanOutSettingsSchema } from '../../functions/shared/config/fan-out-settings.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import type { EnvironmentValues } from '../../functions/shared/environment.ts';
import type { Alerting } from './alerting.ts';
import type { CaptureStore } from './capture-store.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { HouseFunction, type HouseFunctionProps } from './house-function.ts';
import { bindModelAccessRoles } from './model-access-roles.ts';
import { grantReadUri } from './private/grant-read-uri.ts';
import type { ResultsTables } from './results-tables.ts';
import { WindowFanOut } from './window-fan-out.ts';

export type JobFunctionName = 'baseline' | 'data' | 'quality' | 'groundTruth' | 'alertRouter';

/** handler entry per job, relative to the repository root */
export const JOB_HANDLERS: Record<JobFunctionName, string> = {
  baseline: 'functions/baseline-job/handler.ts',
  data: 'functions/data-job/handler.ts',
  quality: 'functions/quality-job/handler.ts',
  groundTruth: 'functions/ground-truth-ingest/handler.ts',
  alertRouter: 'functions/alert-router/handler.ts',
};

export interface MonitoringJobsProps {
  readonly store: CaptureStore;
  readonly tables: ResultsTables;
  readonly alerting: Alerting;
  /** every model: the baseline job may read each model's baseline dataset */
  readonly models: readonly ModelConfig[];
  readonly logRetention: logs.RetentionDays;
  readonly metricsTtlDays: number;
  readonly dashboardPrefix: string;
  /** the config's `fanOut` section; @default - its defaults */
  readonly fanOut?: FanOutSettings;
  /** `fleet.maxConcurrentJobs`: reserved concurrency of the data and the quality job; @default - none reserved */
  readonly maxConcurrentJobs?: number;
}

/**
 * The functions that serve every model, triggered by the stack's rules (FleetRules): baseline, data (drift and data
 * quality), model quality, ground-truth ingest and the alert router. The data and quality jobs reserve
 * `fleet.maxConcurrentJobs` each: a tick that hands out a thousand windows runs them that many at a time while
 * EventBridge's asynchronous invocations wait their turn. Each has a dead-letter queue for
 * asynchronous invocations that still fail after Lambda's retries.
 */
export class MonitoringJobs extends Construct {
  readonly functions: Record<JobFunctionName, HouseFunction>;
  readonly deadLetterQueues: Record<JobFunctionName, DeadLetterQueue>;
  readonly fanOut: WindowFanOut;

  constructor(scope: Construct, id: string, props: MonitoringJobsProps) {
    super(scope, id);
    const { store, tables, alerting } = props;
    const fanOut = props.fanOut ?? fanOutSettingsSchema.parse(undefined);
    const defaultBus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    const deadLetterQueues: Partial<Record<JobFunctionName, DeadLetterQueue>> = {};
    // what every job and the fan-out's steps read (handler-kit/default-run-deps.ts and the job handlers)
    const environment: EnvironmentValues = {
      captureBucket: store.bucket.bucketName,
      eventBusName: defaultBus.eventBusName,
      metricsTtlDays: props.metricsTtlDays,
      dashboardPrefix: props.dashboardPrefix,
    };

    const job = (
      name: JobFunctionName,
      description: string,
      overrides: Pick<HouseFunctionProps, 'timeout' | 'memorySize' | 'reservedConcurrentExecutions'> = {},
    ): HouseFunction => {
      const id = `${name[0]?.toUpperCase()}${name.slice(1)}Job`;
      const dlq = new DeadLetterQueue(this, `${id}DeadLetters`, {
        purpose: `${name} invocations that failed after Lambda's retries`,
      });
      const fn = new HouseFunction(this, id, {
        entry: JOB_HANDLERS[name],
        description,
        logRetention: props.logRetention,
        deadLetterQueue: dlq.queue,
        environment,
        ...overrides,
      });
      // events name the model; every job reads its config from the models table (cached per container)
      tables.bind(fn, 'models', 'read');
      // EventBridge invokes asynchronously: Lambda retries twice, then parks the event in the queue
      fn.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6) });
      deadLetterQueues[name] = dlq;
      return fn;
    };

    const baseline = job('baseline', 'model-care: statistics and constraints from a dataset', {
      timeout: Duration.minutes(15),
      memorySize: 2048,
    });
    store.grantRead(baseline.role, 'training', 'baselines');
    store.grantWrite(baseline.role, 'baselines');
    for (const model of props.models) grantReadUri(this, baseline.role, model.baseline.datasetUri);
    tables.bind(baseline, 'registry', 'readWrite');
    tables.bind(baseline, 'runs', 'readWrite');

    const data = job('data', 'model-care: drift and data-quality check of a capture window', {
      timeout: Duration.minutes(15),
      memorySize: 1769, // one full vCPU
      reservedConcurrentExecutions: props.maxConcurrentJobs,
    });
    store.grantRead(data.role, 'capture', 'baselines', 'profiles');
    store.grantWrite(data.role, 'reports', 'profiles', 'quarantine');
    // moving an unparseable object to quarantine/ deletes it from capture/
    store.grantDelete(data.role, 'capture');
    tables.bind(data, 'runs', 'readWrite');
    tables.bind(data, 'metrics', 'readWrite');
    tables.bind(data, 'registry', 'read');
    tables.bind(data, 'state', 'readWrite');
    defaultBus.grantPutEventsTo(data.function);
    // windows too big for one Lambda: the data job hands them to the fan-out state machine
    this.fanOut = new WindowFanOut(this, 'WindowFanOut', {
      store,
      tables,
      bus: defaultBus,
      environment,
      logRetention: props.logRetention,
      toleratedPartFailureShare: fanOut.toleratedPartFailureShare,
      maxConcurrency: fanOut.maxConcurrency,
    });
    data.addEnvironment({
      fanOutStateMachineArn: this.fanOut.stateMachine.stateMachineArn,
      fanOutThresholdBytes: fanOut.thresholdBytes,
    });
    this.fanOut.stateMachine.grantStartExecution(data.function);
    // capture outside the stack bucket (capture.s3Uri) is read through the model's access role
    for (const fn of [
      data,
      this.fanOut.functions.plan,
      this.fanOut.functions.part,
      this.fanOut.functions.reduce,
    ])
      bindModelAccessRoles(fn);

    const quality = job('quality', 'model-care: model quality of a window joined with its ground truth', {
      timeout: Duration.minutes(15),
      memorySize: 1769,
      reservedConcurrentExecutions: props.maxConcurrentJobs,
    });
    store.grantRead(quality.role, 'capture', 'groundTruth', 'baselines', 'profiles');
    store.grantWrite(quality.role, 'reports', 'profiles');
    tables.bind(quality, 'runs', 'readWrite');
    tables.bind(quality, 'metrics', 'readWrite');
    tables.bind(quality, 'registry', 'read');
    tables.bind(quality, 'state', 'readWrite');
    defaultBus.grantPutEventsTo(quality.function);
    bindModelAccessRoles(quality);
    quality.addUnscopedStatement(
      ['cloudwatch:GetMetricData'],
      'Operational health reads the endpoints AWS/SageMaker metrics; cloudwatch:GetMetricData supports no resource-level permissions.',
    );

    const groundTruth = job(
      'groundTruth',
      'model-care: registers arriving labels and re-opens their windows',
    );
    store.grantRead(groundTruth.role, 'groundTruth');
    // an unreadable label object is moved to quarantine/ (copy, then delete from ground-truth/)
    store.grantWrite(groundTruth.role, 'quarantine');
    store.grantDelete(groundTruth.role, 'groundTruth');
    tables.bind(groundTruth, 'runs', 'read');
    tables.bind(groundTruth, 'state', 'readWrite');
    defaultBus.grantPutEventsTo(groundTruth.function);

    const alertRouter = job('alertRouter', 'model-care: severity, dedupe and cooldown; publishes alerts');
    tables.bind(alertRouter, 'state', 'readWrite');
    tables.bind(alertRouter, 'runs', 'read');
    alerting.bindPublisher(alertRouter);
    defaultBus.grantPutEventsTo(alertRouter.function);

    this.functions = { baseline, data, quality, groundTruth, alertRouter };
    this.deadLetterQueues = deadLetterQueues as Record<JobFunctionName, DeadLetterQueue>;
  }
}
