import type { ModelConfig } from './config/model-schema.ts';
import type { RetrainingConfig } from './config/retraining-schema.ts';
import type { BaselineRequestedDetail, ModelJobInput, RetrainingRequestedDetail } from './events.ts';

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
 * How long one execution may run: training, holdout scoring, the approval wait and deployment (the state
 * machine's timeout). acquire-lock must give its lock at least this expiry: a timed-out execution runs no Catch,
 * so its lock is released only by expiring.
 */
export const retrainingTimeoutMinutes = (
  retraining: Pick<RetrainingConfig, 'maxRuntimeMinutes' | 'approvalTimeoutHours'>,
): number => retraining.maxRuntimeMinutes + (retraining.approvalTimeoutHours + 4) * 60;

/** the execution, from the context object ($$.Execution) */
export interface ExecutionRef {
  readonly id: string;
  readonly name: string;
  readonly startTime: string;
}

/** the execution input: what the per-model `Retraining Requested` rule sends (the usual ModelJobInput) */
export type RetrainingExecutionInput = ModelJobInput<RetrainingRequestedDetail>;

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

// ---- describe the endpoint before changing it (native SDK task, no handler) ----

/** `$.current`: the endpoint's config before retraining, what rollback returns to (endpoint models only) */
export interface CurrentEndpoint {
  readonly endpointConfigName: string;
  readonly endpointStatus: string;
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

// ---- promotion (native CreateEndpointConfig, UpdateEndpoint, DescribeEndpoint poll; endpoint models only) ----

/** `$.deployment`, from the DescribeEndpoint poll */
export interface DeploymentStatus {
  readonly endpointStatus: string;
  readonly endpointConfigName: string;
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
  readonly current: CurrentEndpoint | null;
  readonly data: PrepareDataResult | null;
  readonly version: RegisterVersionResult | null;
  /** set when the failure came after RecordPromotion (new baseline or lock release): the champion moved */
  readonly outcome: RecordOutcomeResult | null;
}

/**
 * Returns the endpoint to `current.endpointConfigName` when it now points elsewhere (UpdateEndpoint), and marks
 * a registered version `rolled-back` (restoring the previous champion when `outcome` says it moved). Must be
 * safe to run when nothing was changed yet.
 */
export interface RollbackResult {
  readonly rolledBack: boolean;
  readonly endpointConfigName: string | null;
  readonly detail: string;
}

/** the JSON message published to the critical topic before the execution fails */
export interface RetrainingFailedMessage {
  readonly kind: 'retraining-failed';
  readonly model: string;
  readonly executionId: string;
  readonly failure: FailureInfo;
  /** the rollback's result, or the error it failed with */
  readonly rollback: RollbackResult | FailureInfo;
}

/**
 * The state after the Initialize step; each step fills its slot (`resultPath`). Slots not reached yet are null,
 * so later steps and the rollback can pass them whole.
 */
export interface RetrainingState extends RetrainingExecutionInput {
  readonly execution: ExecutionRef;
  readonly lock: AcquireLockResult | null;
  readonly current: CurrentEndpoint | null;
  readonly data: PrepareDataResult | null;
  readonly training: TrainingResult | null;
  readonly evaluation: EvaluateResult | null;
  readonly version: RegisterVersionResult | null;
  readonly approval: ApprovalRecord;
  readonly deployment: DeploymentStatus | null;
  readonly outcome: RecordOutcomeResult | null;
  readonly baseline: BaselineJobResult | null;
  /** the lock release's result, or the error it failed with on the failure path */
  readonly release: ReleaseLockResult | FailureInfo | null;
  readonly failure: FailureInfo | null;
  readonly rollback: RollbackResult | FailureInfo | null;
}

/** the Lambda steps of the state machine and their handler directories under functions/retraining/ */
export const RETRAINING_STEPS = [
  'acquire-lock',
  'prepare-data',
  'evaluate',
  'register-version',
  'record-outcome',
  'rollback',
  'release-lock',
] as const;
export type RetrainingStep = (typeof RETRAINING_STEPS)[number];
