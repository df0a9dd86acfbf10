import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ModelCareConfig, ModelCareConfigInput } from '../functions/shared/config/model-care-schema.ts';
import type { ModelConfigInput } from '../functions/shared/config/model-schema.ts';
import { parseModelCareConfig } from '../functions/shared/config/parse-config.ts';
import { fleetDashboardName } from '../functions/shared/telemetry.ts';
import { AdminApi } from './constructs/admin-api.ts';
import { Alerting } from './constructs/alerting.ts';
import { BatchTransformTrigger } from './constructs/batch-transform-trigger.ts';
import { CaptureApi } from './constructs/capture-api.ts';
import { CaptureStore } from './constructs/capture-store.ts';
import { CaptureStream } from './constructs/capture-stream.ts';
import { Dispatcher } from './constructs/dispatcher.ts';
import { FleetDashboard } from './constructs/fleet-dashboard.ts';
import { FleetRules } from './constructs/fleet-rules.ts';
import { HealthAlarms } from './constructs/health-alarms.ts';
import { LateCapture } from './constructs/late-capture.ts';
import { ModelsSeed } from './constructs/models-seed.ts';
import { type JobFunctionName, MonitoringJobs } from './constructs/monitoring-jobs.ts';
import { OnCall } from './constructs/on-call.ts';
import { grantProducer } from './constructs/producer-grant.ts';
import { ResultsTables } from './constructs/results-tables.ts';
import { RetrainingRequests } from './constructs/retraining-requests.ts';
import { RetrainingSteps } from './constructs/retraining-steps.ts';
import { RetrainingWorkflow } from './constructs/retraining-workflow.ts';

export interface ModelCareProps {
  /** the models to monitor, in the config file's shape (validated with the same schema, defaults applied) */
  readonly models: readonly ModelConfigInput[];
  /** operators: recipients of every alert and alarm, by severity; @default - none */
  readonly alerts?: ModelCareConfigInput['alerts'];
  /** chat channels and paging services per severity, and the longest mute; @default - none, a week */
  readonly onCall?: ModelCareConfigInput['onCall'];
  /** retention of capture, reports, metrics and logs; @default - the defaults in docs/deploy.md */
  readonly retention?: ModelCareConfigInput['retention'];
  /** `retain` keeps the bucket and tables on `cdk destroy`; @default 'retain' */
  readonly removalPolicy?: ModelCareConfigInput['removalPolicy'];
  /** when a data window is profiled in parts, and how many parts may fail; @default - docs/deploy.md */
  readonly fanOut?: ModelCareConfigInput['fanOut'];
  /** the capture API's reserved concurrency; @default - docs/deploy.md (20) */
  readonly captureApi?: ModelCareConfigInput['captureApi'];
  /** the dispatcher's tick and the jobs' concurrency; @default - docs/deploy.md (5 minutes, 20 jobs) */
  readonly fleet?: ModelCareConfigInput['fleet'];
  /**
   * encrypts the capture store and the topics; an imported key's policy must let cloudwatch.amazonaws.com use
   * kms:Decrypt and kms:GenerateDataKey* under aws:SourceAccount (alarm actions publish to the topics): the stack
   * cannot add that statement to a key it does not own
   * @default - a new customer managed key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /** the one dashboard is named `<prefix>-models`; @default - the stack name */
  readonly dashboardPrefix?: string;
}

/**
 * model-care as one construct: capture store, capture API, results tables, the models table and its admin API,
 * the dispatcher that hands out every model's windows, monitoring jobs on a fixed set of stack-level rules, alert
 * routing to SNS by severity, stack-level alarms, one dashboard for all models, and a retraining workflow per
 * model that has one. Models are data: adding one changes no resource but the seed's asset. Embed it with
 * `new ModelCare(this, 'Care', { models: [...] })`.
 */
export class ModelCare extends Construct {
  /** the validated configuration, defaults resolved */
  readonly config: ModelCareConfig;
  readonly encryptionKey: kms.IKey;
  readonly store: CaptureStore;
  readonly tables: ResultsTables;
  readonly alerting: Alerting;
  /** chat channels (AWS Chatbot) and the pager notifier, per severity (issue 17.4) */
  readonly onCall: OnCall;
  readonly captureApi: CaptureApi;
  /** the Firehose capture stream (issue 13); undefined when no model has `capture.transport: stream` */
  readonly captureStream?: CaptureStream;
  readonly jobs: MonitoringJobs;
  /** judges completed batch transform jobs; present when some model has `batchTransform` */
  readonly batchTransform?: BatchTransformTrigger;
  /** always there: models are data, and one put with `retraining` may need them without a deploy */
  readonly retrainingSteps: RetrainingSteps;
  /** the one retraining state machine of every model, and the rule that starts it */
  readonly retraining: RetrainingWorkflow;
  readonly retrainingRequests: RetrainingRequests;
  readonly health: HealthAlarms;
  readonly dispatcher: Dispatcher;
  readonly fleetRules: FleetRules;
  readonly dashboard: FleetDashboard;
  /** models as data: the admin API and the seed of the config's models at deploy */
  readonly adminApi: AdminApi;
  readonly modelsSeed: ModelsSeed;
  /** S3 Object Created under capture/ -> re-open the data windows judged without the object */
  readonly lateCapture: LateCapture;

  constructor(scope: Construct, id: string, props: ModelCareProps) {
    super(scope, id);
    const config = parseModelCareConfig(
      {
        models: props.models,
        alerts: props.alerts,
        onCall: props.onCall,
        retention: props.retention,
        removalPolicy: props.removalPolicy,
        fanOut: props.fanOut,
        captureApi: props.captureApi,
        fleet: props.fleet,
      },
      'ModelCare props',
    );
    this.config = config;
    const removalPolicy = config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    // validated against CloudWatch's list of retention values
    const logRetention = config.retention.logRetentionDays as logs.RetentionDays;
    const dashboardPrefix = props.dashboardPrefix ?? Stack.of(this).stackName;

    this.encryptionKey =
      props.encryptionKey ??
      new kms.Key(this, 'Key', {
        description: 'model-care: capture store and alert topics',
        enableKeyRotation: true,
        removalPolicy,
      });
    this.store = new CaptureStore(this, 'CaptureStore', {
      encryptionKey: this.encryptionKey,
      retention: config.retention,
      removalPolicy,
    });
    this.tables = new ResultsTables(this, 'Results', { removalPolicy, encryptionKey: this.encryptionKey });
    this.alerting = new Alerting(this, 'Alerting', {
      encryptionKey: this.encryptionKey,
      operators: config.alerts,
    });
    // issue 13: one buffered stream for the models on `capture.transport: stream`, none when no model streams
    this.captureStream = config.models.some((model) => model.capture.transport === 'stream')
      ? new CaptureStream(this, 'CaptureStream', { store: this.store, logRetention, removalPolicy })
      : undefined;

    this.onCall = new OnCall(this, 'OnCall', {
      alerting: this.alerting,
      onCall: config.onCall,
      logRetention,
    });
    this.captureApi = new CaptureApi(this, 'CaptureApi', {
      store: this.store,
      tables: this.tables,
      models: config.models,
      logRetention,
      reservedConcurrency: config.captureApi.reservedConcurrency,
      ...(this.captureStream ? { stream: this.captureStream } : {}),
    });
    this.jobs = new MonitoringJobs(this, 'Jobs', {
      store: this.store,
      tables: this.tables,
      alerting: this.alerting,
      models: config.models,
      logRetention,
      metricsTtlDays: config.retention.metricsTtlDays,
      dashboardPrefix,
      fanOut: config.fanOut,
      maxConcurrentJobs: config.fleet.maxConcurrentJobs,
    });
    // issue 17: batch transform jobs judged when they complete, only when some model has batch jobs
    const batched = config.models.filter((model) => model.batchTransform !== undefined);
    this.batchTransform =
      batched.length > 0
        ? new BatchTransformTrigger(this, 'BatchTransform', {
            store: this.store,
            tables: this.tables,
            models: batched,
            metricsTtlDays: config.retention.metricsTtlDays,
            dashboardPrefix,
            logRetention,
          })
        : undefined;
    // one retraining workflow for the stack (issue 16), whatever config/ holds: a model with retraining may be put
    // at any time; the config's models only widen the steps' synth-time grants (their channels and endpoints)
    this.retrainingSteps = new RetrainingSteps(this, 'RetrainingSteps', {
      store: this.store,
      tables: this.tables,
      models: config.models.filter((model) => model.retraining !== undefined),
      logRetention,
    });
    this.retraining = new RetrainingWorkflow(this, 'Retraining', {
      encryptionKey: this.encryptionKey,
      alerting: this.alerting,
      steps: this.retrainingSteps.functions,
      baselineJob: this.jobs.functions.baseline,
      logRetention,
    });
    this.retrainingRequests = new RetrainingRequests(this, 'RetrainingRequests', {
      stateMachine: this.retraining.stateMachine,
    });

    this.adminApi = new AdminApi(this, 'AdminApi', {
      tables: this.tables,
      store: this.store,
      alerting: this.alerting,
      // the roles that touch a model's own data assume its access role
      trustedRoles: [
        this.jobs.functions.baseline.role,
        this.jobs.functions.data.role,
        this.jobs.functions.quality.role,
        // the fan-out's steps read a fanned-out window's capture wherever it is (capture.s3Uri)
        ...Object.values(this.jobs.fanOut.functions).map((fn) => fn.role),
        ...Object.values(this.retrainingSteps.functions).map((fn) => fn.role),
        // its SageMaker states run with the model's access role (Credentials)
        this.retraining.stateMachine.role,
      ],
      logRetention,
      maxMuteHours: config.onCall.maxMuteHours,
    });
    // late capture re-opens judged windows (issue 10.3)
    this.lateCapture = new LateCapture(this, 'LateCapture', {
      store: this.store,
      tables: this.tables,
      models: config.models,
      logRetention,
    });
    this.modelsSeed = new ModelsSeed(this, 'ModelsSeed', {
      models: config.models,
      adminApi: this.adminApi,
      logRetention,
    });

    this.dispatcher = new Dispatcher(this, 'Dispatcher', {
      tables: this.tables,
      dispatchEveryMinutes: config.fleet.dispatchEveryMinutes,
      logRetention,
    });
    this.fleetRules = new FleetRules(this, 'Rules', {
      jobs: this.jobs,
      store: this.store,
      dispatcher: this.dispatcher.handler,
      dispatchEveryMinutes: config.fleet.dispatchEveryMinutes,
    });

    // stack-level alarms only (issue 13): verdicts reach people through the alert router, not an alarm each
    this.health = new HealthAlarms(this, 'Health', { alerting: this.alerting });
    this.health.watchFunction('CaptureApi', this.captureApi.handler);
    this.health.watchFunction('AdminApi', this.adminApi.handler);
    this.health.watchFunction('LateCapture', this.lateCapture.handler);
    this.health.watchFunction('Dispatcher', this.dispatcher.handler);
    this.health.watchQueue('EventDeadLetters', this.fleetRules.deadLetterQueue.queue, 'undelivered events');

    if (this.onCall.pagerNotifier) this.health.watchFunction('PagerNotifier', this.onCall.pagerNotifier);
    for (const name of Object.keys(this.jobs.functions) as JobFunctionName[]) {
      this.health.watchFunction(`${name}Job`, this.jobs.functions[name]);
      this.health.watchQueue(`${name}JobDeadLetters`, this.jobs.deadLetterQueues[name].queue, `${name} job`);
    }
    for (const [name, fn] of Object.entries(this.jobs.fanOut.functions)) {
      this.health.watchFunction(`FanOut-${name}`, fn);
    }
    this.health.watchStateMachine(
      'FanOut',
      this.jobs.fanOut.stateMachine,
      'the fan-out of a data window',
      'warning',
    );
    for (const [name, fn] of Object.entries(this.retrainingSteps.functions)) {
      this.health.watchFunction(`Retraining-${name}`, fn);
    }
    this.health.watchStateMachine('Retraining', this.retraining.stateMachine, 'retraining of any model');
    this.health.watchQueue(
      'RetrainingRequestDeadLetters',
      this.retrainingRequests.deadLetterQueue.queue,
      'retraining requests',
    );

    this.dashboard = new FleetDashboard(this, 'Dashboard', {
      dashboardName: fleetDashboardName(dashboardPrefix),
      firstModel: config.models[0]?.name ?? 'none',
      functions: {
        ...Object.fromEntries(Object.entries(this.jobs.functions).map(([name, fn]) => [`${name} job`, fn])),
        dispatcher: this.dispatcher.handler,
        'capture API': this.captureApi.handler,
        'admin API': this.adminApi.handler,
      },
      deadLetterQueues: {
        events: this.fleetRules.deadLetterQueue.queue,
        ...Object.fromEntries(
          Object.entries(this.jobs.deadLetterQueues).map(([name, dlq]) => [`${name} job`, dlq.queue]),
        ),
      },
      stateMachines: {
        'fan-out': this.jobs.fanOut.stateMachine,
        retraining: this.retraining.stateMachine,
      },
    });
  }

  /**
   * Lets `principal` send `model`'s records to the capture API: `lambda:InvokeFunctionUrl` and
   * `lambda:InvokeFunction` (via the Function URL only), both of which a Function URL caller needs. The model's
   * `producers.records` must name the principal too (the capture API checks it per model; without it, any caller
   * IAM lets through may send the model's records); a principal whose ARN synth knows and the list leaves out is
   * refused with a ConfigError.
   */
  grantProducer(principal: iam.IGrantable, model: string): void {
    grantProducer(this.captureApi, this.config.models, principal, model);
  }

  /** the retraining state machine, shared by every model: a model that has retraining, or undefined */
  stateMachine(model: string): sfn.StateMachine | undefined {
    const config = this.config.models.find((m) => m.name === model);
    return config?.retraining ? this.retraining.stateMachine : undefined;
  }
}
