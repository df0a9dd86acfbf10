import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import {
  type DeploymentStatus,
  ENDPOINT_POLL_MINUTES,
  type PlanPromotionInput,
  type PromotionPlan,
} from '../../../functions/shared/retraining-contract.ts';
import type { HouseFunction } from '../house-function.ts';
import { lambdaStep, MODEL_AND_EXECUTION } from '../private/lambda-step.ts';
import { selectFields } from '../private/state-payload.ts';
import { countWait, isBusy } from './endpoint-waits.ts';
import { describeModelEndpoint, type ModelAccessRole, ModelSageMakerTask } from './model-sagemaker-task.ts';

export interface EndpointDeploymentProps {
  /** every SageMaker call runs with the model's access role: its endpoint and `<model>-` configs only */
  readonly role: ModelAccessRole;
  /** the plan-promotion step */
  readonly planPromotion: HouseFunction;
  /** where the execution goes once the challenger's config serves */
  readonly onServing: sfn.IChainable;
  /** where it goes when the update fails, SageMaker rolls it back, or the endpoint never becomes ready */
  readonly onFailure: sfn.IChainable;
}

/**
 * Puts the challenger (`$.data.jobName`) behind the model's endpoint without touching anything else, with
 * SageMaker's deployment guardrails:
 *
 *   PlanPromotion -> RememberServingConfig -> EndpointReadyForPromotion?
 *     busy (Updating, RollingBack, ...): WaitBeforePromotion -> PlanPromotion again, up to busyWaitMinutes
 *     InService: CreateRestorePoint -> CreateChallengerConfig -> DeployChallenger (blue/green, auto rollback)
 *                -> WaitForDeployment -> DescribeDeployment -> DeploymentDone?
 *                   the challenger's config InService: onServing
 *                   InService on another config, or Failed: DeploymentFailed -> onFailure (SageMaker rolled back)
 *                   still updating: wait again, up to the plan's pollBudget, then DeploymentTimedOut -> onFailure
 *
 * Every request comes from the state (the plan), and every call runs with the model's access role, so nothing
 * here depends on the model: one definition serves them all.
 */
export class EndpointDeployment extends sfn.StateMachineFragment {
  readonly startState: sfn.State;
  /** the deployment ends in `onServing` or `onFailure` */
  readonly endStates: sfn.INextable[] = [];

  constructor(scope: Construct, id: string, props: EndpointDeploymentProps) {
    super(scope, id);
    const { role, onServing, onFailure } = props;
    const caught = <T extends sfn.TaskStateBase>(state: T): T =>
      state.addCatch(onFailure, { errors: [sfn.Errors.ALL], resultPath: '$.failure' }) as T;

    const plan = caught(
      lambdaStep<PlanPromotionInput, PromotionPlan>(
        this,
        'PlanPromotion',
        props.planPromotion,
        { ...MODEL_AND_EXECUTION, data: '$.data', current: '$.current' },
        {
          current: true,
          challengerConfig: true,
          restoreConfig: true,
          update: true,
          pollBudget: true,
          summary: true,
        },
        '$.promotion',
      ),
    );
    const remember = new sfn.Pass(this, 'RememberServingConfig', {
      comment: 'what serves now, and its restore point, is what the failure path returns to',
      inputPath: '$.promotion.current',
      resultPath: '$.current',
    });
    const createConfig = (stateId: string, requestPath: string, comment: string) =>
      caught(
        new ModelSageMakerTask(this, stateId, {
          comment,
          action: 'createEndpointConfig',
          integration: 'sdk',
          role,
          // the plan's request as it is (every field of a copied config, present or not); copied tags are set at
          // creation, which SageMaker authorizes as AddTags: the access role allows both on `<model>-*` configs
          inputPath: requestPath,
          resultPath: sfn.JsonPath.DISCARD,
        }),
      );
    const restorePoint = createConfig(
      'CreateRestorePoint',
      '$.promotion.restoreConfig',
      'the live config copied under <jobName>-prev: what the failure path returns to',
    );
    const challengerConfig = createConfig(
      'CreateChallengerConfig',
      '$.promotion.challengerConfig',
      'the live config with only the monitored variant serving the challenger',
    );
    const deploy = caught(
      new ModelSageMakerTask(this, 'DeployChallenger', {
        comment:
          'blue/green with traffic shifting; SageMaker rolls back by itself when a rollback alarm fires',
        action: 'updateEndpoint',
        integration: 'sdk',
        role,
        inputPath: '$.promotion.update',
        resultPath: sfn.JsonPath.DISCARD,
      }),
    );

    const poll = Duration.minutes(ENDPOINT_POLL_MINUTES);
    const waitBeforePromotion = new sfn.Wait(this, 'WaitBeforePromotion', {
      comment: 'the endpoint is busy (an update, autoscaling, maintenance): plan again once it is not',
      time: sfn.WaitTime.duration(poll),
    });
    waitBeforePromotion.next(countWait(this, 'CountPromotionWait', 'promotion')).next(plan);
    const notReady = new sfn.Pass(this, 'PromotionBlocked', {
      comment: 'the endpoint did not become InService in time, or failed: nothing was changed',
      parameters: {
        Error: 'EndpointNotReady',
        Cause: sfn.JsonPath.format(
          'endpoint {} is {} after {} minute(s) of waiting; the challenger was not deployed',
          sfn.JsonPath.stringAt('$.current.endpointName'),
          sfn.JsonPath.stringAt('$.current.endpointStatus'),
          sfn.JsonPath.stringAt('$.waits.promotion'),
        ),
      },
      resultPath: '$.failure',
    });
    notReady.next(onFailure);

    const waitForDeployment = new sfn.Wait(this, 'WaitForDeployment', { time: sfn.WaitTime.duration(poll) });
    const describe = caught(
      describeModelEndpoint(this, 'DescribeDeployment', {
        role,
        endpointNamePath: '$.promotion.update.EndpointName',
        resultSelector: selectFields<DeploymentStatus>({
          endpointStatus: '$.EndpointStatus',
          endpointConfigName: '$.EndpointConfigName',
        }),
        resultPath: '$.deployment',
      }),
    );
    const failed = (stateId: string, error: string, cause: string) => {
      const state = new sfn.Pass(this, stateId, {
        parameters: {
          Error: error,
          Cause: sfn.JsonPath.format(
            cause,
            sfn.JsonPath.stringAt('$.promotion.update.EndpointName'),
            sfn.JsonPath.stringAt('$.deployment.endpointStatus'),
            sfn.JsonPath.stringAt('$.deployment.endpointConfigName'),
            sfn.JsonPath.stringAt('$.promotion.update.EndpointConfigName'),
          ),
        },
        resultPath: '$.failure',
      });
      state.next(onFailure);
      return state;
    };
    const deploymentFailed = failed(
      'DeploymentFailed',
      'EndpointUpdateFailed',
      'endpoint {} is {} with config {} instead of {}: the deployment failed or SageMaker rolled it back',
    );
    const deploymentTimedOut = failed(
      'DeploymentTimedOut',
      'EndpointUpdateTimedOut',
      'endpoint {} is still {} with config {} instead of {}: the deployment outlasted its poll budget',
    );
    const inService = sfn.Condition.stringEquals('$.deployment.endpointStatus', 'InService');
    const deploymentDone = new sfn.Choice(this, 'DeploymentDone?')
      .when(
        sfn.Condition.and(
          inService,
          sfn.Condition.stringEqualsJsonPath(
            '$.deployment.endpointConfigName',
            '$.promotion.update.EndpointConfigName',
          ),
        ),
        onServing,
      )
      .when(
        sfn.Condition.or(inService, sfn.Condition.stringEquals('$.deployment.endpointStatus', 'Failed')),
        deploymentFailed,
      )
      .when(
        sfn.Condition.numberLessThanJsonPath('$.waits.deployment', '$.promotion.pollBudget'),
        countWait(this, 'CountDeploymentWait', 'deployment').next(waitForDeployment),
      )
      .otherwise(deploymentTimedOut);

    plan.next(remember).next(
      new sfn.Choice(this, 'EndpointReadyForPromotion?')
        .when(sfn.Condition.stringEquals('$.current.endpointStatus', 'InService'), restorePoint)
        .when(
          sfn.Condition.and(
            isBusy('$.current.endpointStatus'),
            sfn.Condition.numberLessThanJsonPath(
              '$.waits.promotion',
              '$.model.retraining.deployment.busyWaitMinutes',
            ),
          ),
          waitBeforePromotion,
        )
        .otherwise(notReady),
    );
    restorePoint
      .next(challengerConfig)
      .next(deploy)
      .next(waitForDeployment)
      .next(describe)
      .next(deploymentDone);
    this.startState = plan;
  }
}
