import { randomUUID } from 'node:crypto';
import { makeDynamoLockRepository } from '../../../../functions/adapters/dynamodb/dynamodb-lock-repository.ts';
import { makeDynamoRegistryRepository } from '../../../../functions/adapters/dynamodb/dynamodb-registry-repository.ts';
import { makeDynamoRetrainingRunLog } from '../../../../functions/adapters/dynamodb/dynamodb-retraining-run-log.ts';
import { makeDynamoVersionLedger } from '../../../../functions/adapters/dynamodb/dynamodb-version-ledger.ts';
import type { LockRepository } from '../../../../functions/adapters/lock-repository.ts';
import type { StoreFor } from '../../../../functions/adapters/object-store.ts';
import type { RegistryRepository } from '../../../../functions/adapters/registry-repository.ts';
import type { RetrainingRunLog } from '../../../../functions/adapters/retraining-run-log.ts';
import { makeS3StoreFor } from '../../../../functions/adapters/s3/s3-object-store.ts';
import { captureObjectKey, groundTruthHourPrefix } from '../../../../functions/adapters/s3-layout.ts';
import type { VersionLedger } from '../../../../functions/adapters/version-ledger.ts';
import type { RetrainableModel } from '../../../../functions/retraining/shared/step-input.ts';
import { captureLocation } from '../../../../functions/shared/config/model-settings.ts';
import type { DynamoEmulator, S3Emulator } from '../../../../local/emulators.ts';
import { startDynamoEmulator, startS3Emulator } from '../../../../local/emulators.ts';
import type { LocalSageMaker } from '../../../../local/sagemaker/local-sagemaker.ts';
import { createLocalRetraining } from '../../../../local/step-functions/local-retraining.ts';
import type { LocalSnsSink } from '../../../../local/step-functions/local-sns.ts';
import type { SynthesizedApp } from '../../../../local/step-functions/retraining-machine.ts';
import type { RetrainingRunner } from '../../../../local/step-functions/retraining-runner.ts';
import { mulberry32 } from '../../../support/random.ts';
import { baselineStandIn } from './baseline-stand-in.ts';
import { linearArtifact, linearScorer, thresholdTrainer } from './linear-model.ts';
import { recordingLogger } from './silent-logger.ts';
import { SOURCES_BUCKET } from './synthesized-app.ts';

export const CAPTURE_BUCKET = 'capture-store';
const TABLES = { state: 'state-table', registry: 'registry-table' } as const;
const HOUR_MS = 3_600_000;

export interface Example {
  readonly label: 0 | 1;
  readonly x: readonly [number, number];
}

/** labels follow x1 (what the threshold trainer can learn), or x1 + x2 (what it cannot) */
export const examples = (count: number, seed: number, rule: 'x1' | 'x1+x2'): Example[] => {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const x: [number, number] = [random() * 2 - 1, random() * 2 - 1];
    const signal = rule === 'x1' ? x[0] : x[0] + x[1];
    return { label: signal + (random() - 0.5) * 0.1 > 0 ? 1 : 0, x };
  });
};

const csv = (rows: readonly Example[]): string =>
  rows.map((r) => `${r.label},${r.x[0]},${r.x[1]}\n`).join('');

/**
 * One model's retraining world: s3rver and dynalite started for the test, the local SageMaker with the
 * threshold trainer and linear scorer, the SNS sink, the real step handlers and a runner over the synthesized
 * state machine. `clock` is the time executions start at (the runner's), a fixed instant the data is laid out
 * around.
 */
export class RetrainingWorld {
  readonly clock = { now: new Date('2026-11-23T08:00:00Z') };
  readonly sns: LocalSnsSink;
  readonly logger = recordingLogger();
  readonly trainer = thresholdTrainer(2);
  readonly storeFor: StoreFor;
  readonly sageMaker: LocalSageMaker;
  readonly runner: RetrainingRunner;
  readonly model: RetrainableModel;
  readonly baseline: ReturnType<typeof baselineStandIn>;
  readonly registry: RegistryRepository;
  readonly ledger: VersionLedger;
  readonly locks: LockRepository;
  readonly runs: RetrainingRunLog;

  private constructor(
    readonly s3: S3Emulator,
    readonly dynamo: DynamoEmulator,
    app: SynthesizedApp,
    modelName: string,
    options: { taskTokenTimeoutMs?: number },
  ) {
    this.storeFor = makeS3StoreFor(s3.client);
    const ddb = dynamo.documentClient;
    this.registry = makeDynamoRegistryRepository(TABLES.registry, ddb);
    this.ledger = makeDynamoVersionLedger(TABLES.registry, ddb);
    this.locks = makeDynamoLockRepository(TABLES.state, ddb);
    this.runs = makeDynamoRetrainingRunLog(TABLES.state, ddb);
    const now = () => this.clock.now;
    this.baseline = baselineStandIn(this.storeFor, CAPTURE_BUCKET, () => this.model);
    const local = createLocalRetraining({
      app,
      model: modelName,
      s3: s3.client,
      documentClient: ddb,
      captureBucket: CAPTURE_BUCKET,
      tables: TABLES,
      baselineJob: this.baseline.handler,
      logger: this.logger,
      trainer: this.trainer,
      scorer: linearScorer(),
      now,
      pollIntervalMs: 2,
      taskTokenTimeoutMs: options.taskTokenTimeoutMs,
    });
    this.sageMaker = local.sageMaker;
    this.sns = local.sns;
    this.runner = local.runner;
    this.model = local.runner.machine.model;
  }

  static async start(
    app: SynthesizedApp,
    modelName: string,
    options: { taskTokenTimeoutMs?: number } = {},
  ): Promise<RetrainingWorld> {
    const s3 = await startS3Emulator({ buckets: [CAPTURE_BUCKET, SOURCES_BUCKET] });
    const dynamo = await startDynamoEmulator({ tables: [{ name: TABLES.state }, { name: TABLES.registry }] });
    return new RetrainingWorld(s3, dynamo, app, modelName, options);
  }

  async stop(): Promise<void> {
    await this.sageMaker.settled();
    await Promise.all([this.s3.stop(), this.dynamo.stop()]);
  }

  get endpointName(): string {
    return this.model.endpoint!.name;
  }

  /** the channel's source objects: the configured prefix gets the rows as one CSV (label, x1, x2) */
  async seedChannel(rows: readonly Example[], file = 'part-1.csv'): Promise<string> {
    const channel = this.model.retraining.inputChannels[0]!;
    const key = `${channel.s3Uri.replace(`s3://${SOURCES_BUCKET}/`, '')}${file}`;
    const text = csv(rows);
    await this.storeFor(SOURCES_BUCKET).put(key, text, 'text/csv');
    return text;
  }

  /**
   * Capture as the endpoint writes it, an hour's records in one object two hours before the clock, and their
   * ground truth an hour later (labels arrive late); `unlabelled` more records get no label.
   */
  async seedLabelledCapture(rows: readonly Example[], unlabelled = 0): Promise<void> {
    const { endpointName, variantName } = captureLocation(this.model);
    const at = new Date(this.clock.now.getTime() - 2 * HOUR_MS);
    const records = [...rows, ...examples(unlabelled, 99, 'x1')].map((row, i) => ({
      row,
      eventId: `evt-${i}-${randomUUID().slice(0, 8)}`,
      labelled: i < rows.length,
    }));
    const capture = records
      .map(({ row, eventId }) =>
        JSON.stringify({
          captureData: {
            endpointInput: {
              observedContentType: 'text/csv',
              mode: 'INPUT',
              data: `${row.x[0]},${row.x[1]}`,
              encoding: 'CSV',
            },
            endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: '0.5', encoding: 'CSV' },
          },
          eventMetadata: { eventId, inferenceTime: at.toISOString() },
          eventVersion: '0',
        }),
      )
      .join('\n');
    const store = this.storeFor(CAPTURE_BUCKET);
    await store.put(
      captureObjectKey(endpointName, variantName, at, randomUUID()),
      `${capture}\n`,
      'application/jsonl',
    );
    const labels = records
      .filter((r) => r.labelled)
      .map(({ row, eventId }) =>
        JSON.stringify({
          groundTruthData: { data: String(row.label), encoding: 'CSV' },
          eventMetadata: { eventId },
          eventVersion: '0',
        }),
      )
      .join('\n');
    const labelledAt = new Date(at.getTime() + HOUR_MS);
    await store.put(
      `${groundTruthHourPrefix(this.model.name, labelledAt)}labels.jsonl`,
      `${labels}\n`,
      'application/jsonl',
    );
  }

  /**
   * Version 1, serving: its artifact (a linear model with these weights), SageMaker model, endpoint config
   * and endpoint, registered and made champion.
   */
  /**
   * The model serving before retraining: a SageMaker model behind the endpoint's monitored variant. `register`
   * (default true) makes it the registry's champion, as an earlier retraining would have; without it, the registry
   * knows no version, as for an endpoint that served before model-care. `twoVariants` puts a second model beside
   * it (another variant with its own sizing and weight), with data capture, a KMS key and tags on the config.
   */
  async seedChampion(
    weights: readonly [number, number],
    options: { readonly register?: boolean; readonly twoVariants?: boolean } = {},
  ): Promise<{ modelName: string; configName: string; artifactUri: string }> {
    const modelName = `${this.model.name}-v1`;
    const artifactUri = await this.seedModel(modelName, weights);
    const variants = [
      {
        VariantName: 'AllTraffic',
        ModelName: modelName,
        InstanceType: 'ml.c5.xlarge',
        InitialInstanceCount: options.twoVariants ? 3 : 1,
        InitialVariantWeight: options.twoVariants ? 0.9 : 1,
      },
    ];
    if (options.twoVariants) {
      const other = `${this.model.name}-experiment`;
      await this.seedModel(other, [1, 1]);
      variants.push({
        VariantName: 'Experiment',
        ModelName: other,
        InstanceType: 'ml.m5.large',
        InitialInstanceCount: 1,
        InitialVariantWeight: 0.1,
      });
    }
    this.sageMaker.createEndpointConfig({
      EndpointConfigName: modelName,
      ProductionVariants: variants,
      ...(options.twoVariants
        ? {
            DataCaptureConfig: {
              EnableCapture: true,
              InitialSamplingPercentage: 25,
              DestinationS3Uri: `s3://${CAPTURE_BUCKET}/capture`,
              CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
            },
            KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/team-key',
            Tags: [{ Key: 'team', Value: 'risk' }],
          }
        : {}),
    });
    this.sageMaker.createEndpoint({ EndpointName: this.endpointName, EndpointConfigName: modelName });
    await this.sageMaker.settled();
    if (options.register ?? true) {
      await this.registry.registerVersion(this.model.name, {
        version: 1,
        createdAt: '2026-10-01T00:00:00Z',
        artifactUri,
        sagemakerModelName: modelName,
        evaluation: {},
      });
      await this.registry.setChampion(this.model.name, 1, null);
    }
    return { modelName, configName: modelName, artifactUri };
  }

  /** a SageMaker model of the linear scorer with these weights */
  async seedModel(modelName: string, weights: readonly [number, number]): Promise<string> {
    const artifactKey = `models/${this.model.name}/${modelName}/model.tar.gz`;
    await this.storeFor(CAPTURE_BUCKET).put(artifactKey, linearArtifact(weights), 'application/x-gzip');
    const artifactUri = `s3://${CAPTURE_BUCKET}/${artifactKey}`;
    this.sageMaker.createModel({
      ModelName: modelName,
      PrimaryContainer: { Image: this.model.retraining.trainingImage, ModelDataUrl: artifactUri },
    });
    return artifactUri;
  }

  async objectText(uri: string): Promise<string> {
    const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
    if (!match) throw new Error(`not an s3 uri: ${uri}`);
    return this.storeFor(match[1]!).getText(match[2]!);
  }
}
