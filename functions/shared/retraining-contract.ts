import type { ModelConfig } from './config/model-schema.ts';
import type { RetrainingConfig } from './config/retraining-schema.ts';
import type {
  BaselineRequestedDetail,
  EventTrigger,
  ModelJobInput,
  RetrainingRequestedDetail,
} from './events.ts';
import { STORE_PREFIXES } from './store-layout.ts';

/**
 * The payloads of the retraining state machine (lib/constructs/retraining-workflow.ts), one per Lambda step.
 * The state machine builds each step's `Payload` from the `*Input` type and keeps the fields of the `*Result`
 * type with a `resultSelector` over `$.Payload`; lib/ type-checks both mappings against these interfaces, so a
 * handler that implements them receives and returns exactly what the state machine passes.
 *
 * Rules for handlers:
 * - return every field of the result type; use `null`, never omit (a missing field fails the JSONPath);
 * - be idempotent per `execution.name`: Step Functions retries a step after Lambda service errors;
 * - throw to fail a step: every step's Catch leads to rollback -> release lock -> critical alert -> Fail.
 */

/**
 * How long one execution may run: training, holdout scoring, the approval wait, deployment and rollback (the state
 * machine's timeout). acquire-lock must give its lock at least this expiry: a timed-out execution runs no Catch,
 * so its lock is released only by expiring. Two busy-endpoint waits are counted: one before promotion, one in
 * rollback.
 */
export const retrainingTimeoutMinutes = (
  retraining: Pick<RetrainingConfig, 'maxRuntimeMinutes' | 'approvalTimeoutHours'> & {
    readonly deployment: Pick<RetrainingConfig['deployment'], 'maxMinutes' | 'busyWaitMinutes'>;
  },
): number =>
  retraining.maxRuntimeMinutes +
  (retraining.approvalTimeoutHours + 4) * 60 +
  retraining.deployment.maxMinutes +
  2 * retraining.deployment.busyWaitMinutes;

/**
 * The one state machine's timeout: `retrainingTimeoutMinutes` of the largest settings the schema allows
 * (retraining-schema.ts maxima), about 60 days. Each model's execution is bounded sooner by its own settings
 * (the training stopping condition, the approval timeout, the deployment and busy-wait budgets), which is what its
 * lock's expiry covers; this ceiling only stops an execution no bound caught.
 */
export const RETRAINING_TIMEOUT_CEILING_MINUTES = retrainingTimeoutMinutes({
  maxRuntimeMinutes: 40320,
  approvalTimeoutHours: 720,
  deployment: { maxMinutes: 240, busyWaitMinutes: 1440 },
});

/**
 * Where training jobs write their artifacts (`<prefix><jobName>/output/model.tar.gz`) and prepare-data the
 * encoder beside them: `training/<model>/artifacts/`.
 */
export const trainingArtifactsPrefix = (model: string): string =>
  `${STORE_PREFIXES.training}${model}/artifacts/`;

/**
 * Endpoint statuses that pass: promotion and rollback wait them out (bounded by `deployment.busyWaitMinutes`).
 * InService goes on; anything else (Failed, OutOfService, Deleting, UpdateRollbackFailed) needs a person.
 */
export const ENDPOINT_BUSY_STATUSES = ['Creating', 'Updating', 'SystemUpdating', 'RollingBack'] as const;

/** minutes between two DescribeEndpoint polls of the deployment and rollback loops: one poll is one minute */
export const ENDPOINT_POLL_MINUTES = 1;

/** the execution, from the context object ($$.Execution) */
export interface ExecutionRef {
  readonly id: string;
  readonly name: string;
  readonly startTime: string;
}

/**
 * The execution input: what the stack's one `Retraining Requested` rule sends. The model is the event's
 * `detail.model` (and `detail.configVersion`, when an event pins one); the load-model step reads its config.
 */
export interface RetrainingExecutionInput {
  readonly trigger: EventTrigger<RetrainingRequestedDetail & { readonly configVersion?: number }>;
}

// ---- load-model (functions/retraining/load-model/handler.ts; the first step) ----

export interface LoadModelInput {
  readonly execution: ExecutionRef;
  readonly trigger: RetrainingExecutionInput['trigger'];
}

/**
 * `$.settings`: every per-model value the SageMaker states read by JSONPath, computed once from the config (Step
 * Functions cannot multiply minutes into seconds, nor build an ARN from a role name).
 */
export interface RetrainingSettings {
  /** the version of the config this execution runs with */
  readonly configVersion: number;
  /** the model's access role: every SageMaker state runs with it (`Credentials`) */
  readonly accessRoleArn: string;
  /** SageMaker's execution role for the model's training, transform and hosting */
  readonly trainingRoleArn: string;
  readonly trainingImage: string;
  /** the training image when the config names no inference image */
  readonly inferenceImage: string;
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly volumeSizeGb: number;
  readonly maxRuntimeSeconds: number;
  /** SageMaker takes strings only */
  readonly hyperparameters: Record<string, string>;
  /** `s3://<store>/training/<model>/artifacts/` */
  readonly artifactsUri: string;
  readonly transformInstanceType: string;
  readonly approvalTimeoutSeconds: number;
  /** false skips inspecting, promoting to and restoring an endpoint: promotion moves the registry only */
  readonly hasEndpoint: boolean;
}

/**
 * The model the trigger names, at the version it pins or the current one. A model without `retraining` loads
 * with `retrains: false` (model and settings null): the execution ends in its NotRetrainable state, having
 * changed nothing. An unknown or removed model fails the step.
 */
export interface LoadModelResult {
  readonly retrains: boolean;
  readonly modelName: string;
  readonly model: ModelConfig | null;
  readonly settings: RetrainingSettings | null;
}

/** `$.failure`, the error a Catch recorded */
export interface FailureInfo {
  readonly Error: string;
  readonly Cause: string;
}

// ---- acquire-lock (functions/retraining/acquire-lock/handler.ts) ----

export interface AcquireLockInput {
  readonly model: ModelConfig;
  readonly execution: ExecutionRef;
  readonly trigger: RetrainingExecutionInput['trigger'];
}

/**
 * A conditional write on the state table item `LOCK#<model>#retraining` with an expiry of at least
 * `retrainingTimeoutMinutes` (so a lock outlives no crashed or timed-out execution), refusing when another execution holds it, when the last run ended less than
 * `retraining.cooldownHours` ago, or when `retraining.maxRunsPerDay` runs started in the last 24 hours.
 */
export interface AcquireLockResult {
  readonly acquired: boolean;
  readonly reason: 'acquired' | 'held' | 'cooldown' | 'daily-limit';
  /** null when not acquired */
  readonly lockId: string | null;
  /** ISO-8601; null when not acquired */
  readonly expiresAt: string | null;
}

// ---- inspect-endpoint (functions/retraining/inspect-endpoint/handler.ts; endpoint models only) ----

export interface InspectEndpointInput {
  readonly model: ModelConfig;
  readonly execution: ExecutionRef;
  readonly lock: AcquireLockResult;
}

/**
 * `$.current`: what serves the model now (the endpoint config rollback returns to) and, once a promotion is
 * planned, the restore point: a copy of that config under a `<model>-` name, so IAM can be scoped to the model's
 * own names. Filled by inspect-endpoint, refreshed by plan-promotion just before the endpoint changes.
 */
export interface CurrentEndpoint {
  readonly endpointName: string;
  readonly endpointConfigName: string;
  readonly endpointStatus: string;
  /** the monitored variant (`endpoint.variant`) and the SageMaker model it serves */
  readonly variantName: string;
  readonly modelName: string;
  /** the registry version this execution registered as champion because the registry had none; else null */
  readonly adoptedChampionVersion: number | null;
  /** `<jobName>-prev`, the copy rollback returns to; null until a promotion is planned */
  readonly restoreConfigName: string | null;
}

// ---- prepare-data (functions/retraining/prepare-data/handler.ts) ----

export interface PrepareDataInput {
  readonly model: ModelConfig;
  readonly execution: ExecutionRef;
  readonly lock: AcquireLockResult;
}

export interface HoldoutPlan {
  /** s3:// prefix of the holdout features (CSV without header or label, one record a line) */
  readonly inputUri: string;
  /** s3:// URI of the holdout labels, aligned line by line with inputUri */
  readonly labelsUri: string;
  readonly contentType: string;
  /** unique per execution, at most 63 characters */
  readonly challengerTransformJobName: string;
  readonly challengerOutputUri: string;
  readonly championTransformJobName: string;
  readonly championOutputUri: string;
}

export interface PrepareDataResult {
  /**
   * `<model>-<yyyyMMddHHmmss>-<4 hex>`, deterministic per execution, at most 63 characters: the training job,
   * the challenger model and its endpoint config all take this name.
   */
  readonly jobName: string;
  /** s3:// prefix per configured channel name (every `retraining.inputChannels[].name` must be present) */
  readonly channelUris: Record<string, string>;
  /** the training job's InputDataConfig: one S3-prefix channel per configured channel, in its content type */
  readonly inputDataConfig: readonly TrainingChannel[];
  /** s3:// URI of the data manifest (sources with content hashes, record counts, time range) */
  readonly manifestUri: string;
  readonly manifestSha256: string;
  readonly recordCount: number;
  /** the dataset the new baseline is computed from after promotion */
  readonly baselineDatasetUri: string;
  readonly holdout: HoldoutPlan;
  /** the SageMaker model of the current champion, scored on the same holdout; null when there is none */
  readonly championModelName: string | null;
  readonly championVersion: number | null;
  /** the fitted feature encoder (TrainingEncoder), saved beside the model artifact */
  readonly encoder: { readonly uri: string; readonly sha256: string };
}

/** one channel of CreateTrainingJob's InputDataConfig, in the API's field names */
export interface TrainingChannel {
  readonly ChannelName: string;
  readonly ContentType: string;
  readonly DataSource: {
    readonly S3DataSource: {
      readonly S3DataType: 'S3Prefix';
      readonly S3Uri: string;
      readonly S3DataDistributionType: 'FullyReplicated';
    };
  };
}

/**
 * `encoder.json`, beside the model artifact (`<training output>/<jobName>/encoder.json`): how prepare-data turned
 * the model's features into the channels' columns, so whatever serves the model can encode a request the same
 * way (an inference pipeline's first container, or a custom training image that bundles it into its artifact).
 */
export interface TrainingEncoder {
  readonly formatVersion: 1;
  readonly model: string;
  readonly categoricalEncoding: 'one-hot' | 'ordinal' | 'none';
  /** CSV channels: where the label column is; JSON Lines channels hold it as `label` unless `none` */
  readonly labelColumn: 'first' | 'last' | 'none';
  readonly header: boolean;
  readonly label: {
    readonly problemType: 'binary' | 'multiclass' | 'regression';
    /**
     * multiclass with an encoding: the class written as `i` is `classes[i]`; binary: `["0","1"]`, 1 being the
     * model's positiveLabel; null when labels are written as they are
     */
    readonly classes: readonly string[] | null;
  };
  /** every feature in config order, with the columns it became */
  readonly features: readonly {
    readonly name: string;
    readonly type: 'numerical' | 'categorical';
    /** categorical: the categories seen in the training data, sorted; column i of one-hot / index i of ordinal */
    readonly categories: readonly string[] | null;
    readonly columns: readonly string[];
  }[];
  /** the feature columns in written order (without the label) */
  readonly columns: readonly string[];
}

// ---- train (native createTrainingJob.sync) ----

/** `$.training`, selected from DescribeTrainingJob's shape */
export interface TrainingResult {
  readonly trainingJobName: string;
  readonly trainingJobArn: string;
  /** s3:// URI of model.tar.gz */
  readonly modelArtifactsUri: string;
}

// ---- evaluate (functions/retraining/evaluate/handler.ts) ----

export interface EvaluateInput {
  readonly model: ModelConfig;
  readonly execution: ExecutionRef;
  readonly data: PrepareDataResult;
  readonly training: TrainingResult;
}

export interface EvaluateResult {
  /**
   * promote: better by `minImprovement` and `approval` is auto; needs-approval: better and approval is manual;
   * reject: not better (or no usable predictions).
   */
  readonly decision: 'promote' | 'needs-approval' | 'reject';
  readonly primaryMetric: string;
  /** metrics of the challenger on the holdout, by the names in QUALITY_METRICS */
  readonly challenger: Record<string, number>;
  /** the champion's on the same holdout; null without a champion */
  readonly champion: Record<string, number> | null;
  /** challenger minus champion on the primary metric, sign-adjusted so positive is better; null without one */
  readonly improvement: number | null;
  /** one line a person can act on */
  readonly summary: string;
}

// ---- register-version (functions/retraining/register-version/handler.ts) ----

export interface RegisterVersionInput {
  readonly model: ModelConfig;
  readonly execution: ExecutionRef;
  readonly data: PrepareDataResult;
  readonly training: TrainingResult;
  readonly evaluation: EvaluateResult;
}

/** registry item `MODEL#<model>` / `VERSION#<zero-padded version>` with hyperparameters, manifest, metrics */
export interface RegisterVersionResult {
  readonly version: number;
  readonly registeredAt: string;
}

// ---- manual approval (SNS publish with a task token) ----

/** the JSON message published to the warning topic; a person answers with send-task-success */
export interface ApprovalRequestMessage {
  readonly kind: 'approval-request';
  readonly model: string;
  readonly executionId: string;
  readonly taskToken: string;
  readonly jobName: string;
  readonly version: RegisterVersionResult;
  readonly evaluation: EvaluateResult;
  readonly howToAnswer: string;
}

/** the task output a person sends: `aws stepfunctions send-task-success --task-output '{"approved":true}'` */
export interface ApprovalResponse {
  readonly approved: boolean;
  readonly approver?: string;
  readonly comment?: string;
}

/** `$.approval`; `requested: false` until an approval was asked for */
export interface ApprovalRecord {
  readonly requested: boolean;
  readonly approved: boolean | null;
  readonly response: ApprovalResponse | null;
}

// ---- plan-promotion (functions/retraining/plan-promotion/handler.ts; endpoint models only) ----

export interface PlanPromotionInput {
  readonly model: ModelConfig;
  readonly execution: ExecutionRef;
  readonly data: PrepareDataResult;
  /** what inspect-endpoint saw (its adopted champion is carried over) */
  readonly current: CurrentEndpoint;
}

/** a SageMaker API request as JSON, passed whole to a state (`InputPath`) */
export type SageMakerRequest = Readonly<Record<string, unknown>>;

/**
 * `$.promotion`: the live endpoint read again just before it changes, and the requests the state machine sends:
 * the challenger's endpoint config (the live one with only the monitored variant's model swapped), the restore
 * point (the live one copied under a `<model>-` name) and the UpdateEndpoint with SageMaker's deployment
 * guardrails (blue/green traffic shifting, automatic rollback on the configured alarms).
 */
export interface PromotionPlan {
  readonly current: CurrentEndpoint;
  readonly challengerConfig: SageMakerRequest;
  readonly restoreConfig: SageMakerRequest;
  readonly update: SageMakerRequest;
  /** DescribeEndpoint polls the deployment may take before the execution gives up on it */
  readonly pollBudget: number;
  /** one line: what changes, what stays */
  readonly summary: string;
}

/** `$.deployment`, from the DescribeEndpoint polls of the deployment and of the rollback */
export interface DeploymentStatus {
  readonly endpointStatus: string;
  readonly endpointConfigName: string;
}

/** `$.waits`: DescribeEndpoint polls so far, per loop; each loop gives up at its budget */
export interface WaitCounts {
  readonly promotion: number;
  readonly deployment: number;
  readonly restore: number;
}

/**
 * `$.endpointRestore`: the failure path's return of the endpoint to the restore point. `pending` while it waits;
 * `unchanged` when the endpoint still (or again, after SageMaker's own rollback) serves the config from before;
 * `restored` after an UpdateEndpoint back; `escalated` when it could not (a Failed endpoint, a call that failed,
 * or still busy after `deployment.busyWaitMinutes`): a person must look.
 */
export interface EndpointRestore {
  readonly outcome: 'pending' | 'unchanged' | 'restored' | 'escalated';
  /** whether the failure path sent UpdateEndpoint */
  readonly requested: boolean;
  /** the last DescribeEndpoint; null before the first */
  readonly observed: DeploymentStatus | null;
  /** one line a person can act on; null while pending */
  readonly detail: string | null;
}

// ---- record-outcome (functions/retraining/record-outcome/handler.ts) ----

export interface RecordOutcomeInput {
  readonly model: ModelConfig;
  readonly execution: ExecutionRef;
  readonly outcome: 'promoted' | 'rejected';
  readonly version: RegisterVersionResult;
  readonly evaluation: EvaluateResult;
  readonly approval: ApprovalRecord;
  /** the new endpoint state after a promotion to an endpoint; null otherwise */
  readonly deployment: DeploymentStatus | null;
}

/** promoted: the version becomes CHAMPION in the registry; rejected: it is marked rejected */
export interface RecordOutcomeResult {
  readonly version: number;
  readonly status: 'champion' | 'rejected';
  readonly championVersion: number | null;
}

// ---- new baseline (the baseline job, invoked synchronously) ----

/** the baseline job's input from the state machine: the same envelope as from EventBridge */
export type BaselineJobInput = ModelJobInput<BaselineRequestedDetail>;

/** what the baseline job returns (the EventBridge path ignores it) */
export interface BaselineJobResult {
  readonly version: number;
  readonly statisticsUri: string;
  readonly constraintsUri: string;
}

// ---- release-lock (functions/retraining/release-lock/handler.ts) ----

export interface ReleaseLockInput {
  readonly model: ModelConfig;
  readonly execution: ExecutionRef;
  /** null when the execution failed before or while acquiring the lock */
  readonly lock: AcquireLockResult | null;
}

/**
 * Releases only the lock this execution holds (conditional on lockId) and records the run's end for the cooldown;
 * `released: false` when there was nothing to release.
 */
export interface ReleaseLockResult {
  readonly released: boolean;
}

// ---- rollback (functions/retraining/rollback/handler.ts) ----

/** every slot is null when the failure happened before the step that fills it */
export interface RollbackInput {
  readonly model: ModelConfig;
  readonly execution: ExecutionRef;
  readonly failure: FailureInfo;
  /** what the failure path did to the endpoint before this step; null when there was nothing to restore */
  readonly endpointRestore: EndpointRestore | null;
  readonly data: PrepareDataResult | null;
  readonly version: RegisterVersionResult | null;
  /** set when the failure came after RecordPromotion (new baseline or lock release): the champion moved */
  readonly outcome: RecordOutcomeResult | null;
}

/**
 * Puts the registry back (the previous champion when `outcome` says it moved; a registered version marked
 * `rolled-back`) and says in one line what happened to the endpoint and the registry. The endpoint itself is
 * returned by the state machine before this step (`endpointRestore`). Must be safe to run when nothing was
 * changed yet.
 */
export interface RollbackResult {
  /** whether the endpoint or the champion had to be moved back */
  readonly rolledBack: boolean;
  /** the config the endpoint serves after the restore; null when it was not looked at */
  readonly endpointConfigName: string | null;
  readonly detail: string;
}

/** the JSON message published to the critical topic before the execution fails */
export interface RetrainingFailedMessage {
  readonly kind: 'retraining-failed';
  readonly model: string;
  readonly executionId: string;
  readonly failure: FailureInfo;
  /** what happened to the endpoint; null for models without one, or failures before it was looked at */
  readonly endpoint: EndpointRestore | null;
  /** the rollback's result, or the error it failed with */
  readonly rollback: RollbackResult | FailureInfo;
}

/**
 * The state after the Initialize step; each step fills its slot (`resultPath`). Slots not reached yet are null,
 * so later steps and the rollback can pass them whole.
 */
/** the machine's state: the execution input's trigger, the model's config and settings as load-model read them */
export interface RetrainingState extends RetrainingExecutionInput {
  readonly model: ModelConfig;
  readonly settings: RetrainingSettings;
  readonly execution: ExecutionRef;
  readonly lock: AcquireLockResult | null;
  readonly current: CurrentEndpoint | null;
  readonly data: PrepareDataResult | null;
  readonly training: TrainingResult | null;
  readonly evaluation: EvaluateResult | null;
  readonly version: RegisterVersionResult | null;
  readonly approval: ApprovalRecord;
  readonly promotion: PromotionPlan | null;
  readonly deployment: DeploymentStatus | null;
  readonly waits: WaitCounts;
  readonly endpointRestore: EndpointRestore | null;
  readonly outcome: RecordOutcomeResult | null;
  readonly baseline: BaselineJobResult | null;
  /** the lock release's result, or the error it failed with on the failure path */
  readonly release: ReleaseLockResult | FailureInfo | null;
  readonly failure: FailureInfo | null;
  /** the error of a failed DescribeEndpoint or UpdateEndpoint while restoring the endpoint */
  readonly restoreError: FailureInfo | null;
  readonly rollback: RollbackResult | FailureInfo | null;
}

/** the Lambda steps of the state machine and their handler directories under functions/retraining/ */
export const RETRAINING_STEPS = [
  'load-model',
  'acquire-lock',
  'inspect-endpoint',
  'prepare-data',
  'evaluate',
  'register-version',
  'plan-promotion',
  'record-outcome',
  'rollback',
  'release-lock',
] as const;
export type RetrainingStep = (typeof RETRAINING_STEPS)[number];
