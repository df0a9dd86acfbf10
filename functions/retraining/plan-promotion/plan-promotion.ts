import type { LiveEndpointReader } from '../../adapters/live-endpoint.ts';
import type { HandlerLogger } from '../../handler-kit/handler-logger.ts';
import { InvalidEventError } from '../../handler-kit/invalid-event-error.ts';
import type { PromotionPlan } from '../../shared/retraining-contract.ts';
import {
  currentEndpointSchema,
  executionRefSchema,
  parseStepInput,
  preparedDataSchema,
} from '../shared/step-input.ts';
import { restoreConfigName } from '../shared/training-layout.ts';
import { deploymentConfig, describeDeployment } from './deployment-config.ts';
import { copyEndpointConfig, variantModel, variantNames } from './endpoint-config-copy.ts';

export interface PlanPromotionDeps {
  readonly endpoints: LiveEndpointReader;
  readonly logger: HandlerLogger;
}

/**
 * Plans the challenger's promotion from the endpoint as it is now (read again: the approval may have waited a
 * day): the challenger's endpoint config is the live one with only the monitored variant's model swapped (every
 * other variant, shadow variant, sizing, serverless, async, capture, KMS and tag kept), the restore point is the
 * live one copied under `<jobName>-prev`, and the UpdateEndpoint request carries SageMaker's deployment guardrails
 * and keeps the variants' current instance counts and weights (autoscaling). The state machine sends all three
 * once the endpoint is InService; this step changes nothing.
 */
export const makePlanPromotionHandler = (deps: PlanPromotionDeps) => {
  const { endpoints, logger } = deps;
  return async (event: unknown): Promise<PromotionPlan> => {
    const { model, data, current } = parseStepInput(
      'plan-promotion',
      { execution: executionRefSchema, data: preparedDataSchema, current: currentEndpointSchema },
      event,
    );
    const endpoint = model.endpoint;
    if (!endpoint) {
      throw new InvalidEventError(
        'plan-promotion: event.model.endpoint: the model has no endpoint to promote to',
      );
    }
    const live = await endpoints.describeEndpoint(endpoint.name);
    const described = await endpoints.describeEndpointConfig(live.configName);
    const serving = variantModel(described, endpoint.variant);
    const restoreName = restoreConfigName(data.jobName);
    const tags = (copiedFrom: string) => [
      { Key: 'model-care:model', Value: model.name },
      { Key: 'model-care:copied-from', Value: copiedFrom },
    ];
    const challengerConfig = copyEndpointConfig(described, {
      name: data.jobName,
      swap: { variantName: endpoint.variant, modelName: data.jobName },
      tags: tags(live.configName),
    });
    const restoreConfig = copyEndpointConfig(described, { name: restoreName, tags: tags(live.configName) });
    const settings = model.retraining.deployment;
    const kept = variantNames(described).filter((name) => name !== endpoint.variant);
    const summary =
      `${endpoint.name}: variant ${endpoint.variant} from ${serving} to ${data.jobName}` +
      `${kept.length > 0 ? `, keeping ${kept.join(', ')}` : ''}; ${describeDeployment(settings)}`;
    logger.info('promotion planned', {
      model: model.name,
      endpoint: endpoint.name,
      status: live.status,
      liveConfig: live.configName,
      summary,
    });
    return {
      current: {
        endpointName: endpoint.name,
        endpointConfigName: live.configName,
        endpointStatus: live.status,
        variantName: endpoint.variant,
        modelName: serving,
        adoptedChampionVersion: current.adoptedChampionVersion,
        restoreConfigName: restoreName,
      },
      challengerConfig,
      restoreConfig,
      update: {
        EndpointName: endpoint.name,
        EndpointConfigName: data.jobName,
        RetainAllVariantProperties: true,
        DeploymentConfig: deploymentConfig(settings),
      },
      // SageMaker ends a deployment by maxMinutes and may then take a while rolling it back
      pollBudget: settings.maxMinutes + settings.busyWaitMinutes,
      summary,
    };
  };
};
