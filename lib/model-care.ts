import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ModelCareConfig, ModelCareConfigInput } from '../functions/shared/config/model-care-schema.ts';
import type { ModelConfigInput } from '../functions/shared/config/model-schema.ts';
import { parseModelCareConfig } from '../functions/shared/config/parse-config.ts';
import { AdminApi } from './constructs/admin-api.ts';
import { Alerting } from './constructs/alerting.ts';
import { CaptureApi } from './constructs/capture-api.ts';
import { CaptureStore } from './constructs/capture-store.ts';
import { HealthAlarms } from './constructs/health-alarms.ts';
import { ModelsSeed } from './constructs/models-seed.ts';
import { MonitoredModel } from './constructs/monitored-model.ts';
import { type JobFunctionName, MonitoringJobs } from './constructs/monitoring-jobs.ts';
import { OnCall } from './constructs/on-call.ts';
import { ResultsTables } from './constructs/results-tables.ts';
import { RetrainingSteps } from './constructs/retraining-steps.ts';

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
  /**
   * encrypts the capture store and the topics; an imported key's policy must let cloudwatch.amazonaws.com use
   * kms:Decrypt and kms:GenerateDataKey* under aws:SourceAccount (alarm actions publish to the topics): the stack
   * cannot add that statement to a key it does not own
   * @default - a new customer managed key with rotation
   */
  readonly encryptionKey?: kms.IKey;
  /** dashboards are named `<prefix>-<model>`; @default - the stack name */
  readonly dashboardPrefix?: string;
}

/**
 * model-care as one construct: capture store, capture API, results tables, monitoring jobs on per-model
 * schedules, alert routing to SNS by severity, CloudWatch alarms and dashboards, and a retraining workflow per
 * model that has one. Embed it with `new ModelCare(this, 'Care', { models: [...] })`.
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
  readonly jobs: MonitoringJobs;
  /** undefined when no model has a `retraining` section */
  readonly retrainingSteps?: RetrainingSteps;
  readonly health: HealthAlarms;
  /** models as data: the admin API and the seed of the config's models at deploy */
  readonly adminApi: AdminApi;
  readonly modelsSeed: ModelsSeed;
  readonly models: Record<string, MonitoredModel> = {};

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
    this.onCall = new OnCall(this, 'OnCall', {
      alerting: this.alerting,
      onCall: config.onCall,
      logRetention,
    });
    this.captureApi = new CaptureApi(this, 'CaptureApi', {
      store: this.store,
      models: config.models,
      logRetention,
      reservedConcurrency: config.captureApi.reservedConcurrency,
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
    });
    const retrained = config.models.filter((model) => model.retraining !== undefined);
    // the step functions exist only when some model retrains
    this.retrainingSteps =
      retrained.length > 0
        ? new RetrainingSteps(this, 'RetrainingSteps', {
            store: this.store,
            tables: this.tables,
            models: retrained,
            logRetention,
          })
        : undefined;

    this.adminApi = new AdminApi(this, 'AdminApi', {
      tables: this.tables,
      alerting: this.alerting,
      // the roles that touch a model's own data assume its access role
      trustedRoles: [
        this.jobs.functions.baseline.role,
        this.jobs.functions.data.role,
        this.jobs.functions.quality.role,
        ...Object.values(this.retrainingSteps?.functions ?? {}).map((fn) => fn.role),
      ],
      logRetention,
      maxMuteHours: config.onCall.maxMuteHours,
    });
    this.modelsSeed = new ModelsSeed(this, 'ModelsSeed', {
      models: config.models,
      adminApi: this.adminApi,
      logRetention,
    });

    this.health = new HealthAlarms(this, 'Health', { alerting: this.alerting });
    this.health.watchFunction('CaptureApi', this.captureApi.handler);
    this.health.watchFunction('AdminApi', this.adminApi.handler);
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
    for (const [name, fn] of Object.entries(this.retrainingSteps?.functions ?? {})) {
      this.health.watchFunction(`Retraining-${name}`, fn);
    }

    const modelsScope = new Construct(this, 'Models');
    config.models.forEach((model, index) => {
      this.models[model.name] = new MonitoredModel(modelsScope, model.name, {
        model,
        index,
        store: this.store,
        jobs: this.jobs,
        retrainingSteps: this.retrainingSteps?.functions,
        alerting: this.alerting,
        health: this.health,
        dashboardPrefix,
        logRetention,
      });
    });
  }

  /** the model's retraining state machine, if it has retraining */
  stateMachine(model: string): sfn.StateMachine | undefined {
    return this.models[model]?.retraining?.stateMachine;
  }
}
