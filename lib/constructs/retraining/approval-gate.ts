import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type {
  ApprovalRecord,
  ApprovalRequestMessage,
} from '../../../functions/shared/retraining-contract.ts';
import { messageAttributes } from '../private/message-attributes.ts';
import { literal, parametersOf, selectFields } from '../private/state-payload.ts';

export interface ApprovalGateProps {
  /** where the approval request goes (the warning topic) */
  readonly topic: sns.ITopic;
  /** JSONPath of the seconds after which no answer rejects the challenger (the model's approvalTimeoutHours) */
  readonly timeoutSecondsPath: string;
  readonly onApproved: sfn.IChainable;
  readonly onRejected: sfn.IChainable;
  /** any other failure of the request (the failure path) */
  readonly onFailure: sfn.IChainable;
}

/**
 * A person decides (`approval: manual`): the request goes out over SNS with a task token and the execution waits
 * for send-task-success with `{"approved": true|false}`. Approved goes on to `onApproved`; a refusal or no answer
 * in time goes to `onRejected`, which changes nothing.
 *
 *   RequestApproval (.waitForTaskToken) -> Approved? -> onApproved | onRejected
 *                   -- timeout --> ApprovalTimedOut -> onRejected
 */
export class ApprovalGate extends sfn.StateMachineFragment {
  readonly startState: sfn.State;
  /** the gate ends in `onApproved` or `onRejected` */
  readonly endStates: sfn.INextable[] = [];

  constructor(scope: Construct, id: string, props: ApprovalGateProps) {
    super(scope, id);
    const requestApproval = new tasks.SnsPublish(this, 'RequestApproval', {
      comment: 'asks a person; waits for send-task-success with {"approved": true|false}',
      topic: props.topic,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      message: sfn.TaskInput.fromObject(
        parametersOf<ApprovalRequestMessage>({
          kind: literal('approval-request'),
          model: '$.model.name',
          executionId: '$.execution.id',
          taskToken: '$$.Task.Token',
          jobName: '$.data.jobName',
          version: '$.version',
          evaluation: '$.evaluation',
          howToAnswer: literal(
            'aws stepfunctions send-task-success --task-token <taskToken> --task-output \'{"approved":true}\' ' +
              '(or {"approved":false}); add "approver" and "comment" for the registry',
          ),
        }),
      ),
      messageAttributes: messageAttributes('warning', 'approval-request'),
      taskTimeout: sfn.Timeout.at(props.timeoutSecondsPath),
      resultSelector: selectFields<ApprovalRecord>({
        requested: literal(true),
        approved: '$.approved',
        response: '$',
      }),
      resultPath: '$.approval',
    });
    const approvalTimedOut = new sfn.Pass(this, 'ApprovalTimedOut', {
      comment: 'nobody answered in time: the challenger is rejected, nothing was changed',
      result: sfn.Result.fromObject({
        requested: true,
        approved: false,
        response: null,
      } satisfies ApprovalRecord),
      resultPath: '$.approval',
    });
    // the timeout catch comes before the catch-all: no answer is a rejection, not a failure
    requestApproval.addCatch(approvalTimedOut, {
      errors: [sfn.Errors.TIMEOUT],
      resultPath: sfn.JsonPath.DISCARD,
    });
    requestApproval.addCatch(props.onFailure, { errors: [sfn.Errors.ALL], resultPath: '$.failure' });
    approvalTimedOut.next(props.onRejected);
    requestApproval.next(
      new sfn.Choice(this, 'Approved?')
        .when(sfn.Condition.booleanEquals('$.approval.approved', true), props.onApproved)
        .otherwise(props.onRejected),
    );
    this.startState = requestApproval;
  }
}
