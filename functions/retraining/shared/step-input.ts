import * as z from 'zod';
import { InvalidEventError } from '../../handler-kit/invalid-event-error.ts';
import type { ModelConfig } from '../../shared/config/model-schema.ts';
import { parseModelConfig } from '../../shared/config/parse-config.ts';
import type { RetrainingConfig } from '../../shared/config/retraining-schema.ts';
import type {
  AcquireLockResult,
  ApprovalRecord,
  CurrentEndpoint,
  DeploymentStatus,
  EndpointRestore,
  EvaluateResult,
  ExecutionRef,
  FailureInfo,
  HoldoutPlan,
  PrepareDataResult,
  RecordOutcomeResult,
  RegisterVersionResult,
  TrainingResult,
} from '../../shared/retraining-contract.ts';

/**
 * Zod schemas of the payloads the retraining state machine hands its Lambda steps (retraining-contract.ts),
 * and the one parse every step calls at its edge. Each schema is typed against its contract interface, so a
 * contract change breaks the type check here before it breaks an execution.
 */

/** the model in the event has no `retraining` section, so no step can run for it */
export class RetrainingNotConfiguredError extends Error {
  override readonly name = 'RetrainingNotConfiguredError';
  constructor(readonly model: string) {
    super(`event.model.retraining: model ${model} has no retraining section`);
  }
}

export type RetrainableModel = ModelConfig & { retraining: RetrainingConfig };

const isoInstant = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'is not an ISO-8601 instant');
const s3Uri = z.string().regex(/^s3:\/\/[^/]+(\/.*)?$/, 'is not an s3:// URI');
const name = z.string().min(1);
const metrics = z.record(z.string(), z.number());

export const executionRefSchema: z.ZodType<ExecutionRef> = z.object({
  id: name,
  name,
  startTime: isoInstant,
});

export const lockResultSchema: z.ZodType<AcquireLockResult> = z.object({
  acquired: z.boolean(),
  reason: z.enum(['acquired', 'held', 'cooldown', 'daily-limit']),
  lockId: z.string().nullable(),
  expiresAt: isoInstant.nullable(),
});

const holdoutSchema: z.ZodType<HoldoutPlan> = z.object({
  inputUri: s3Uri,
  labelsUri: s3Uri,
  contentType: name,
  challengerTransformJobName: name,
  challengerOutputUri: s3Uri,
  championTransformJobName: name,
  championOutputUri: s3Uri,
});

export const preparedDataSchema: z.ZodType<PrepareDataResult> = z.object({
  jobName: name,
  channelUris: z.record(z.string(), s3Uri),
  inputDataConfig: z.array(
    z.object({
      ChannelName: name,
      ContentType: name,
      DataSource: z.object({
        S3DataSource: z.object({
          S3DataType: z.literal('S3Prefix'),
          S3Uri: s3Uri,
          S3DataDistributionType: z.literal('FullyReplicated'),
        }),
      }),
    }),
  ),
  manifestUri: s3Uri,
  manifestSha256: z.string().regex(/^[0-9a-f]{64}$/, 'is not a hex sha256'),
  recordCount: z.number().int().min(0),
  baselineDatasetUri: s3Uri,
  holdout: holdoutSchema,
  championModelName: z.string().nullable(),
  championVersion: z.number().int().positive().nullable(),
  encoder: z.object({ uri: s3Uri, sha256: z.string().regex(/^[0-9a-f]{64}$/, 'is not a hex sha256') }),
});

export const trainingResultSchema: z.ZodType<TrainingResult> = z.object({
  trainingJobName: name,
  trainingJobArn: name,
  modelArtifactsUri: s3Uri,
});

export const evaluationSchema: z.ZodType<EvaluateResult> = z.object({
  decision: z.enum(['promote', 'needs-approval', 'reject']),
  primaryMetric: name,
  challenger: metrics,
  champion: metrics.nullable(),
  improvement: z.number().nullable(),
  summary: z.string(),
});

export const versionSchema: z.ZodType<RegisterVersionResult> = z.object({
  version: z.number().int().positive(),
  registeredAt: isoInstant,
});

export const approvalSchema: z.ZodType<ApprovalRecord> = z.object({
  requested: z.boolean(),
  approved: z.boolean().nullable(),
  response: z
    .object({
      approved: z.boolean(),
      approver: z.string().optional(),
      comment: z.string().optional(),
    })
    .nullable(),
});

export const deploymentSchema: z.ZodType<DeploymentStatus> = z.object({
  endpointStatus: name,
  endpointConfigName: name,
});

export const currentEndpointSchema: z.ZodType<CurrentEndpoint> = z.object({
  endpointName: name,
  endpointConfigName: name,
  endpointStatus: name,
  variantName: name,
  modelName: name,
  adoptedChampionVersion: z.number().int().positive().nullable(),
  restoreConfigName: name.nullable(),
});

export const endpointRestoreSchema: z.ZodType<EndpointRestore> = z.object({
  outcome: z.enum(['pending', 'unchanged', 'restored', 'escalated']),
  requested: z.boolean(),
  observed: deploymentSchema.nullable(),
  detail: z.string().nullable(),
});

export const outcomeSchema: z.ZodType<RecordOutcomeResult> = z.object({
  version: z.number().int().positive(),
  status: z.enum(['champion', 'rejected']),
  championVersion: z.number().int().positive().nullable(),
});

export const failureSchema: z.ZodType<FailureInfo> = z.object({ Error: z.string(), Cause: z.string() });

const describeIssue = (issue: z.core.$ZodIssue): string => {
  const path = issue.path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('');
  return `event${path}: ${issue.message}`;
};

/**
 * Parses a step's event: `model` with the shared config schema (so defaults resolved at synth survive), the
 * rest with the step's schema. Throws InvalidEventError (the handlers' shared error for malformed events) naming the first bad field, e.g.
 * `prepare-data: event.execution.startTime: is not an ISO-8601 instant`.
 */
export const parseStepInput = <Shape extends z.ZodRawShape>(
  step: string,
  shape: Shape,
  input: unknown,
): z.output<z.ZodObject<Shape>> & { model: RetrainableModel } => {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidEventError(`${step}: event: expected an object`);
  }
  const result = z.object(shape).safeParse(input);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new InvalidEventError(`${step}: ${first ? describeIssue(first) : 'event: invalid'}`);
  }
  const raw = (input as { model?: unknown }).model;
  let model: ModelConfig;
  try {
    model = parseModelConfig(raw, 'event.model');
  } catch (error) {
    throw new InvalidEventError(`${step}: ${(error as Error).message}`);
  }
  if (!model.retraining) throw new RetrainingNotConfiguredError(model.name);
  return { ...result.data, model: model as RetrainableModel };
};
