import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type {
  ReleaseLockInput,
  ReleaseLockResult,
  RetrainingFailedMessage,
  RollbackInput,
  RollbackResult,
} from '../../../functions/shared/retraining-contract.ts';
import type { HouseFunction } from '../house-function.ts';
import { lambdaStep, MODEL_AND_EXECUTION } from '../private/lambda-step.ts';
import { messageAttributes } from '../private/message-attributes.ts';
import { literal, parametersOf } from '../private/state-payload.ts';

export interface FailurePathProps {
  /** the rollback step: endpoint back to the remembered config, registry back to the champion */
  readonly rollback: HouseFunction;
  readonly releaseLock: HouseFunction;
  /** where the critical alert goes */
  readonly criticalTopic: sns.ITopic;
}

/**
 * Where every failing step of the retraining workflow is caught (`$.failure` holds the error):
 *
 *   Rollback -> ReleaseLockAfterFailure -> AlertFailure (critical) -> Failed
 *
 * Each state's own failure skips ahead, so a failing rollback still frees the lock and alerts, and the
 * execution always ends in Failed with the original error and cause.
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
      comment: 'critical alert: what failed and what rollback did',
      topic: props.criticalTopic,
      message: sfn.TaskInput.fromObject(
        parametersOf<RetrainingFailedMessage>({
          kind: literal('retraining-failed'),
          model: '$.model.name',
          executionId: '$.execution.id',
          failure: '$.failure',
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
        current: '$.current',
        data: '$.data',
        version: '$.version',
        outcome: '$.outcome',
      },
      { rolledBack: true, endpointConfigName: true, detail: true },
      '$.rollback',
    );
    rollback.addCatch(releaseAfterFailure, { resultPath: '$.rollback' });
    rollback.next(releaseAfterFailure);
    this.startState = rollback;
  }
}
