import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DEFAULT_CAPTURE_API_RESERVED_CONCURRENCY } from '../../functions/shared/config/capture-api-settings.ts';
import type { ModelConfig } from '../../functions/shared/config/model-schema.ts';
import type { CaptureStore } from './capture-store.ts';
import type { CaptureStream } from './capture-stream.ts';
import { HouseFunction } from './house-function.ts';
import type { ResultsTables } from './results-tables.ts';

export const CAPTURE_API_HANDLER = 'functions/capture-api/handler.ts';

export interface CaptureApiProps {
  readonly store: CaptureStore;
  /** the routes are read from the models table (cached per container), so any number of models is served */
  readonly tables: ResultsTables;
  /** the seeded models: the function may invoke their endpoints */
  readonly models: readonly ModelConfig[];
  readonly logRetention: logs.RetentionDays;
  /**
   * the function's reserved concurrency (config `captureApi.reservedConcurrency`): a flood of requests is
   * throttled (429) there instead of starving the account's other functions; null reserves none
   * @default DEFAULT_CAPTURE_API_RESERVED_CONCURRENCY (20)
   */
  readonly reservedConcurrency?: number | null;
  /** the stack's capture stream, for the models on `capture.transport: stream`; @default - no model streams */
  readonly stream?: CaptureStream;
}

/**
 * The capture API: a Lambda behind a Function URL with AWS_IAM auth (callers sign with SigV4 and need
 * lambda:InvokeFunctionUrl and lambda:InvokeFunction, see `grantInvokeUrl`). It proxies a request to a model's SageMaker endpoint and records request and
 * response, or accepts records (and labels) from models served elsewhere, writing SageMaker's capture layout.
 */
export class CaptureApi extends Construct {
  readonly handler: HouseFunction;
  readonly url: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: CaptureApiProps) {
    super(scope, id);
    const environment = {
      captureBucket: props.store.bucket.bucketName,
      ...(props.stream ? { captureStreamName: props.stream.streamName } : {}),
    };
    this.handler = new HouseFunction(this, 'Handler', {
      entry: CAPTURE_API_HANDLER,
      description: 'model-care: capture API (proxy to SageMaker or accept records)',
      timeout: Duration.seconds(60),
      memorySize: 1024,
      logRetention: props.logRetention,
      environment,
      reservedConcurrentExecutions:
        props.reservedConcurrency === undefined
          ? DEFAULT_CAPTURE_API_RESERVED_CONCURRENCY
          : (props.reservedConcurrency ?? undefined),
    });
    props.store.grantWrite(this.handler.role, 'capture', 'groundTruth');
    props.stream?.grantPutRecords(this.handler.role);
    props.tables.bind(this.handler, 'models', 'read');

    const endpoints = props.models.flatMap((model) => (model.endpoint ? [model.endpoint.name] : []));
    if (endpoints.length > 0) {
      const stack = Stack.of(this);
      this.handler.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['sagemaker:InvokeEndpoint'],
          resources: endpoints.map((name) =>
            stack.formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: name.toLowerCase() }),
          ),
        }),
      );
    }

    this.url = this.handler.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
  }

  /**
   * lets a producer (a role of the user's model server, a label pipeline) call the URL: lambda:InvokeFunctionUrl
   * and lambda:InvokeFunction conditioned on lambda:InvokedViaFunctionUrl, as Function URLs with AWS_IAM auth need
   */
  grantInvokeUrl(grantee: iam.IGrantable): void {
    this.handler.function.grantInvokeUrl(grantee);
  }
}
