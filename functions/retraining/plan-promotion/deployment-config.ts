import type { RetrainingConfig } from '../../shared/config/retraining-schema.ts';

export type DeploymentSettings = RetrainingConfig['deployment'];

const TRAFFIC_TYPES = { canary: 'CANARY', linear: 'LINEAR', 'all-at-once': 'ALL_AT_ONCE' } as const;

/**
 * UpdateEndpoint's `DeploymentConfig` from the model's `retraining.deployment`: a blue/green update whose traffic
 * shifts in the configured steps, each baking `waitMinutes` while the rollback alarms watch the new fleet, so
 * SageMaker itself sends all traffic back to the old fleet when an alarm fires. Sizes are shares of capacity
 * (`CAPACITY_PERCENT`), which fit any instance count, and serverless variants too.
 */
export const deploymentConfig = (settings: DeploymentSettings): Record<string, unknown> => {
  const routing: Record<string, unknown> = {
    Type: TRAFFIC_TYPES[settings.trafficShifting],
    WaitIntervalInSeconds: settings.waitMinutes * 60,
  };
  if (settings.trafficShifting === 'canary') {
    routing.CanarySize = { Type: 'CAPACITY_PERCENT', Value: settings.canaryPercent };
  }
  if (settings.trafficShifting === 'linear') {
    routing.LinearStepSize = { Type: 'CAPACITY_PERCENT', Value: settings.linearStepPercent };
  }
  return {
    BlueGreenUpdatePolicy: {
      TrafficRoutingConfiguration: routing,
      MaximumExecutionTimeoutInSeconds: settings.maxMinutes * 60,
    },
    ...(settings.rollbackAlarms.length > 0
      ? { AutoRollbackConfiguration: { Alarms: settings.rollbackAlarms.map((AlarmName) => ({ AlarmName })) } }
      : {}),
  };
};

/** one line for people: how the traffic moves and what rolls it back */
export const describeDeployment = (settings: DeploymentSettings): string => {
  const shift =
    settings.trafficShifting === 'canary'
      ? `canary ${settings.canaryPercent}% for ${settings.waitMinutes} min, then the rest`
      : settings.trafficShifting === 'linear'
        ? `linear steps of ${settings.linearStepPercent}% every ${settings.waitMinutes} min`
        : `all at once, baking ${settings.waitMinutes} min`;
  const alarms =
    settings.rollbackAlarms.length > 0
      ? `rolls back on alarm ${settings.rollbackAlarms.join(', ')}`
      : 'no rollback alarms configured';
  return `blue/green, ${shift}; ${alarms}`;
};
