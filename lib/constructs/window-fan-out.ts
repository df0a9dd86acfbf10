import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { EnvironmentValues } from '../../functions/shared/environment.ts';
import type { CaptureStore } from './capture-store.ts';
import { HouseFunction } from './house-function.ts';
import { acknowledgeWildcards } from './private/nag.ts';
import type { ResultsTables } from './results-tables.ts';

/** handler entries of the fan-out's three states, relative to the repository root */
export const FAN_OUT_HANDLERS = {
  plan: 'functions/data-job/fan-out/plan-handler.ts',
  part: 'functions/data-job/fan-out/profile-part-handler.ts',
  reduce: 'functions/data-job/fan-out/reduce-handler.ts',
} as const;

export interface WindowFanOutProps {
  readonly store: CaptureStore;
  readonly tables: ResultsTables;
  readonly bus: events.IEventBus;
  /** the data job's environment: bucket, bus, metrics TTL, dashboard prefix */
  readonly environment: EnvironmentValues;
  readonly logRetention: logs.RetentionDays;
  /** parts profiled at once (config `fanOut.maxConcurrency`); @default 40 */
  readonly maxConcurrency?: number;
  /** share of parts whose worker may fail before the run does (config `fanOut.toleratedPartFailureShare`) */
  readonly toleratedPartFailureShare?: number;
}

/**
 * The data job's path for a window too big for one Lambda: plan (list the window, split plain objects into
 * byte ranges, gzip ones whole) → Map over the parts (each writes a partial profile to S3, or why it has none)
 * → reduce (quarantine, merge, check, report, record: the data job's own code; then delete the parts). A failed
 * worker is caught inside the Map and counted by the reducer against `toleratedPartFailureShare`; a failed plan,
 * Map or reduce goes to RecordFailure, which records the failed run before the execution fails. An inline Map, not a Distributed Map: the interpreter of
 * aws-local-stepfunctions 3.0.0, which the fan-out test runs this definition in, does not implement ItemReader
 * (its node build never mentions it; only the bundled validator's schema does), so an S3-fed map could not be
 * tested. The plan therefore travels in the state payload, whose limit is 256 KB: about 1,000 parts of ~200
 * bytes (the part results are keys only), i.e. ~125 GB of plain capture at 128 MiB per part — far beyond any
 * window a data job schedules. Past that, switch to sfn.DistributedMap with an S3 ItemReader over a plan file.
 */
export class WindowFanOut extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly functions: {
    readonly plan: HouseFunction;
    readonly part: HouseFunction;
    readonly reduce: HouseFunction;
  };

  constructor(scope: Construct, id: string, props: WindowFanOutProps) {
    super(scope, id);
    const { store, tables } = props;
    const fn = (
      name: keyof typeof FAN_OUT_HANDLERS,
      description: string,
      memorySize: number,
    ): HouseFunction => {
      const step = new HouseFunction(this, `${name[0]?.toUpperCase()}${name.slice(1)}Function`, {
        entry: FAN_OUT_HANDLERS[name],
        description,
        logRetention: props.logRetention,
        environment: props.environment,
        timeout: Duration.minutes(15),
        memorySize,
      });
      // the execution input names the model and its config version; each step reads that config
      tables.bind(step, 'models', 'read');
      return step;
    };
    const plan = fn('plan', 'model-care: plans the parts of a fanned-out capture window', 512);
    store.grantRead(plan.role, 'capture');
    const part = fn('part', 'model-care: profiles one part (object or byte range) of a capture window', 1769);
    store.grantRead(part.role, 'capture');
    store.grantWrite(part.role, 'profiles');
    const reduce = fn('reduce', 'model-care: merges the parts of a window and checks it', 1769);
    reduce.addEnvironment({ fanOutToleratedPartFailureShare: props.toleratedPartFailureShare });
    store.grantRead(reduce.role, 'baselines', 'profiles', 'capture');
    store.grantWrite(reduce.role, 'reports', 'quarantine');
    // unreadable capture moves to quarantine/ (copy, then delete); the parts are deleted once reduced
    store.grantDelete(reduce.role, 'capture', 'profiles');
    tables.bind(reduce, 'runs', 'readWrite');
    tables.bind(reduce, 'metrics', 'readWrite');
    // the sequential verdicts' evidence per feature and the harm state (issue 12)
    tables.bind(reduce, 'state', 'readWrite');
    props.bus.grantPutEventsTo(reduce.function);

    const invoke = (stateId: string, target: HouseFunction, resultPath?: string) =>
      new tasks.LambdaInvoke(this, stateId, {
        lambdaFunction: target.function,
        payloadResponseOnly: true,
        ...(resultPath === undefined ? {} : { resultPath }),
        retryOnServiceExceptions: true,
      });
    const map = new sfn.Map(this, 'ProfileParts', {
      comment: 'one worker per part; results are the parts keys, in plan order',
      itemsPath: '$.parts',
      itemSelector: {
        'model.$': '$.model',
        'configVersion.$': '$.configVersion',
        'trigger.$': '$.trigger',
        'part.$': '$$.Map.Item.Value',
      },
      maxConcurrency: props.maxConcurrency ?? 40,
      resultPath: '$.parts',
    });
    // every way the execution can fail ends in a run record: the reducer records the error and deletes the parts
    const recordFailure = invoke('RecordFailure', reduce).next(
      new sfn.Fail(this, 'FanOutFailed', {
        error: 'FanOutFailed',
        cause: 'a step of the fan-out failed; the failed run record names the error',
      }),
    );
    const caught = { resultPath: '$.failure' };
    // a worker that fails (timeout, crash) becomes a result naming its part; the reducer bounds how many may
    const profilePart = invoke('ProfilePart', part).addCatch(
      new sfn.Pass(this, 'PartFailed', {
        comment: 'the part and its error name, for the reducer; the cause stays in the execution history',
        parameters: { 'failed.$': '$.failure.Error', 'part.$': '$.part' },
      }),
      caught,
    );
    map.itemProcessor(profilePart);
    map.addCatch(recordFailure, caught);
    const definition = invoke('Plan', plan)
      .addCatch(recordFailure, caught)
      .next(map)
      .next(invoke('Reduce', reduce).addCatch(recordFailure, caught));

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'model-care: a capture window profiled in parts',
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      timeout: Duration.hours(2),
    });
    acknowledgeWildcards(
      this.stateMachine.role,
      [plan, part, reduce].map((f) => `Resource::<${f.logicalId}.Arn>:*`),
      "CDK's LambdaInvoke grants each step function and its versions (<arn>:*); no other function is reachable.",
    );
    acknowledgeWildcards(
      this.stateMachine.role,
      ['Resource::*'],
      'X-Ray tracing and CloudWatch Logs vended delivery support no resource-level permissions.',
    );
    this.functions = { plan, part, reduce };
  }
}
