import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import type { RetrainingConfig } from '../../functions/shared/config/retraining-schema.ts';
import { DETAIL_TYPES, EVENT_SOURCE, type EventTrigger } from '../../functions/shared/events.ts';
import type { RetrainingStep } from '../../functions/shared/retraining-contract.ts';
import type { Alerting } from './alerting.ts';
import type { CaptureStore } from './capture-store.ts';
import type { FleetRules } from './fleet-rules.ts';
import type { HealthAlarms } from './health-alarms.ts';
import type { HouseFunction } from './house-function.ts';
import type { MonitoringJobs } from './monitoring-jobs.ts';
import { RetrainingWorkflow } from './retraining-workflow.ts';

export interface MonitoredModelProps {
  readonly model: ModelConfig & { readonly retraining: RetrainingConfig };
  readonly store: CaptureStore;
  readonly jobs: MonitoringJobs;
  readonly retrainingSteps: Record<RetrainingStep, HouseFunction>;
  readonly alerting: Alerting;
  readonly health: HealthAlarms;
  readonly fleetRules: FleetRules;
  readonly logRetention: logs.RetentionDays;
}

export const hasRetraining = (model: ModelConfig): model is ModelConfig & { retraining: RetrainingConfig } =>
  model.retraining !== undefined;

/**
 * What is still built per model, and only for a model with `retraining`: its retraining state machine, the rule
 * that starts it on `Retraining Requested` (with the fleet's events dead-letter queue) and its execution alarms.
 * Schedules, event rules, alarms and the dashboard are stack-level (FleetRules, HealthAlarms, FleetDashboard).
 * Its construct id is the model name, so adding or removing a model leaves the others' resources untouched.
 */
export class MonitoredModel extends Construct {
  readonly retraining: RetrainingWorkflow;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: MonitoredModelProps) {
    super(scope, id);
    const { model } = props;
    this.retraining = new RetrainingWorkflow(this, 'Retraining', {
      model,
      store: props.store,
      alerting: props.alerting,
      steps: props.retrainingSteps,
      baselineJob: props.jobs.functions.baseline,
      logRetention: props.logRetention,
    });
    const trigger: EventTrigger<string> = {
      id: events.EventField.eventId,
      source: events.EventField.source,
      detailType: events.EventField.detailType,
      time: events.EventField.time,
      detail: events.EventField.fromPath('$.detail'),
    };
    this.rule = new events.Rule(this, 'RetrainingRequests', {
      description: `model-care: retraining requests for ${model.name} start its state machine`,
      eventPattern: {
        source: [EVENT_SOURCE],
        detailType: [DETAIL_TYPES.retrainingRequested],
        detail: { model: [model.name] },
      },
      targets: [
        new targets.SfnStateMachine(this.retraining.stateMachine, {
          input: events.RuleTargetInput.fromObject({ model: model.name, trigger }),
          ...props.fleetRules.delivery(),
        }),
      ],
    });
    props.health.watchStateMachine(
      `${model.name}-Retraining`,
      this.retraining.stateMachine,
      `retraining of ${model.name}`,
    );
  }
}
