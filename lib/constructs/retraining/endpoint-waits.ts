import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ENDPOINT_BUSY_STATUSES, type WaitCounts } from '../../../functions/shared/retraining-contract.ts';

const LOOPS: readonly (keyof WaitCounts)[] = ['promotion', 'deployment', 'restore'];

/**
 * A Pass that counts one more poll of a wait loop in `$.waits` (States.MathAdd), keeping the other loops'
 * counts: each loop compares its count with a budget read from the state, so a wait is bounded without a
 * Lambda and one definition serves every model.
 */
export const countWait = (scope: Construct, id: string, loop: keyof WaitCounts): sfn.Pass =>
  new sfn.Pass(scope, id, {
    parameters: Object.fromEntries(
      LOOPS.map((name) =>
        name === loop
          ? [`${name}.$`, `States.MathAdd($.waits.${name}, 1)`]
          : [`${name}.$`, `$.waits.${name}`],
      ),
    ),
    resultPath: '$.waits',
  });

/** the endpoint status at `path` is one that passes by itself (ENDPOINT_BUSY_STATUSES) */
export const isBusy = (path: string): sfn.Condition =>
  sfn.Condition.or(...ENDPOINT_BUSY_STATUSES.map((status) => sfn.Condition.stringEquals(path, status)));
