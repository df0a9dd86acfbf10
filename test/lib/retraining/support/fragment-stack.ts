import '../../../../local/step-functions/promise-with-resolvers.ts';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { StateMachine } from 'aws-local-stepfunctions';
import { parseModelConfig } from '../../../../functions/shared/config/parse-config.ts';
import { CaptureStore } from '../../../../lib/constructs/capture-store.ts';
import { HouseFunction } from '../../../../lib/constructs/house-function.ts';
import { ModelAccessRole } from '../../../../lib/constructs/retraining/model-sagemaker-task.ts';
import {
  type AslDefinition,
  allStates,
  type CfnTemplate,
  resolveIntrinsics,
  resolveStateMachine,
} from '../../../../local/step-functions/resolve-state-machine.ts';
import { unwrapTaskInput, withStateInputFields } from '../../../../local/step-functions/task-input-fields.ts';
import { testApp } from '../../support/synth-stack.ts';

/**
 * One construct at a time: a bare Stack with only what a retraining fragment needs (a store, a topic, step
 * functions), the fragment in a state machine of its own, and a runner that executes that machine in
 * aws-local-stepfunctions with every Task bound to a stub.
 */

export const bareStack = (): Stack =>
  new Stack(testApp(), 'Bare', { env: { account: '123456789012', region: 'us-east-1' } });

export const testModel = (overrides: Record<string, unknown> = {}) =>
  parseModelConfig({
    name: 'churn',
    problemType: 'binary',
    endpoint: { name: 'churn-ep' },
    features: [{ name: 'x', type: 'numerical' }],
    outputs: [{ name: 'score', role: 'score' }],
    baseline: { datasetUri: 's3://team-data/churn/train.csv' },
    retraining: {
      trainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/trainer:1',
      inferenceImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/server:2',
      inputChannels: [{ name: 'train', s3Uri: 's3://team-data/churn/' }],
    },
    ...overrides,
  });

export const captureStore = (stack: Stack): CaptureStore =>
  new CaptureStore(stack, 'Store', {
    encryptionKey: new kms.Key(stack, 'Key'),
    retention: {
      captureInfrequentAccessDays: 30,
      captureExpirationDays: 365,
      reportExpirationDays: 730,
      quarantineExpirationDays: 90,
      noncurrentVersionExpirationDays: 30,
      accessLogExpirationDays: 365,
      metricsTtlDays: 400,
      logRetentionDays: 90,
    },
    removalPolicy: RemovalPolicy.DESTROY,
  });

/** the stack's model-role path pattern, as the one workflow builds it: what the tests' machines may assume */
export const MODEL_ROLE_PATTERN = 'arn:aws:iam::123456789012:role/model-care/Bare/*';
export const ACCESS_ROLE = 'arn:aws:iam::123456789012:role/model-care/Bare/mc-abcdef-churn-access';
export const modelRole = (): ModelAccessRole => new ModelAccessRole(MODEL_ROLE_PATTERN);

export const topic = (stack: Stack, id: string): sns.Topic => new sns.Topic(stack, id);

export const stepFunction = (stack: Stack, id: string, entry: string): HouseFunction =>
  new HouseFunction(stack, id, { entry, description: id });

/** a named end the test can see the execution reach (a Pass that records where it went) */
export const marker = (stack: Stack, name: string): sfn.Pass =>
  new sfn.Pass(stack, name, { result: sfn.Result.fromString(name), resultPath: '$.reached' });

export interface Synthesized {
  readonly machine: sfn.StateMachine;
  readonly template: CfnTemplate;
  readonly definition: AslDefinition;
}

/** the fragment as the only content of a state machine, synthesized and resolved to plain ASL */
export const synthesizeMachine = (stack: Stack, start: sfn.IChainable): Synthesized => {
  const machine = new sfn.StateMachine(stack, 'Machine', {
    definitionBody: sfn.DefinitionBody.fromChainable(start),
  });
  const template = Template.fromStack(stack).toJSON() as CfnTemplate;
  return { machine, template, definition: resolveStateMachine(template, 'Machine').definition };
};

// biome-ignore lint/suspicious/noExplicitAny: stubs read the state machine's JSON payloads loosely
type Json = any;
export type Stub = (payload: Json) => unknown;

export interface Run {
  readonly output: Json;
  readonly error: Error | undefined;
  /**
   * Task states in the order they ran, with what each received (the Lambda payload, or the SDK parameters) and
   * the role it ran with (`Credentials`, evaluated on the state's input; null: the machine's own role)
   */
  readonly calls: ReadonlyArray<{
    readonly state: string;
    readonly input: Json;
    readonly roleArn: string | null;
  }>;
}

/** runs the definition with every Task answered by its stub (an unstubbed Task fails the run) */
export const runMachine = async (
  definition: AslDefinition,
  input: Json,
  stubs: Record<string, Stub>,
): Promise<Run> => {
  const calls: { state: string; input: Json; roleArn: string | null }[] = [];
  // Credentials and TimeoutSecondsPath as AWS evaluates them (local/step-functions/task-input-fields.ts)
  const runnable = withStateInputFields(definition);
  const handlers = Object.fromEntries(
    Object.entries(allStates(runnable))
      .filter(([, state]) => state.Type === 'Task')
      .map(([name, state]) => {
        const lambda = state.Resource === 'arn:aws:states:::lambda:invoke';
        return [
          name,
          async (raw: Json) => {
            const { request: parameters, roleArn } = unwrapTaskInput(raw) as { request: Json; roleArn: null };
            const payload = lambda ? parameters.Payload : parameters;
            calls.push({ state: name, input: payload, roleArn });
            const stub = stubs[name];
            if (!stub) throw new Error(`no stub for ${name}`);
            const result = await stub(payload);
            return lambda ? { StatusCode: 200, Payload: result } : result;
          },
        ];
      }),
  );
  // every Wait state passes at once: the loops' bounds are counted polls, not time
  const waits = Object.fromEntries(
    Object.entries(allStates(definition))
      .filter(([, state]) => state.Type === 'Wait')
      .map(([name]) => [name, 0]),
  );
  const machine = new StateMachine(runnable as Json, { validationOptions: { checkArn: false } });
  const execution = machine.run(input, {
    overrides: { taskResourceLocalHandlers: handlers as Json, waitTimeOverrides: waits },
    context: {
      Execution: { Id: 'exec-arn', Name: 'exec-1', StartTime: '2026-11-23T08:00:00Z', Input: input },
      Task: { Token: 'token-1' },
    },
  });
  try {
    return { output: await execution.result, error: undefined, calls };
  } catch (error) {
    return { output: undefined, error: error as Error, calls };
  }
};

/** what a construct's `Ref` or `Fn::GetAtt` resolves to in the runner's ASL and in policy statements */
export const resolvedRef = (template: CfnTemplate, logicalId: string, attribute?: string): string =>
  String(
    resolveIntrinsics(attribute ? { 'Fn::GetAtt': [logicalId, attribute] } : { Ref: logicalId }, template),
  );

/** an error as a Task stub throws it, with the name Step Functions matches on */
export const taskError = (name: string, message = name): Error => Object.assign(new Error(message), { name });
