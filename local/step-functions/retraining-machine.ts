import type { RetrainableModel } from '../../functions/retraining/shared/step-input.ts';
import type { ModelCareConfig } from '../../functions/shared/config/model-care-schema.ts';
import { RETRAINING_STEPS, type RetrainingStep } from '../../functions/shared/retraining-contract.ts';
import {
  type AslDefinition,
  type CfnTemplate,
  type ResolveOptions,
  resolveIntrinsics,
} from './resolve-state-machine.ts';

/**
 * The part of the synthesized app the runner needs: the template and the logical ids of the bucket, the
 * Lambda functions and the state machines. local/runtime/local-stack.ts `synthesizeLocalStack` returns
 * exactly this shape.
 */
export interface SynthesizedApp {
  readonly config: ModelCareConfig;
  readonly template: CfnTemplate;
  readonly ids: {
    readonly bucket: string;
    /** job name -> Lambda logical id; `baseline` is the job the NewBaseline state invokes */
    readonly functions: Readonly<Record<string, string>>;
    /** retraining step -> Lambda logical id */
    readonly retrainingSteps: Readonly<Record<string, string>>;
    /** the one retraining state machine's logical id */
    readonly retrainingStateMachine: string;
  };
}

/** what a Lambda Task of the workflow runs */
export type LambdaTarget = RetrainingStep | 'baseline-job';

export interface RetrainingMachine {
  /** the model executions are started for by default (the machine itself serves every model) */
  readonly model: RetrainableModel;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  /** plain ASL, every intrinsic resolved, the capture store named as locally */
  readonly definition: AslDefinition;
  /** function ARN (as the definition's Lambda tasks name it) -> what it runs */
  readonly lambdaTargets: ReadonlyMap<string, LambdaTarget>;
}

export interface RetrainingMachineOptions {
  /** the local name of the capture store bucket (training output and capture destinations point at it) */
  readonly captureBucket: string;
  readonly region?: string;
  readonly accountId?: string;
}

/**
 * The stack's one retraining state machine from the synthesized template, for runs of `modelName` by default:
 * the definition's `Fn::Join` resolved to plain ASL with the bucket under its local name, and the function ARNs
 * its Lambda tasks invoke mapped to the steps they run. Fails when the model has no retraining or a step has no
 * function.
 */
export const retrainingMachine = (
  app: SynthesizedApp,
  modelName: string,
  options: RetrainingMachineOptions,
): RetrainingMachine => {
  const model = app.config.models.find((m) => m.name === modelName);
  if (!model) throw new Error(`the config has no model "${modelName}"`);
  if (!model.retraining) throw new Error(`model "${modelName}" has no retraining section`);
  const logicalId = app.ids.retrainingStateMachine;
  const resource = app.template.Resources[logicalId];
  if (!resource) throw new Error(`the template has no resource "${logicalId}"`);

  const resolve: ResolveOptions = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.accountId ? { accountId: options.accountId } : {}),
    ref: (id) => (id === app.ids.bucket ? options.captureBucket : undefined),
    getAtt: (id, attribute) =>
      id === app.ids.bucket && attribute === 'Arn' ? `arn:aws:s3:::${options.captureBucket}` : undefined,
  };
  const text = resolveIntrinsics(resource.Properties?.DefinitionString, app.template, resolve);
  if (typeof text !== 'string') throw new Error(`${logicalId}: DefinitionString did not resolve to a string`);
  const functionArn = (id: string): string =>
    String(resolveIntrinsics({ 'Fn::GetAtt': [id, 'Arn'] }, app.template, resolve));

  const lambdaTargets = new Map<string, LambdaTarget>();
  for (const step of RETRAINING_STEPS) {
    const id = app.ids.retrainingSteps[step];
    if (!id) throw new Error(`the template has no function for retraining step "${step}"`);
    lambdaTargets.set(functionArn(id), step);
  }
  const baseline = app.ids.functions.baseline;
  if (!baseline) throw new Error('the template has no baseline job function');
  lambdaTargets.set(functionArn(baseline), 'baseline-job');

  const stateMachineArn = String(resolveIntrinsics({ Ref: logicalId }, app.template, resolve));
  return {
    model: model as RetrainableModel,
    stateMachineArn,
    stateMachineName: stateMachineArn.split(':').pop() ?? logicalId,
    definition: JSON.parse(text) as AslDefinition,
    lambdaTargets,
  };
};
