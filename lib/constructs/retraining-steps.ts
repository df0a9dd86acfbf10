import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import { RETRAINING_STEPS, type RetrainingStep } from '../../functions/shared/retraining-contract.ts';
import type { CaptureStore } from './capture-store.ts';
import { HouseFunction } from './house-function.ts';
import { grantReadUri } from './private/grant-read-uri.ts';
import { nagArn } from './private/nag.ts';
import type { ResultsTables } from './results-tables.ts';

/** functions/retraining/<step>/handler.ts */
export const retrainingHandler = (step: RetrainingStep): string => `functions/retraining/${step}/handler.ts`;

export interface RetrainingStepsProps {
  readonly store: CaptureStore;
  readonly tables: ResultsTables;
  /**
   * the config's models with a `retraining` section: prepare-data may read their channels, inspect-endpoint and
   * plan-promotion their endpoints (grants made at synth: a model put later with channels outside the stack
   * bucket or an endpoint needs a deploy for these two reads)
   */
  readonly models: readonly ModelConfig[];
  readonly logRetention: logs.RetentionDays;
}

const pascal = (step: string): string =>
  step
    .split('-')
    .map((part) => `${part[0]?.toUpperCase()}${part.slice(1)}`)
    .join('');

/**
 * The Lambda steps of the one retraining state machine (their payloads are in
 * functions/shared/retraining-contract.ts). Each gets the table and store access its step needs, no more.
 */
export class RetrainingSteps extends Construct {
  readonly functions: Record<RetrainingStep, HouseFunction>;

  constructor(scope: Construct, id: string, props: RetrainingStepsProps) {
    super(scope, id);
    const { store, tables } = props;
    const step = (name: RetrainingStep, timeout: Duration, memorySize = 512): HouseFunction =>
      new HouseFunction(this, pascal(name), {
        entry: retrainingHandler(name),
        description: `model-care retraining: ${name}`,
        timeout,
        memorySize,
        logRetention: props.logRetention,
        environment: { captureBucket: store.bucket.bucketName },
      });
    const functions = Object.fromEntries(
      RETRAINING_STEPS.map((name) => {
        const heavy = name === 'prepare-data' || name === 'evaluate';
        return [name, step(name, heavy ? Duration.minutes(15) : Duration.seconds(30), heavy ? 2048 : 512)];
      }),
    ) as Record<RetrainingStep, HouseFunction>;

    // load-model: the config the event names, and the stack identity the model's role ARNs are named from
    const loadModel = functions['load-model'];
    tables.bind(loadModel, 'models', 'read');
    const stack = Stack.of(this);
    loadModel.addEnvironment({
      modelRoleStack: {
        stackName: stack.stackName,
        region: stack.region,
        account: stack.account,
        partition: stack.partition,
      },
    });

    tables.bind(functions['acquire-lock'], 'state', 'readWrite');
    tables.bind(functions['release-lock'], 'state', 'readWrite');

    const prepare = functions['prepare-data'];
    store.grantRead(prepare.role, 'capture', 'groundTruth', 'training');
    store.grantWrite(prepare.role, 'training');
    tables.bind(prepare, 'registry', 'read');
    for (const model of props.models) {
      for (const channel of model.retraining?.inputChannels ?? [])
        grantReadUri(this, prepare.role, channel.s3Uri);
    }

    const evaluate = functions.evaluate;
    store.grantRead(evaluate.role, 'training');
    store.grantWrite(evaluate.role, 'training');
    tables.bind(evaluate, 'registry', 'read');

    const register = functions['register-version'];
    store.grantRead(register.role, 'training');
    tables.bind(register, 'registry', 'readWrite');

    tables.bind(functions['record-outcome'], 'registry', 'readWrite');

    tables.bind(functions.rollback, 'registry', 'readWrite');
    tables.bind(functions['inspect-endpoint'], 'registry', 'readWrite');
    this.grantEndpointReads(functions, props.models);
    this.functions = functions;
  }

  /**
   * inspect-endpoint and plan-promotion read the live endpoint: DescribeEndpoint on the models' endpoints only;
   * the config and model it serves may predate model-care and carry any name, so those reads are on any name.
   */
  private grantEndpointReads(
    functions: Record<RetrainingStep, HouseFunction>,
    models: readonly ModelConfig[],
  ) {
    const endpoints = models.flatMap((model) => (model.endpoint ? [model.endpoint.name] : []));
    if (endpoints.length === 0) return;
    const stack = Stack.of(this);
    const arn = (resource: string, resourceName: string): string =>
      stack.formatArn({ service: 'sagemaker', resource, resourceName });
    const anyConfig = arn('endpoint-config', '*');
    const anyModel = arn('model', '*');
    const describeEndpoints = new iam.PolicyStatement({
      actions: ['sagemaker:DescribeEndpoint'],
      resources: endpoints.map((name) => arn('endpoint', name.toLowerCase())),
    });
    const inspect = functions['inspect-endpoint'];
    inspect.role.addToPrincipalPolicy(describeEndpoints);
    inspect.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sagemaker:DescribeEndpointConfig'], resources: [anyConfig] }),
    );
    inspect.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sagemaker:DescribeModel'], resources: [anyModel] }),
    );
    const plan = functions['plan-promotion'];
    plan.role.addToPrincipalPolicy(describeEndpoints);
    plan.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:DescribeEndpointConfig', 'sagemaker:ListTags'],
        resources: [anyConfig],
      }),
    );
    const reason =
      'Read only: the endpoint config and model a monitored endpoint serves may predate model-care and carry any ' +
      'name; the endpoints themselves are listed.';
    Validations.of(inspect.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(this, anyConfig)}]`,
      reason,
    });
    Validations.of(inspect.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(this, anyModel)}]`,
      reason,
    });
    Validations.of(plan.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(this, anyConfig)}]`,
      reason,
    });
  }
}
