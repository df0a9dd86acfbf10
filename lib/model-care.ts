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
import { ResultsTables } from './constructs/results-tables.ts';
import { RetrainingRequests } from './constructs/retraining-requests.ts';
import { RetrainingSteps } from './constructs/retraining-steps.ts';
import { RetrainingWorkflow } from './constructs/retraining-workflow.ts';

export interface ModelCareProps {
  /** the models to monitor, in the config file's shape (validated with the same schema, defaults applied) */
  readonly models: readonly ModelConfigInput[];
  /** operators: recipients of every alert and alarm, by severity; @default - none */
  readonly alerts?: ModelCareConfigInput['alerts'];
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
  readonly captureApi: CaptureApi;
  readonly jobs: MonitoringJobs;
  /** always there: models are data, and one put with `retraining` may need them without a deploy */
  readonly retrainingSteps: RetrainingSteps;
  /** the one retraining state machine of every model, and the rule that starts it */
  readonly retraining: RetrainingWorkflow;
  readonly retrainingRequests: RetrainingRequests;
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
      alerting: this.alerting,
      // the roles that touch a model's own data assume its access role
      trustedRoles: [
        this.jobs.functions.baseline.role,
        this.jobs.functions.data.role,
        this.jobs.functions.quality.role,
        ...Object.values(this.retrainingSteps.functions).map((fn) => fn.role),
        // its SageMaker states run with the model's access role (Credentials)
        this.retraining.stateMachine.role,
      ],
      logRetention,
    });
    this.modelsSeed = new ModelsSeed(this, 'ModelsSeed', {
      models: config.models,
      adminApi: this.adminApi,
      logRetention,
    });

    this.health = new HealthAlarms(this, 'Health', { alerting: this.alerting });
    this.health.watchFunction('CaptureApi', this.captureApi.handler);
    this.health.watchFunction('AdminApi', this.adminApi.handler);
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

    const modelsScope = new Construct(this, 'Models');
    config.models.forEach((model, index) => {
      this.models[model.name] = new MonitoredModel(modelsScope, model.name, {
        model,
        index,
        store: this.store,
        jobs: this.jobs,
        alerting: this.alerting,
        health: this.health,
        dashboardPrefix,
        logRetention,
      });
    });
  }

  /** the retraining state machine, shared by every model: a model that has retraining, or undefined */
  stateMachine(model: string): sfn.StateMachine | undefined {
    const config = this.config.models.find((m) => m.name === model);
    return config?.retraining ? this.retraining.stateMachine : undefined;
  }
}
