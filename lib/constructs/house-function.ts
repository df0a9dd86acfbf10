import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type EnvironmentValues, functionEnvironment } from '../../functions/shared/environment.ts';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../functions/shared/telemetry.ts';
import { BUNDLE_FILE, LAMBDA_BUNDLING, prebundledAssetDir } from './private/lambda-bundling.ts';

/**
 * The repository root, which handler entries are relative to; in the installed package, its dist/ folder,
 * which holds the prebundled handlers under lambda/ instead of their sources.
 */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The installed package lacks a handler's prebundled asset (and has no source to bundle it from). */
export class MissingLambdaAssetError extends Error {
  override readonly name = 'MissingLambdaAssetError';
}

export interface HouseFunctionProps {
  /** handler file relative to the repository root, e.g. `functions/data-job/handler.ts` (exports `handler`) */
  readonly entry: string;
  readonly description: string;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.DESTROY (logs go with the stack) */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** receives asynchronous invocations that failed after Lambda's retries; @default - none */
  readonly deadLetterQueue?: sqs.IQueue;
  /** merged over the Powertools variables (functions/shared/environment.ts) */
  readonly environment?: EnvironmentValues;
  /** the function's ceiling and guaranteed share of the account's concurrency; @default - none reserved */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * The one way model-care builds a Lambda: the handler's prebundled asset when there is one (the installed
 * package: scripts/build.ts made it with LAMBDA_BUNDLING), else NodejsFunction bundling the entry with the same
 * settings by the local esbuild (development; synth never needs Docker or the network); ESM, arm64, the newest Node.js runtime, X-Ray tracing, JSON logs into its own log
 * group with a retention, Powertools' environment, and a role that holds only what grants add.
 */
export class HouseFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  private readonly unscopedReasons = [
    'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
  ];

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    // an own role instead of AWSLambdaBasicExecutionRole: it may write to this log group only
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `model-care ${props.entry}`,
    });
    this.logGroup.grantWrite(this.role);

    const settings: lambda.FunctionOptions = {
      description: props.description,
      timeout: props.timeout ?? Duration.seconds(30),
      memorySize: props.memorySize ?? 512,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      deadLetterQueue: props.deadLetterQueue,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: functionEnvironment({
        serviceName: SERVICE_NAME,
        metricsNamespace: METRICS_NAMESPACE,
        nodeOptions: '--enable-source-maps',
        ...props.environment,
      }),
    };
    const runtime = lambda.Runtime.NODEJS_24_X;
    const architecture = lambda.Architecture.ARM_64;
    const prebundled = prebundledAssetDir(PROJECT_ROOT, props.entry);
    const source = `${PROJECT_ROOT}${props.entry}`;
    if (existsSync(join(prebundled, BUNDLE_FILE))) {
      this.function = new lambda.Function(this, 'Function', {
        ...settings,
        runtime,
        architecture,
        code: lambda.Code.fromAsset(prebundled),
        handler: 'index.handler',
      });
    } else if (existsSync(source)) {
      this.function = new nodejs.NodejsFunction(this, 'Function', {
        ...settings,
        runtime,
        architecture,
        entry: source,
        handler: 'handler',
        projectRoot: PROJECT_ROOT,
        depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
        bundling: {
          format: nodejs.OutputFormat.ESM,
          target: LAMBDA_BUNDLING.target,
          mainFields: [...LAMBDA_BUNDLING.mainFields],
          banner: LAMBDA_BUNDLING.banner,
          // the pinned SDK versions travel with the code instead of whatever the runtime ships
          bundleAwsSDK: true,
          minify: LAMBDA_BUNDLING.minify,
          sourceMap: LAMBDA_BUNDLING.sourceMap,
          sourcesContent: LAMBDA_BUNDLING.sourcesContent,
        },
      });
    } else {
      throw new MissingLambdaAssetError(
        `model-care: ${join(prebundled, BUNDLE_FILE)} is missing: the package lacks the Lambda bundle of ` +
          `${props.entry}; reinstall model-care (or run npm run build in its repository)`,
      );
    }

    this.acknowledgeWildcardResource();
  }

  /** adds variables of the environment contract; grants belong with them (ResultsTables.bind, Alerting.bindPublisher) */
  addEnvironment(values: EnvironmentValues): void {
    for (const [key, value] of Object.entries(functionEnvironment(values)))
      this.function.addEnvironment(key, value);
  }

  /**
   * Grants actions that support no resource-level permissions (IAM requires `*` for them) and records why in
   * the function's cdk-nag acknowledgement, next to X-Ray's.
   */
  addUnscopedStatement(actions: string[], reason: string): void {
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: ['*'] }));
    this.unscopedReasons.push(reason);
    this.acknowledgeWildcardResource();
  }

  private acknowledgeWildcardResource(): void {
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: this.unscopedReasons.join(' '),
    });
  }

  /** the function's stack-unique logical id, for exact cdk-nag finding ids such as `Resource::<Id.Arn>:*` */
  get logicalId(): string {
    return Stack.of(this).getLogicalId(this.function.node.defaultChild as lambda.CfnFunction);
  }
}
