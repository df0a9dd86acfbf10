import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { ModelConfig } from '../../../functions/shared/config/model-schema.ts';
import type { RetrainingConfig } from '../../../functions/shared/config/retraining-schema.ts';
import type { DeploymentStatus } from '../../../functions/shared/retraining-contract.ts';
import { STORE_PREFIXES } from '../../../functions/shared/store-layout.ts';
import type { CaptureStore } from '../capture-store.ts';
import { describeEndpointTask } from '../private/sagemaker-resources.ts';
import { selectFields } from '../private/state-payload.ts';
import { CreateEndpointConfigTask } from './create-endpoint-config-task.ts';

export interface EndpointDeploymentProps {
  /** a model served by a SageMaker endpoint */
  readonly model: ModelConfig & { endpoint: NonNullable<ModelConfig['endpoint']> };
  readonly hosting: RetrainingConfig['hosting'];
  /** the promoted variant captures into this store */
  readonly store: CaptureStore;
  /** where the execution goes once the new config serves */
  readonly onServing: sfn.IChainable;
  /** where it goes when the update fails or SageMaker reverts it (the failure path) */
  readonly onFailure: sfn.IChainable;
}

/**
 * Puts the challenger (`$.data.jobName`) behind the model's endpoint without downtime:
 *
 *   CreateEndpointConfig (data capture on) -> UpdateEndpoint -> WaitForEndpoint -> DescribeEndpoint
 *   -> EndpointReady? -> onServing | EndpointUpdateFailed -> onFailure | WaitForEndpoint
 */
export class EndpointDeployment extends sfn.StateMachineFragment {
  readonly startState: sfn.State;
  /** the deployment ends in `onServing` or `onFailure` */
  readonly endStates: sfn.INextable[] = [];

  constructor(scope: Construct, id: string, props: EndpointDeploymentProps) {
    super(scope, id);
    const { model, hosting, store, onServing, onFailure } = props;
    const endpoint = model.endpoint;
    const createConfig = new CreateEndpointConfigTask(this, 'CreateEndpointConfig', {
      comment: 'the challenger behind the endpoint, with data capture into the capture store',
      endpointConfigNamePath: '$.data.jobName',
      endpointConfigNamePrefix: `${model.name}-`,
      modelNamePath: '$.data.jobName',
      variantName: endpoint.variant,
      instanceType: hosting.instanceType,
      instanceCount: hosting.instanceCount,
      captureDestinationUri: store.bucket.s3UrlForObject(STORE_PREFIXES.capture.replace(/\/$/, '')),
      captureSamplingPercentage: model.capture.samplingPercentage,
      captureKey: store.encryptionKey,
      resultPath: sfn.JsonPath.DISCARD,
    });
    const update = new tasks.SageMakerUpdateEndpoint(this, 'UpdateEndpoint', {
      comment: 'SageMaker swaps the variant without downtime',
      endpointName: endpoint.name,
      endpointConfigName: sfn.JsonPath.stringAt('$.data.jobName'),
      resultPath: sfn.JsonPath.DISCARD,
    });
    const wait = new sfn.Wait(this, 'WaitForEndpoint', { time: sfn.WaitTime.duration(Duration.minutes(1)) });
    const describe = describeEndpointTask(this, 'DescribeEndpoint', endpoint.name, {
      resultSelector: selectFields<DeploymentStatus>({
        endpointStatus: '$.EndpointStatus',
        endpointConfigName: '$.EndpointConfigName',
      }),
      resultPath: '$.deployment',
    });
    for (const state of [createConfig, update, describe]) {
      state.addCatch(onFailure, { errors: [sfn.Errors.ALL], resultPath: '$.failure' });
    }
    const updateFailed = new sfn.Pass(this, 'EndpointUpdateFailed', {
      comment: 'SageMaker reverted or failed the update; rollback makes sure the old config serves',
      parameters: {
        Error: 'EndpointUpdateFailed',
        Cause: sfn.JsonPath.format(
          'endpoint {} is {} with config {}',
          endpoint.name,
          sfn.JsonPath.stringAt('$.deployment.endpointStatus'),
          sfn.JsonPath.stringAt('$.deployment.endpointConfigName'),
        ),
      },
      resultPath: '$.failure',
    });
    updateFailed.next(onFailure);
    const inService = sfn.Condition.stringEquals('$.deployment.endpointStatus', 'InService');
    createConfig
      .next(update)
      .next(wait)
      .next(describe)
      .next(
        new sfn.Choice(this, 'EndpointReady?')
          .when(
            sfn.Condition.and(
              inService,
              sfn.Condition.stringEqualsJsonPath('$.deployment.endpointConfigName', '$.data.jobName'),
            ),
            onServing,
          )
          // InService with another config: the update failed and SageMaker went back
          .when(
            sfn.Condition.or(inService, sfn.Condition.stringEquals('$.deployment.endpointStatus', 'Failed')),
            updateFailed,
          )
          .otherwise(wait),
      );
    this.startState = createConfig;
  }
}
