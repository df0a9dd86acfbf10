import { Duration } from 'aws-cdk-lib';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import {
  type DeploymentStatus,
  ENDPOINT_POLL_MINUTES,
  type EndpointRestore,
  type ReleaseLockInput,
  type ReleaseLockResult,
  type RetrainingFailedMessage,
  type RollbackInput,
  type RollbackResult,
} from '../../../functions/shared/retraining-contract.ts';
import type { HouseFunction } from '../house-function.ts';
import { lambdaStep, MODEL_AND_EXECUTION } from '../private/lambda-step.ts';
import { messageAttributes } from '../private/message-attributes.ts';
import { literal, parametersOf, selectFields } from '../private/state-payload.ts';
import { countWait, isBusy } from './endpoint-waits.ts';
import { describeModelEndpoint, type ModelAccessRole, ModelSageMakerTask } from './model-sagemaker-task.ts';

export interface FailurePathProps {
  /** the rollback step: the registry back to the champion, and the whole story in one line */
  readonly rollback: HouseFunction;
  readonly releaseLock: HouseFunction;
  /** where the critical alert goes */
  readonly criticalTopic: sns.ITopic;
  /** the restore loop's SageMaker calls run with the model's access role: its endpoint and `<model>-` configs */
  readonly role: ModelAccessRole;
}

/**
 * Where every failing step of the retraining workflow is caught (`$.failure` holds the error):
 *
 *   [once a promotion was planned (only endpoint models plan one): RestoreEndpoint loop]
 *   -> Rollback -> ReleaseLockAfterFailure -> AlertFailure (critical) -> Failed
 *
 * The restore loop never gives up early: it polls DescribeEndpoint every minute while the endpoint is busy
 * (Updating, RollingBack, SystemUpdating), sends UpdateEndpoint back to the restore point once it is InService
 * on another config, and waits for that too; it ends `unchanged`, `restored`, or `escalated` (Failed, a call
 * that failed, or still busy after `deployment.busyWaitMinutes`), each with a line for the alert. Each later
 * state's own failure skips ahead, so a failing rollback still frees the lock and alerts, and the execution
 * always ends in Failed with the original error and cause.
 */
export class FailurePath extends sfn.StateMachineFragment {
  readonly startState: sfn.State;
  /** the path ends in its Fail state */
  readonly endStates: sfn.INextable[] = [];

  constructor(scope: Construct, id: string, props: FailurePathProps) {
    super(scope, id);
    const failed = new sfn.Fail(this, 'Failed', {
      comment: 'retraining failed; the endpoint and the registry were rolled back',
      errorPath: '$.failure.Error',
      causePath: '$.failure.Cause',
    });
    const alertFailure = new tasks.SnsPublish(this, 'AlertFailure', {
      comment: 'critical alert: what failed and what rollback did to the endpoint and the registry',
      topic: props.criticalTopic,
      message: sfn.TaskInput.fromObject(
        parametersOf<RetrainingFailedMessage>({
          kind: literal('retraining-failed'),
          model: '$.model.name',
          executionId: '$.execution.id',
          failure: '$.failure',
          endpoint: '$.endpointRestore',
          rollback: '$.rollback',
        }),
      ),
      messageAttributes: messageAttributes('critical', 'retraining-failed'),
      resultPath: sfn.JsonPath.DISCARD,
    });
    alertFailure.addCatch(failed, { resultPath: sfn.JsonPath.DISCARD });
    alertFailure.next(failed);

    const releaseAfterFailure = lambdaStep<ReleaseLockInput, ReleaseLockResult>(
      this,
      'ReleaseLockAfterFailure',
      props.releaseLock,
      { ...MODEL_AND_EXECUTION, lock: '$.lock' },
      { released: true },
      '$.release',
    );
    releaseAfterFailure.addCatch(alertFailure, { resultPath: '$.release' });
    releaseAfterFailure.next(alertFailure);

    const rollback = lambdaStep<RollbackInput, RollbackResult>(
      this,
      'Rollback',
      props.rollback,
      {
        ...MODEL_AND_EXECUTION,
        failure: '$.failure',
        endpointRestore: '$.endpointRestore',
        data: '$.data',
        version: '$.version',
        outcome: '$.outcome',
      },
      { rolledBack: true, endpointConfigName: true, detail: true },
      '$.rollback',
    );
    rollback.addCatch(releaseAfterFailure, { resultPath: '$.rollback' });
    rollback.next(releaseAfterFailure);
    this.startState = this.restoreLoop(props.role, rollback);
  }

  private restoreLoop(role: ModelAccessRole, then: sfn.IChainable): sfn.State {
    const restore = (bindings: Parameters<typeof parametersOf<EndpointRestore>>[0]) => parametersOf(bindings);
    const settle = (stateId: string, outcome: EndpointRestore['outcome'], detail: string) => {
      const state = new sfn.Pass(this, stateId, {
        parameters: restore({
          outcome: literal(outcome),
          requested: '$.endpointRestore.requested',
          observed: '$.endpointRestore.observed',
          detail,
        }),
        resultPath: '$.endpointRestore',
      });
      state.next(then);
      return state;
    };
    const format = (text: string, ...paths: string[]) =>
      sfn.JsonPath.format(text, ...paths.map((path) => sfn.JsonPath.stringAt(path)));
    const byHand =
      'return it by hand: aws sagemaker update-endpoint --endpoint-name {} --endpoint-config-name {}';

    const unchanged = settle(
      'EndpointUnchanged',
      'unchanged',
      format(
        'endpoint {} serves {} as before the promotion: nothing to restore',
        '$.current.endpointName',
        '$.endpointRestore.observed.endpointConfigName',
      ),
    );
    const restored = settle(
      'EndpointRestored',
      'restored',
      format(
        'endpoint {} switched back to {} (a copy of {}) after {} minute(s)',
        '$.current.endpointName',
        '$.current.restoreConfigName',
        '$.current.endpointConfigName',
        '$.waits.restore',
      ),
    );
    const gaveUp = settle(
      'RestoreGaveUp',
      'escalated',
      format(
        `endpoint {} is {} with config {} after {} minute(s): NOT restored; ${byHand}`,
        '$.current.endpointName',
        '$.endpointRestore.observed.endpointStatus',
        '$.endpointRestore.observed.endpointConfigName',
        '$.waits.restore',
        '$.current.endpointName',
        '$.current.endpointConfigName',
      ),
    );
    const callFailed = settle(
      'RestoreCallFailed',
      'escalated',
      format(
        `endpoint {} could not be restored ({}: {}); ${byHand}`,
        '$.current.endpointName',
        '$.restoreError.Error',
        '$.restoreError.Cause',
        '$.current.endpointName',
        '$.current.endpointConfigName',
      ),
    );
    const caught = <T extends sfn.TaskStateBase>(state: T): T =>
      state.addCatch(callFailed, { errors: [sfn.Errors.ALL], resultPath: '$.restoreError' }) as T;

    const start = new sfn.Pass(this, 'StartRestore', {
      comment: 'a promotion was planned: make sure the endpoint serves what it served before',
      parameters: restore({
        outcome: literal('pending'),
        requested: literal(false),
        observed: literal(null),
        detail: literal(null),
      }),
      resultPath: '$.endpointRestore',
    });
    const describe = caught(
      describeModelEndpoint(this, 'DescribeForRestore', {
        role,
        endpointNamePath: '$.current.endpointName',
        resultSelector: selectFields<DeploymentStatus>({
          endpointStatus: '$.EndpointStatus',
          endpointConfigName: '$.EndpointConfigName',
        }),
        resultPath: '$.endpointRestore.observed',
      }),
    );
    const update = caught(
      new ModelSageMakerTask(this, 'RestoreEndpoint', {
        comment: 'back to the restore point, all at once, keeping the variants as they are now',
        action: 'updateEndpoint',
        integration: 'sdk',
        role,
        request: {
          EndpointName: sfn.JsonPath.stringAt('$.current.endpointName'),
          EndpointConfigName: sfn.JsonPath.stringAt('$.current.restoreConfigName'),
          RetainAllVariantProperties: true,
        },
        resultPath: sfn.JsonPath.DISCARD,
      }),
    );
    const requested = new sfn.Pass(this, 'RestoreRequested', {
      parameters: restore({
        outcome: literal('pending'),
        requested: literal(true),
        observed: '$.endpointRestore.observed',
        detail: literal(null),
      }),
      resultPath: '$.endpointRestore',
    });
    const wait = new sfn.Wait(this, 'WaitForRestore', {
      time: sfn.WaitTime.duration(Duration.minutes(ENDPOINT_POLL_MINUTES)),
    });
    wait.next(countWait(this, 'CountRestoreWait', 'restore')).next(describe);
    update.next(requested).next(wait);

    const status = '$.endpointRestore.observed.endpointStatus';
    const config = '$.endpointRestore.observed.endpointConfigName';
    const inService = sfn.Condition.stringEquals(status, 'InService');
    describe.next(
      new sfn.Choice(this, 'RestoreDone?')
        .when(
          sfn.Condition.and(
            inService,
            sfn.Condition.or(
              sfn.Condition.stringEqualsJsonPath(config, '$.current.endpointConfigName'),
              sfn.Condition.stringEqualsJsonPath(config, '$.current.restoreConfigName'),
            ),
          ),
          new sfn.Choice(this, 'RestoreWasNeeded?')
            .when(sfn.Condition.booleanEquals('$.endpointRestore.requested', true), restored)
            .otherwise(unchanged),
        )
        .when(
          sfn.Condition.and(inService, sfn.Condition.booleanEquals('$.endpointRestore.requested', false)),
          update,
        )
        .when(
          sfn.Condition.and(
            isBusy(status),
            sfn.Condition.numberLessThanJsonPath(
              '$.waits.restore',
              '$.model.retraining.deployment.busyWaitMinutes',
            ),
          ),
          wait,
        )
        .otherwise(gaveUp),
    );
    start.next(describe);

    // only a planned promotion can have changed the endpoint; before that there is nothing to restore
    return new sfn.Choice(this, 'PromotionPlanned?')
      .when(sfn.Condition.isNull('$.current'), then)
      .when(sfn.Condition.isNotPresent('$.current.restoreConfigName'), then)
      .when(sfn.Condition.isNull('$.current.restoreConfigName'), then)
      .otherwise(start);
  }
}
