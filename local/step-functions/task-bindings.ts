import type { RetrainingStep } from '../../functions/shared/retraining-contract.ts';
import type { LocalSageMaker } from '../sagemaker/local-sagemaker.ts';
import type { LocalSnsSink, PublishParameters } from './local-sns.ts';
import type { AslState } from './resolve-state-machine.ts';
import type { LambdaTarget, RetrainingMachine } from './retraining-machine.ts';
import type { LambdaHandler } from './retraining-steps.ts';

/**
 * What each Task state of the synthesized retraining machine runs locally, chosen by its Resource ARN: Lambda
 * tasks call the real step handlers, SNS tasks the local sink, SageMaker tasks the local SageMaker (`.sync`
 * polls its Describe* until the job ends and returns that shape, as Step Functions does). An ARN with no local
 * stand-in fails at binding time, naming the state.
 */

// biome-ignore lint/suspicious/noExplicitAny: aws-local-stepfunctions types JSON loosely; values are parsed where used
export type Json = any;

/** a value as it crosses a JSON boundary (a Lambda payload, a state's output) */
export const json = (value: unknown): Json =>
  value === undefined ? null : JSON.parse(JSON.stringify(value));
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** an error with the name a Catch or Retry matches on */
export const named = (name: string, message: string): Error => Object.assign(new Error(message), { name });

/** the execution a task runs in */
export interface RunContext {
  readonly id: string;
  readonly name: string;
  readonly token: string;
  readonly state: string;
}

export type Binding = (input: Json, run: RunContext) => Promise<Json>;

export interface TaskBindingDeps {
  readonly machine: RetrainingMachine;
  readonly steps: Record<RetrainingStep, LambdaHandler>;
  readonly baselineJob: LambdaHandler;
  readonly sageMaker: LocalSageMaker;
  readonly sns: LocalSnsSink;
  /** ms between polls of a `.sync` job */
  readonly pollMs: number;
  /** `sns:publish.waitForTaskToken`: the runner keeps the token until someone answers */
  readonly waitForToken: Binding;
}

const RESOURCE = /^arn:[^:]+:states:::(aws-sdk:)?([a-z0-9-]+):([A-Za-z0-9]+)(\.sync|\.waitForTaskToken)?$/;

/** the local stand-in of one Task state */
export const bindTask = (stateName: string, state: AslState, deps: TaskBindingDeps): Binding => {
  const resource = String(state.Resource);
  const match = RESOURCE.exec(resource);
  if (!match) throw new Error(`state ${stateName}: no local binding for resource ${resource}`);
  const [, sdk, service = '', action = '', pattern] = match;
  if (service === 'lambda' && action === 'invoke' && !sdk && !pattern)
    return lambdaBinding(stateName, state, deps);
  if (service === 'sns' && action === 'publish' && !sdk) {
    return pattern === '.waitForTaskToken'
      ? deps.waitForToken
      : async (input) => deps.sns.publish(input as PublishParameters);
  }
  if (service === 'sagemaker') return sageMakerBinding(stateName, action, pattern, Boolean(sdk), deps);
  throw new Error(`state ${stateName}: no local binding for resource ${resource}`);
};

const lambdaBinding = (stateName: string, state: AslState, deps: TaskBindingDeps): Binding => {
  const functionName = String(
    (state.Parameters as { FunctionName?: unknown } | undefined)?.FunctionName ?? '',
  );
  const target: LambdaTarget | undefined = deps.machine.lambdaTargets.get(
    functionName.replace(/:(\$LATEST|\d+)$/, ''),
  );
  if (!target) throw new Error(`state ${stateName}: invokes ${functionName}, which no local handler runs`);
  const handler = target === 'baseline-job' ? deps.baselineJob : deps.steps[target];
  return async (input) => {
    let result: unknown;
    try {
      // a Lambda sees the payload as JSON, and answers JSON
      result = await handler(json((input as { Payload?: unknown }).Payload));
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      // as Step Functions reports a Lambda error: its type as Error, Lambda's error object as Cause
      throw named(
        failure.name,
        JSON.stringify({ errorType: failure.name, errorMessage: failure.message, trace: [] }),
      );
    }
    return { ExecutedVersion: '$LATEST', Payload: json(result), StatusCode: 200 };
  };
};

const sageMakerBinding = (
  stateName: string,
  action: string,
  pattern: string | undefined,
  sdk: boolean,
  deps: TaskBindingDeps,
): Binding => {
  const sm = deps.sageMaker;
  const direct: Record<string, (input: Json) => unknown> = {
    createModel: (input) => sm.createModel(input),
    createEndpointConfig: (input) => sm.createEndpointConfig(input),
    createEndpoint: (input) => sm.createEndpoint(input),
    updateEndpoint: (input) => sm.updateEndpoint(input),
    describeEndpoint: (input) => sm.describeEndpoint(input.EndpointName),
    describeEndpointConfig: (input) => sm.describeEndpointConfig(input.EndpointConfigName),
    describeModel: (input) => sm.describeModel(input.ModelName),
    describeTrainingJob: (input) => sm.describeTrainingJob(input.TrainingJobName),
    describeTransformJob: (input) => sm.describeTransformJob(input.TransformJobName),
  };
  const call = async (fn: () => unknown): Promise<Json> => {
    try {
      return json(await fn());
    } catch (error) {
      const failure = error as Error;
      throw named(`SageMaker.${failure.name}`, failure.message);
    }
  };
  if (action === 'createTrainingJob' && pattern === '.sync' && !sdk) {
    return async (input) => {
      await call(() => sm.createTrainingJob(input));
      return poll(
        () => sm.describeTrainingJob(input.TrainingJobName),
        (d) => d.TrainingJobStatus,
        deps.pollMs,
      );
    };
  }
  if (action === 'createTransformJob' && pattern === '.sync' && !sdk) {
    return async (input) => {
      await call(() => sm.createTransformJob(input));
      return poll(
        () => sm.describeTransformJob(input.TransformJobName),
        (d) => d.TransformJobStatus,
        deps.pollMs,
      );
    };
  }
  const fn = direct[action];
  if (!fn || pattern !== undefined) {
    throw new Error(`state ${stateName}: no local binding for sagemaker:${action}${pattern ?? ''}`);
  }
  return async (input) => call(() => fn(input));
};

/** `.sync`: wait for the job to end; Completed returns its description, anything else fails the task */
const poll = async <D>(describe: () => D, status: (d: D) => string, pollMs: number): Promise<Json> => {
  for (;;) {
    const description = describe();
    const current = status(description);
    if (current === 'Completed') return json(description);
    if (current !== 'InProgress' && current !== 'Stopping') {
      throw named('States.TaskFailed', JSON.stringify(description));
    }
    await sleep(pollMs);
  }
};
