import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import type { RetrainingConfig } from '../../functions/shared/config/retraining-schema.ts';
import type { RetrainingStep } from '../../functions/shared/retraining-contract.ts';
import { dashboardName } from '../../functions/shared/telemetry.ts';
import type { Alerting } from './alerting.ts';
import type { CaptureStore } from './capture-store.ts';
import type { HealthAlarms } from './health-alarms.ts';
import type { HouseFunction } from './house-function.ts';
import { ModelAlarms } from './model-alarms.ts';
import { ModelDashboard } from './model-dashboard.ts';
import { ModelTriggers } from './model-triggers.ts';
import type { MonitoringJobs } from './monitoring-jobs.ts';
import { ModelMetrics } from './private/model-metrics.ts';
import { RetrainingWorkflow } from './retraining-workflow.ts';

export interface MonitoredModelProps {
  readonly model: ModelConfig;
  readonly index: number;
  readonly store: CaptureStore;
  readonly jobs: MonitoringJobs;
  /** required when the model has `retraining` */
  readonly retrainingSteps?: Record<RetrainingStep, HouseFunction>;
  readonly alerting: Alerting;
  readonly health: HealthAlarms;
  readonly dashboardPrefix: string;
  readonly logRetention: logs.RetentionDays;
}

const hasRetraining = (model: ModelConfig): model is ModelConfig & { retraining: RetrainingConfig } =>
  model.retraining !== undefined;

/**
 * Everything one model adds: its rules (schedules and events, carrying its config), its retraining workflow,
 * alarms, dashboard and its own alert recipients. Its construct id is the model name, so adding or removing a
 * model leaves the others' resources untouched.
 */
export class MonitoredModel extends Construct {
  readonly triggers: ModelTriggers;
  readonly alarms: ModelAlarms;
  readonly dashboard: ModelDashboard;
  readonly retraining?: RetrainingWorkflow;

  constructor(scope: Construct, id: string, props: MonitoredModelProps) {
    super(scope, id);
    const { model, alerting, health } = props;

    if (hasRetraining(model)) {
      if (!props.retrainingSteps)
        throw new Error(`${model.name}: retraining needs the retraining step functions`);
      this.retraining = new RetrainingWorkflow(this, 'Retraining', {
        model,
        store: props.store,
        alerting,
        steps: props.retrainingSteps,
        baselineJob: props.jobs.functions.baseline,
        logRetention: props.logRetention,
      });
    }
    this.triggers = new ModelTriggers(this, 'Triggers', {
      model,
      jobs: props.jobs,
      store: props.store,
      retraining: this.retraining?.stateMachine,
    });

    const metrics = new ModelMetrics(model);
    this.alarms = new ModelAlarms(this, 'Alarms', { model, metrics, alerting });
    health.watchQueue(
      `${model.name}-DeadLetters`,
      this.triggers.deadLetterQueue.queue,
      `events for ${model.name}`,
    );
    const retrainingAlarms = this.retraining
      ? health.watchStateMachine(
          `${model.name}-Retraining`,
          this.retraining.stateMachine,
          `retraining of ${model.name}`,
        )
      : [];

    this.dashboard = new ModelDashboard(this, 'Dashboard', {
      model,
      metrics,
      dashboardName: dashboardName(props.dashboardPrefix, model.name),
      alarms: [...this.alarms.alarms, ...retrainingAlarms],
      stateMachine: this.retraining?.stateMachine,
    });

    alerting.addModelRecipients(model.name, model.alerts);
  }
}
