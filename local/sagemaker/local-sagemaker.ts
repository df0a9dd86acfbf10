import type { S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore, StoreFor } from '../../functions/adapters/object-store.ts';
import { makeS3StoreFor } from '../../functions/adapters/s3/s3-object-store.ts';
import { listKeys, readObject, textLines } from '../../functions/retraining/shared/object-bytes.ts';
import { parseS3Uri, s3Uri } from '../../functions/shared/s3-uri.ts';
import { LocalHosting } from './local-hosting.ts';
import type { ChannelFile, Scorer, Trainer } from './model-runtime.ts';
import {
  type AlarmState,
  type CreateEndpointConfigRequest,
  type CreateModelRequest,
  type CreateTrainingJobRequest,
  type CreateTransformJobRequest,
  type EndpointConfigDescription,
  type EndpointDescription,
  type InvokeRequest,
  type InvokeResult,
  type ModelDescription,
  type ResourceTag,
  type SageMakerEvent,
  SageMakerValidationError,
  type TrainingJobDescription,
  type TransformJobDescription,
  type UpdateEndpointRequest,
} from './sagemaker-api.ts';

/**
 * A local SageMaker control plane: training jobs, models, batch transform jobs, endpoint configs and endpoints,
 * with their statuses moving as SageMaker's do (InProgress -> Completed | Failed; Creating/Updating ->
 * InService; a failed update, or a deployment whose rollback alarm fires, leaves the old config serving; see
 * local-hosting.ts), reading and writing S3 for real (s3rver), and
 * running a pluggable Trainer and Scorer instead of containers. Requests and descriptions use the API's field
 * names, so Step Functions' SageMaker tasks bind to it directly (local/step-functions).
 */

export interface LocalSageMakerOptions {
  /** reads channels and artifacts, writes artifacts and transform output (any bucket) */
  readonly s3: S3Client;
  readonly trainer: Trainer;
  readonly scorer: Scorer;
  /** ms a job stays InProgress before it runs; @default 0 */
  readonly jobDelayMs?: number;
  /** ms an endpoint stays Creating, or Updating before its first traffic step; @default 0 */
  readonly endpointDelayMs?: number;
  /** ms each traffic step of a blue/green deployment bakes; @default 0 */
  readonly bakeDelayMs?: number;
  /** ms a rolled-back deployment stays RollingBack; @default endpointDelayMs */
  readonly rollbackDelayMs?: number;
  readonly now?: () => Date;
  readonly region?: string;
  readonly accountId?: string;
}

const notFound = (what: string, name: string) =>
  new SageMakerValidationError(`Could not find ${what} "${name}".`);
const alreadyExists = (what: string, name: string) =>
  new SageMakerValidationError(`Cannot create already existing ${what} "${name}".`);

/**
 * SageMaker takes S3 locations as s3:// URIs or as https URLs (CDK's S3Location.fromBucket renders
 * `https://s3.<region>.<suffix>/<bucket>/<key>`); it reports them back as s3:// URIs.
 */
export const toS3Uri = (location: string): string => {
  if (location.startsWith('s3://')) return location;
  const url = new URL(location);
  const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const virtualHost = /^(.+)\.s3[.-]/.exec(url.hostname);
  return virtualHost ? s3Uri(virtualHost[1]!, path) : `s3://${path}`;
};

const joinKey = (prefix: string, name: string): string =>
  prefix === '' || prefix.endsWith('/') ? `${prefix}${name}` : `${prefix}/${name}`;

export class LocalSageMaker {
  private readonly trainingJobs = new Map<string, TrainingJobDescription>();
  private readonly models = new Map<string, ModelDescription>();
  private readonly transformJobs = new Map<string, TransformJobDescription>();
  private readonly hosting: LocalHosting;
  private readonly artifacts = new Map<string, Buffer>();
  private readonly pending = new Set<Promise<void>>();
  private readonly listeners = new Set<(event: SageMakerEvent) => void>();
  private readonly storeFor: StoreFor;
  private readonly now: () => Date;
  readonly events: SageMakerEvent[] = [];

  constructor(private readonly options: LocalSageMakerOptions) {
    this.storeFor = makeS3StoreFor(options.s3);
    this.now = options.now ?? (() => new Date());
    this.hosting = new LocalHosting(
      {
        modelExists: (name) => this.models.has(name),
        loadModel: async (name) => {
          await this.artifact(name);
        },
        now: () => this.stamp(),
        arn: (resource, name) => this.arn(resource, name),
        emit: (kind, name, detail) => this.emit(kind, name, detail),
        background: (delayMs, work) => this.background(delayMs, work),
      },
      {
        endpointDelayMs: options.endpointDelayMs,
        bakeDelayMs: options.bakeDelayMs,
        rollbackDelayMs: options.rollbackDelayMs,
      },
    );
  }

  // ---- training ----

  createTrainingJob(request: CreateTrainingJobRequest): { TrainingJobArn: string } {
    const name = request.TrainingJobName;
    if (this.trainingJobs.has(name)) throw alreadyExists('training job', name);
    const output = toS3Uri(request.OutputDataConfig.S3OutputPath);
    const job: TrainingJobDescription = {
      ...request,
      TrainingJobArn: this.arn('training-job', name),
      TrainingJobStatus: 'InProgress',
      SecondaryStatus: 'Starting',
      ModelArtifacts: { S3ModelArtifacts: joinKey(output, `${name}/output/model.tar.gz`) },
      CreationTime: this.stamp(),
    };
    this.trainingJobs.set(name, job);
    this.emit('training-started', name);
    this.background(this.options.jobDelayMs, () => this.train(name));
    return { TrainingJobArn: job.TrainingJobArn };
  }

  describeTrainingJob(name: string): TrainingJobDescription {
    const job = this.trainingJobs.get(name);
    if (!job) throw notFound('training job', name);
    return structuredClone(job);
  }

  private async train(name: string): Promise<void> {
    const job = this.trainingJobs.get(name)!;
    this.trainingJobs.set(name, { ...job, SecondaryStatus: 'Training', TrainingStartTime: this.stamp() });
    try {
      const channels: Record<string, { contentType?: string; files: ChannelFile[] }> = {};
      for (const channel of job.InputDataConfig ?? []) {
        const source = channel.DataSource.S3DataSource;
        if (!source)
          throw new Error(`channel ${channel.ChannelName}: only S3DataSource is supported locally`);
        if (source.S3DataType !== undefined && source.S3DataType !== 'S3Prefix') {
          throw new Error(
            `channel ${channel.ChannelName}: S3DataType ${source.S3DataType} is not supported locally`,
          );
        }
        const files = await this.readPrefix(source.S3Uri);
        if (files.length === 0) throw new Error(`No S3 objects found under S3 URL "${source.S3Uri}"`);
        channels[channel.ChannelName] = { contentType: channel.ContentType, files };
      }
      // the job's own output folder, where a data preparation step may leave files beside the artifact
      const outputFolder = joinKey(toS3Uri(job.OutputDataConfig.S3OutputPath), `${name}/`);
      const artifact = await this.options.trainer.train({
        jobName: name,
        image: job.AlgorithmSpecification.TrainingImage ?? '',
        hyperparameters: { ...job.HyperParameters },
        channels,
        besideArtifact: (file) => this.readOptional(joinKey(outputFolder, file)),
      });
      await this.write(job.ModelArtifacts.S3ModelArtifacts, artifact, 'application/x-gzip');
      this.trainingJobs.set(name, {
        ...this.trainingJobs.get(name)!,
        TrainingJobStatus: 'Completed',
        SecondaryStatus: 'Completed',
        TrainingEndTime: this.stamp(),
      });
      this.emit('training-completed', name, job.ModelArtifacts.S3ModelArtifacts);
    } catch (error) {
      const reason = `AlgorithmError: ${(error as Error).message}`;
      this.trainingJobs.set(name, {
        ...this.trainingJobs.get(name)!,
        TrainingJobStatus: 'Failed',
        SecondaryStatus: 'Failed',
        FailureReason: reason,
        TrainingEndTime: this.stamp(),
      });
      this.emit('training-failed', name, reason);
    }
  }

  // ---- models ----

  createModel(request: CreateModelRequest): { ModelArn: string } {
    const name = request.ModelName;
    if (this.models.has(name)) throw alreadyExists('model', name);
    const model: ModelDescription = {
      ...request,
      ModelArn: this.arn('model', name),
      CreationTime: this.stamp(),
    };
    this.models.set(name, model);
    this.emit('model-created', name, request.PrimaryContainer.ModelDataUrl);
    return { ModelArn: model.ModelArn };
  }

  describeModel(name: string): ModelDescription {
    const model = this.models.get(name);
    if (!model) throw notFound('model', name);
    return structuredClone(model);
  }

  // ---- batch transform ----

  createTransformJob(request: CreateTransformJobRequest): { TransformJobArn: string } {
    const name = request.TransformJobName;
    if (this.transformJobs.has(name)) throw alreadyExists('transform job', name);
    if (!this.models.has(request.ModelName)) throw notFound('model', request.ModelName);
    const job: TransformJobDescription = {
      ...request,
      TransformJobArn: this.arn('transform-job', name),
      TransformJobStatus: 'InProgress',
      CreationTime: this.stamp(),
    };
    this.transformJobs.set(name, job);
    this.background(this.options.jobDelayMs, () => this.transform(name));
    return { TransformJobArn: job.TransformJobArn };
  }

  describeTransformJob(name: string): TransformJobDescription {
    const job = this.transformJobs.get(name);
    if (!job) throw notFound('transform job', name);
    return structuredClone(job);
  }

  private async transform(name: string): Promise<void> {
    const job = this.transformJobs.get(name)!;
    this.transformJobs.set(name, { ...job, TransformStartTime: this.stamp() });
    try {
      const source = job.TransformInput.DataSource.S3DataSource;
      const { bucket, key: prefix } = parseS3Uri(toS3Uri(source.S3Uri));
      const keys = await listKeys(this.storeFor(bucket), prefix);
      if (keys.length === 0) throw new Error(`No S3 objects found under S3 URL "${source.S3Uri}"`);
      const contentType = job.TransformInput.ContentType ?? 'text/csv';
      for (const key of keys) {
        const text = (await readObject(this.storeFor(bucket), key)).text;
        const records = job.TransformInput.SplitType === 'None' ? [text] : textLines(text);
        const lines = await this.score(job.ModelName, contentType, records);
        // SageMaker names each output after its input, relative to the input prefix's folder
        const out = joinKey(
          toS3Uri(job.TransformOutput.S3OutputPath),
          `${key.slice(prefix.lastIndexOf('/') + 1)}.out`,
        );
        await this.write(
          out,
          lines.map((line) => `${line}\n`).join(''),
          job.TransformOutput.Accept ?? 'text/csv',
        );
      }
      this.transformJobs.set(name, {
        ...this.transformJobs.get(name)!,
        TransformJobStatus: 'Completed',
        TransformEndTime: this.stamp(),
      });
      this.emit('transform-completed', name, job.ModelName);
    } catch (error) {
      const reason = `ClientError: ${(error as Error).message}`;
      this.transformJobs.set(name, {
        ...this.transformJobs.get(name)!,
        TransformJobStatus: 'Failed',
        FailureReason: reason,
        TransformEndTime: this.stamp(),
      });
      this.emit('transform-failed', name, reason);
    }
  }

  // ---- hosting (local-hosting.ts) ----

  createEndpointConfig(request: CreateEndpointConfigRequest): { EndpointConfigArn: string } {
    return this.hosting.createEndpointConfig(request);
  }

  describeEndpointConfig(name: string): EndpointConfigDescription {
    return this.hosting.describeEndpointConfig(name);
  }

  createEndpoint(request: { EndpointName: string; EndpointConfigName: string }): { EndpointArn: string } {
    return this.hosting.createEndpoint(request);
  }

  updateEndpoint(request: UpdateEndpointRequest): { EndpointArn: string } {
    return this.hosting.updateEndpoint(request);
  }

  updateEndpointWeightsAndCapacities(
    request: Parameters<LocalHosting['updateEndpointWeightsAndCapacities']>[0],
  ): { EndpointArn: string } {
    return this.hosting.updateEndpointWeightsAndCapacities(request);
  }

  describeEndpoint(name: string): EndpointDescription {
    return this.hosting.describeEndpoint(name);
  }

  /** ListTags (endpoint configs carry theirs) */
  listTags(request: { ResourceArn: string }): { Tags: ResourceTag[] } {
    return this.hosting.listTags(request.ResourceArn);
  }

  /** SageMaker's own maintenance on an InService endpoint, for `ms` or until endSystemUpdate (tests of waiting out a busy endpoint) */
  beginSystemUpdate(endpoint: string, ms?: number): void {
    this.hosting.beginSystemUpdate(endpoint, ms);
  }

  /** ends the maintenance beginSystemUpdate started, before its time */
  endSystemUpdate(endpoint: string): void {
    this.hosting.endSystemUpdate(endpoint);
  }

  /** the state of a CloudWatch alarm a deployment's AutoRollbackConfiguration watches */
  setAlarmState(alarm: string, state: AlarmState): void {
    this.hosting.setAlarmState(alarm, state);
  }

  /** Scores a request with the model the endpoint serves (while Updating, still the old config's). */
  async invokeEndpoint(request: InvokeRequest): Promise<InvokeResult> {
    const endpoint = this.hosting.describeEndpoint(request.endpoint);
    if (endpoint.EndpointStatus === 'Creating' || endpoint.EndpointStatus === 'Failed') {
      throw new SageMakerValidationError(
        `Endpoint ${request.endpoint} is not ready (${endpoint.EndpointStatus}).`,
      );
    }
    const variant = this.hosting.servingVariant(request.endpoint, request.variant);
    const lines = await this.score(
      variant.ModelName,
      request.contentType ?? 'text/csv',
      textLines(request.body),
    );
    return { body: lines.join('\n'), invokedVariant: variant.VariantName, modelName: variant.ModelName };
  }

  // ---- helpers ----

  /** listens to what happens; returns the unsubscribe function */
  onEvent(listener: (event: SageMakerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** resolves once every job and endpoint change started so far has settled */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** an object's bytes, or null when there is none */
  private async readOptional(uri: string): Promise<Buffer | null> {
    const { bucket, key } = parseS3Uri(uri);
    const store = this.storeFor(bucket);
    if (!(await store.exists(key))) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of await store.getStream(key)) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks);
  }

  private async artifact(modelName: string): Promise<Buffer> {
    const cached = this.artifacts.get(modelName);
    if (cached) return cached;
    const model = this.models.get(modelName);
    if (!model) throw notFound('model', modelName);
    const url = model.PrimaryContainer.ModelDataUrl;
    if (!url) throw new SageMakerValidationError(`Model ${modelName} has no ModelDataUrl.`);
    const { bucket, key } = parseS3Uri(toS3Uri(url));
    const chunks: Buffer[] = [];
    for await (const chunk of await this.storeFor(bucket).getStream(key)) chunks.push(Buffer.from(chunk));
    const bytes = Buffer.concat(chunks);
    this.artifacts.set(modelName, bytes);
    return bytes;
  }

  private async score(
    modelName: string,
    contentType: string,
    records: readonly string[],
  ): Promise<readonly string[]> {
    const model = this.models.get(modelName);
    if (!model) throw notFound('model', modelName);
    const lines = await this.options.scorer.score({
      modelName,
      image: model.PrimaryContainer.Image ?? '',
      artifact: await this.artifact(modelName),
      contentType,
      records,
    });
    if (lines.length !== records.length) {
      throw new Error(`model ${modelName} answered ${lines.length} line(s) for ${records.length} record(s)`);
    }
    return lines;
  }

  private async readPrefix(uri: string): Promise<ChannelFile[]> {
    const { bucket, key } = parseS3Uri(toS3Uri(uri));
    const store: ObjectStore = this.storeFor(bucket);
    const files: ChannelFile[] = [];
    for (const objectKey of await listKeys(store, key)) {
      const chunks: Buffer[] = [];
      for await (const chunk of await store.getStream(objectKey)) chunks.push(Buffer.from(chunk));
      files.push({ key: objectKey, body: Buffer.concat(chunks) });
    }
    return files;
  }

  private async write(uri: string, body: Uint8Array | string, contentType: string): Promise<void> {
    const { bucket, key } = parseS3Uri(uri);
    await this.storeFor(bucket).put(key, body, contentType);
  }

  private background(delayMs: number | undefined, work: () => Promise<void>): void {
    const task = new Promise<void>((resolve) => setTimeout(resolve, delayMs ?? 0)).then(work);
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  private emit(kind: SageMakerEvent['kind'], name: string, detail?: string): void {
    const event: SageMakerEvent = {
      at: this.stamp(),
      kind,
      name,
      ...(detail === undefined ? {} : { detail }),
    };
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  private arn(resource: string, name: string): string {
    const region = this.options.region ?? 'us-east-1';
    const account = this.options.accountId ?? '123456789012';
    return `arn:aws:sagemaker:${region}:${account}:${resource}/${name}`;
  }
}
