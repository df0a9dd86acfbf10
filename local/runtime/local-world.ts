import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { makeDynamoAlertStateRepository } from '../../functions/adapters/dynamodb/dynamodb-alert-state-repository.ts';
import { makeDynamoDetectorStateRepository } from '../../functions/adapters/dynamodb/dynamodb-detector-state-repository.ts';
import { makeDynamoLockRepository } from '../../functions/adapters/dynamodb/dynamodb-lock-repository.ts';
import { makeDynamoMetricRepository } from '../../functions/adapters/dynamodb/dynamodb-metric-repository.ts';
import { makeDynamoModelStore } from '../../functions/adapters/dynamodb/dynamodb-model-store.ts';
import { makeDynamoRegistryRepository } from '../../functions/adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeDynamoRunRepository } from '../../functions/adapters/dynamodb/dynamodb-run-repository.ts';
import { makeCachedModelConfigSource } from '../../functions/adapters/model-config-source.ts';
import type { ObjectStore } from '../../functions/adapters/object-store.ts';
import { makeS3ObjectStore, makeS3StoreFor } from '../../functions/adapters/s3/s3-object-store.ts';
import { makeAlertRouterHandler } from '../../functions/alert-router/alert-router.ts';
import { makeBaselineJobHandler } from '../../functions/baseline-job/baseline-job.ts';
import { makeBatchTransformJobHandler } from '../../functions/batch-transform-job/batch-transform-job.ts';
import { makeCaptureApiHandler } from '../../functions/capture-api/capture-api.ts';
import { CaptureBatcher } from '../../functions/capture-api/capture-batcher.ts';
import { routesFromConfigs } from '../../functions/capture-api/capture-route-lookup.ts';
import { makeDataJobHandler } from '../../functions/data-job/data-job.ts';
import { makeDispatcherHandler } from '../../functions/dispatcher/dispatcher.ts';
import { makeGroundTruthIngestHandler } from '../../functions/ground-truth-ingest/ground-truth-ingest.ts';
import type { HandlerLogger } from '../../functions/handler-kit/handler-logger.ts';
import { makeLateCaptureHandler } from '../../functions/late-capture/late-capture.ts';
import { makeQualityJobHandler } from '../../functions/quality-job/quality-job.ts';
import { modelForTransformJob } from '../../functions/shared/config/batch-transform-schema.ts';
import { readEnvironment } from '../../functions/shared/environment.ts';
import type { RetrainingExecutionInput } from '../../functions/shared/retraining-contract.ts';
import { TABLES, type TableName } from '../../functions/shared/tables.ts';
import { type DynamoEmulator, type S3Emulator, startDynamoEmulator, startS3Emulator } from '../emulators.ts';
import { LocalEventBus, rulesOf } from '../events/local-event-bus.ts';
import { makeLocalInference } from '../sagemaker/local-endpoint-control.ts';
import type { Scorer, Trainer } from '../sagemaker/model-runtime.ts';
import { makeFileLogger } from '../sinks/file-logger.ts';
import { type DeliveredNotification, LocalNotifier } from '../sinks/local-notifier.ts';
import { LocalRunMetrics } from '../sinks/local-run-metrics.ts';
import { createLocalRetraining, type LocalRetraining } from '../step-functions/local-retraining.ts';
import type { ExecutionOutcome } from '../step-functions/retraining-runner.ts';
import { type LocalModels, seedLocalModels, templateEnvironment } from './local-models.ts';
import type { LocalStack } from './local-stack.ts';
import { ScheduleTicker } from './schedule-ticker.ts';
import type { SimulatedClock } from './simulated-clock.ts';

type Handler = (event: unknown) => Promise<unknown>;

export interface LocalWorldOptions {
  readonly stack: LocalStack;
  readonly model: string;
  readonly clock: SimulatedClock;
  /** where alerts.jsonl and handlers.log go */
  readonly outDir: string;
  readonly trainer: Trainer;
  readonly scorer: Scorer;
  /** buckets outside the capture store that the config points at (baseline dataset, training channels) */
  readonly dataBuckets: readonly string[];
  readonly onAlert?: (alert: DeliveredNotification) => void;
  /** how far back prepare-data gathers labelled capture; @default 168 */
  readonly captureLookbackHours?: number;
}

/**
 * model-care's whole deployment on this machine: s3rver and dynalite holding the buckets and tables the
 * synthesized template defines (logical ids as names), the real handlers built by their factories over
 * adapters pointed at the emulators, the template's EventBridge rules on a local bus, S3's object-created
 * notifications, a local SNS sink, and the model's retraining state machine in aws-local-stepfunctions.
 */
export interface LocalWorld {
  readonly bucket: string;
  readonly store: ObjectStore;
  readonly bus: LocalEventBus;
  readonly notifier: LocalNotifier;
  readonly runMetrics: LocalRunMetrics;
  readonly retraining: LocalRetraining;
  readonly executions: Promise<ExecutionOutcome>[];
  readonly repositories: {
    readonly runs: ReturnType<typeof makeDynamoRunRepository>;
    readonly registry: ReturnType<typeof makeDynamoRegistryRepository>;
  };
  readonly handlers: Readonly<
    Record<
      'capture' | 'baseline' | 'data' | 'quality' | 'groundTruth' | 'alertRouter' | 'dispatcher',
      Handler
    >
  >;
  /**
   * moves the simulated clock to `time`, firing the template's scheduled rules (the dispatcher's tick) at every
   * time they fire on the way, each followed by the deliveries it causes; resolves with the ticks fired
   */
  advanceTo(time: Date): Promise<number>;
  readonly capture: CaptureBatcher;
  readonly s3: S3Emulator;
  readonly dynamo: DynamoEmulator;
  /** models as data: the admin service over the seeded models table */
  readonly models: LocalModels;
  /** handlers.log of the run */
  readonly logger: HandlerLogger;
  readonly dispatchErrors: Array<{ rule: string; error: string }>;
  stop(): Promise<void>;
}

/** S3 buckets are lower-case; the local twin names every resource after its logical id */
export const localBucketName = (logicalId: string): string => logicalId.toLowerCase();

/** wraps a store so that every write raises S3's EventBridge notification, as the capture bucket does */
const notifyingStore = (store: ObjectStore, bucket: string, bus: LocalEventBus): ObjectStore => ({
  ...store,
  async put(key, body, contentType, metadata) {
    await store.put(key, body, contentType, metadata);
    bus.objectCreated(
      bucket,
      key,
      typeof body === 'string' ? Buffer.byteLength(body) : (body as Uint8Array).length,
    );
  },
});

const requireFunction = (stack: LocalStack, job: string): string => {
  const id = stack.ids.functions[job as keyof typeof stack.ids.functions];
  if (!id) throw new Error(`the template has no ${job} function`);
  return id;
};

export const startLocalWorld = async (options: LocalWorldOptions): Promise<LocalWorld> => {
  const { stack, clock } = options;
  const now = clock.now;
  const bucket = localBucketName(stack.ids.bucket);
  const tableNames = Object.fromEntries(
    (Object.keys(TABLES) as TableName[]).map((name) => [name, stack.ids.tables[name]]),
  ) as Record<TableName, string>;

  const s3 = await startS3Emulator({ buckets: [bucket, ...options.dataBuckets] });
  const dynamo = await startDynamoEmulator({ tables: Object.values(tableNames).map((name) => ({ name })) });
  const logger = makeFileLogger(join(options.outDir, 'handlers.log'), now);
  const notifier = new LocalNotifier(join(options.outDir, 'alerts.jsonl'), now, options.onAlert);
  const runMetrics = new LocalRunMetrics();
  const dispatchErrors: Array<{ rule: string; error: string }> = [];
  // the deploy seeds the config's models before anything runs
  const models = await seedLocalModels(stack, { s3, dynamo }, logger);

  const ddb = dynamo.documentClient;
  const runs = makeDynamoRunRepository(tableNames.runs, ddb);
  const series = makeDynamoMetricRepository(tableNames.metrics, ddb);
  const registry = makeDynamoRegistryRepository(tableNames.registry, ddb);
  const alerts = makeDynamoAlertStateRepository(tableNames.state, ddb);
  const detectors = makeDynamoDetectorStateRepository(tableNames.state, ddb);

  // the bus needs the handlers and the handlers publish on the bus: the dispatch table is filled below
  const targets = new Map<string, Handler>();
  const resolve = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value), (_key, v) =>
      v !== null && typeof v === 'object' && (v as { Ref?: string }).Ref === stack.ids.bucket ? bucket : v,
    );
  const bus = new LocalEventBus(
    rulesOf(stack.template, resolve),
    async (target, input) => {
      const handler = targets.get(target);
      if (!handler) throw new Error(`no local stand-in for rule target ${target}`);
      await handler(input);
    },
    now,
    (error, rule) => {
      dispatchErrors.push({ rule, error: error instanceof Error ? error.message : String(error) });
      logger.error('rule target failed', {
        rule,
        error: error instanceof Error ? error.message : String(error),
      });
    },
  );

  const rawStore = makeS3ObjectStore(bucket, s3.client, { now });
  const store = notifyingStore(rawStore, bucket, bus);
  const storeFor = makeS3StoreFor(s3.client);
  // the jobs read the configs events name from the seeded models table, as the template's environment says; the
  // cache's minute follows the simulated clock, so an admin change is used at the next simulated window
  const { modelsTable } = readEnvironment(
    ['modelsTable'],
    templateEnvironment(stack, requireFunction(stack, 'data')),
  );
  const configs = makeCachedModelConfigSource(makeDynamoModelStore(modelsTable, ddb), {
    now: () => now().getTime(),
  });
  const common = { store, bucket, runs, configs, now, logger };
  const modelStore = makeDynamoModelStore(modelsTable, ddb);

  const baseline = makeBaselineJobHandler({ ...common, storeFor, registry, metrics: runMetrics });
  const retraining = createLocalRetraining({
    app: stack,
    model: options.model,
    s3: s3.client,
    documentClient: ddb,
    captureBucket: bucket,
    tables: { state: tableNames.state, registry: tableNames.registry },
    baselineJob: baseline as Handler,
    logger,
    trainer: options.trainer,
    scorer: options.scorer,
    now,
    pollIntervalMs: 1,
    taskTokenTimeoutMs: 5_000,
    captureLookbackHours: options.captureLookbackHours,
    // load-model reads the seeded models table, as the deployed function does
    configs,
  });

  const capture = new CaptureBatcher({ store, now, newId: randomUUID, maxDelayMs: 20 });
  const handlers = {
    capture: makeCaptureApiHandler({
      // as deployed: the route of a model comes from the models table
      routes: routesFromConfigs(configs),
      sink: capture,
      store,
      inference: makeLocalInference(retraining.sageMaker),
      metrics: runMetrics,
      now,
      logger,
    }) as Handler,
    baseline: baseline as Handler,
    data: makeDataJobHandler({
      ...common,
      series,
      events: bus,
      metrics: runMetrics,
      verdictStates: detectors,
    }) as Handler,
    quality: makeQualityJobHandler({
      ...common,
      series,
      detectors,
      registry,
      events: bus,
      metrics: runMetrics,
    }) as Handler,
    groundTruth: makeGroundTruthIngestHandler({ ...common, events: bus }) as Handler,
    // late capture re-opens judged windows (issue 10.3), from the same rule the stack deploys
    lateCapture: makeLateCaptureHandler({
      models: makeDynamoModelStore(modelsTable, ddb),
      runs,
      locks: makeDynamoLockRepository(tableNames.state, ddb),
      events: bus,
      stackBucket: bucket,
      dispatchEveryMinutes: 5,
      now,
      logger,
    }) as Handler,
    batchTransform: makeBatchTransformJobHandler({
      ...common,
      series,
      events: bus,
      metrics: runMetrics,
      storeFor,
      modelForJob: async (job) => {
        const summaries = await modelStore.list();
        return modelForTransformJob(
          await Promise.all(summaries.map(async (s) => (await configs.load(s.name)).config)),
          job,
        );
      },
    }) as Handler,
    alertRouter: makeAlertRouterHandler({
      configs,
      alerts,
      runs,
      notifier,
      events: bus,
      topics: {
        info: `arn:local:sns:${stack.ids.topics.info}`,
        warning: `arn:local:sns:${stack.ids.topics.warning}`,
        critical: `arn:local:sns:${stack.ids.topics.critical}`,
      },
      links: { region: 'local', dashboardPrefix: stack.config.stackName },
      now,
      logger,
    }) as Handler,
    // the deployed dispatcher over the seeded fleet index, with the tick period the template gives it
    dispatcher: makeDispatcherHandler({
      schedules: makeDynamoModelStore(modelsTable, ddb),
      publisher: {
        async publishEach(events) {
          await bus.publish(events);
          return events.map(() => ({ published: true as const }));
        },
      },
      periodMinutes: readEnvironment(
        ['dispatchEveryMinutes'],
        templateEnvironment(stack, requireFunction(stack, 'dispatcher')),
      ).dispatchEveryMinutes,
      logger,
    }) as Handler,
  };

  const executions: Promise<ExecutionOutcome>[] = [];
  const ticker = new ScheduleTicker(bus, clock, async () => {
    await Promise.all(executions);
  });
  for (const [job, id] of Object.entries(stack.ids.functions)) {
    const handler = handlers[job as keyof typeof handlers];
    if (handler) targets.set(id, handler);
  }
  targets.set(stack.ids.retrainingStateMachine, async (input) => {
    // Step Functions runs executions on its own: the rule's delivery returns once it started
    const execution = retraining.runner.start({ input: input as RetrainingExecutionInput });
    executions.push(execution.result);
    await execution.result;
  });

  return {
    bucket,
    store,
    bus,
    notifier,
    runMetrics,
    retraining,
    executions,
    repositories: { runs, registry },
    handlers,
    capture,
    s3,
    dynamo,
    models,
    logger,
    dispatchErrors,
    advanceTo: (time) => ticker.advanceTo(time),
    async stop() {
      await s3.stop();
      await dynamo.stop();
    },
  };
};
