import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { HouseFunction } from '../house-function.ts';
import { type Bindings, payloadFields, payloadOf } from './state-payload.ts';

/** the common fields of every retraining Lambda step's payload */
export const MODEL_AND_EXECUTION = { model: '$.model', execution: '$.execution' } as const;

/**
 * A Lambda step of a state machine: its payload built from the input contract's bindings, its result cut down to
 * exactly the output contract's fields (functions/shared/retraining-contract.ts) and stored at `resultPath`.
 */
export const lambdaStep = <I, O>(
  scope: Construct,
  id: string,
  fn: HouseFunction,
  input: Bindings<I>,
  output: { readonly [K in keyof O]-?: true },
  resultPath: string,
): tasks.LambdaInvoke =>
  new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn.function,
    payload: payloadOf<I>(input),
    resultSelector: payloadFields<O>(output),
    resultPath,
  });
