import { z } from 'zod';
import { ecrImage, mlInstanceType, s3Uri, uniqueBy } from './zod-primitives.ts';

/** A model's `retraining` section: what the retraining workflow trains, how it judges and when it may run. */
export const retrainingSchema = z.strictObject({
  trainingImage: ecrImage,
  /** @default - the training image (SageMaker's built-in algorithms serve from the training image) */
  inferenceImage: ecrImage.optional(),
  instanceType: mlInstanceType.default('ml.m5.xlarge'),
  instanceCount: z.number().int().min(1).max(100).default(1),
  volumeSizeGb: z.number().int().min(1).max(16384).default(30),
  maxRuntimeMinutes: z.number().int().min(1).max(40320).default(120),
  /** SageMaker takes hyperparameters as strings; numbers and booleans are converted */
  hyperparameters: z
    .record(
      z.string(),
      z
        .union([z.string(), z.number(), z.boolean()], { error: 'must be a string, number or boolean' })
        .transform(String),
    )
    .default({}),
  /** training channels; prepare-data copies each source and appends recent labelled capture */
  inputChannels: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[A-Za-z0-9.\-_]{1,64}$/, 'is not a SageMaker channel name'),
        s3Uri,
        contentType: z.string().default('text/csv'),
      }),
    )
    .min(1)
    .superRefine(uniqueBy('name', 'channel name')),
  /** share of the prepared data held out to compare challenger and champion */
  holdoutFraction: z.number().gt(0).lt(0.5).default(0.2),
  /** @default - aucRoc (binary), macroF1 (multiclass), rmse (regression) */
  primaryMetric: z.string().optional(),
  /** how much the challenger must beat the champion by on the primary metric (absolute) */
  minImprovement: z.number().min(0).default(0),
  /** auto promotes a better challenger; manual asks a person through SNS and waits for the task token */
  approval: z.enum(['auto', 'manual']).default('manual'),
  approvalTimeoutHours: z.number().int().min(1).max(720).default(24),
  /**
   * whether alerts may start retraining at all; when false only a "Retraining Requested" event does. The
   * name is historical: see triggerChecks and triggerAfterWindows for which alerts do.
   */
  startOnCritical: z.boolean().default(true),
  /**
   * the checks whose violations may start retraining. By default only the ones that labels confirm: a model
   * retrained on input drift alone learns from data that still carries the old answers.
   */
  triggerChecks: z
    .array(
      z.enum([
        'model_quality_check',
        'concept_drift_check',
        'baseline_drift_check',
        'data_type_check',
        'completeness_check',
        'fairness_check',
      ]),
    )
    .default(['model_quality_check', 'concept_drift_check']),
  /** a trigger check starts retraining when critical, or when violated in this many consecutive windows */
  triggerAfterWindows: z.number().int().min(1).default(2),
  cooldownHours: z.number().min(0).default(24),
  maxRunsPerDay: z.number().int().min(1).default(1),
  /** instances that score the holdout in batch transform */
  transformInstanceType: mlInstanceType.default('ml.m5.large'),
  /** the promoted production variant */
  hosting: z
    .strictObject({
      instanceType: mlInstanceType.default('ml.m5.large'),
      instanceCount: z.number().int().min(1).default(1),
    })
    .prefault({}),
});
export type RetrainingConfig = z.output<typeof retrainingSchema>;
