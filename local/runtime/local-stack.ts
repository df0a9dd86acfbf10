import { readFileSync } from 'node:fs';
import { App, type CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { ModelCareConfig } from '../../functions/shared/config/model-care-schema.ts';
import type { TableName } from '../../functions/shared/tables.ts';
import { loadConfig } from '../../lib/config.ts';
import { ModelCareStack } from '../../lib/model-care-stack.ts';

export interface CfnTemplateJson {
  readonly Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

/**
 * The CDK app synthesized in-process, exactly as `cdk synth` builds it (cdk.json's feature flags), with the
 * logical ids of what the local runtime stands in for. Names come from the template, so the local twin and the
 * cloud cannot drift apart: a renamed construct or a new rule shows up here too.
 */
export interface LocalStack {
  readonly config: ModelCareConfig;
  readonly template: CfnTemplateJson;
  readonly ids: {
    readonly bucket: string;
    readonly tables: Record<TableName, string>;
    readonly topics: Record<'info' | 'warning' | 'critical', string>;
    /** job name (baseline, data, quality, groundTruth, alertRouter, capture, dispatcher) -> Lambda logical id */
    readonly functions: Record<string, string>;
    /** retraining step -> Lambda logical id */
    readonly retrainingSteps: Record<string, string>;
    /** the one retraining state machine's logical id (every model's) */
    readonly retrainingStateMachine: string;
    /** the admin API's Lambda */
    readonly adminApi: string;
    /** the models seed: its custom resource and its Lambda */
    readonly modelsSeed: { readonly resource: string; readonly function: string };
  };
  /** the models file the seed's asset was made from (the twin uploads it where the template says) */
  readonly modelsFile: string;
}

const cdkJsonContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync('cdk.json', 'utf8')) as { context: Record<string, unknown> }).context;

const logicalId = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnResource);

export const synthesizeLocalStack = (configFile: string): LocalStack => {
  // no esbuild bundling: the local runtime runs the handlers' TypeScript directly; and no template
  // validation pass (seconds of start-up): `cdk synth` and the infra tests validate the same template
  const app = new App({
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
  const config = loadConfig(configFile);
  const stack = new ModelCareStack(app, config.stackName, { config });
  const template = app.synth().getStackByName(stack.stackName).template as CfnTemplateJson;
  const care = stack.care;
  const mapValues = <V, R>(record: Record<string, V>, f: (v: V) => R): Record<string, R> =>
    Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
  return {
    config,
    template,
    modelsFile: care.modelsSeed.modelsFile,
    ids: {
      bucket: logicalId(care.store.bucket),
      tables: mapValues(care.tables.tables, logicalId) as Record<TableName, string>,
      topics: mapValues(care.alerting.topics, logicalId) as LocalStack['ids']['topics'],
      functions: {
        ...mapValues(care.jobs.functions, (f) => logicalId(f.function)),
        capture: logicalId(care.captureApi.handler.function),
        lateCapture: logicalId(care.lateCapture.handler.function),

        // issue 17: present when some model has batch transform jobs
        ...(care.batchTransform ? { batchTransform: logicalId(care.batchTransform.job.function) } : {}),

        dispatcher: logicalId(care.dispatcher.handler.function),
      },
      retrainingSteps: mapValues(care.retrainingSteps.functions, (f) => logicalId(f.function)),
      retrainingStateMachine: logicalId(care.retraining.stateMachine),
      adminApi: logicalId(care.adminApi.handler.function),
      modelsSeed: {
        resource: logicalId(care.modelsSeed.resource),
        function: logicalId(care.modelsSeed.handler.function),
      },
    },
  };
};
