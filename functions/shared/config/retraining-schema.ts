import { z } from 'zod';
import { doc, ecrImage, mlInstanceType, s3Uri, uniqueBy } from './zod-primitives.ts';

/** A model's `retraining` section: what the retraining workflow trains, how it judges and when it may run. */
export const retrainingSchema = z.strictObject({
  trainingImage: ecrImage.meta(doc('ECR image URI of the training container')),
  // SageMaker's built-in algorithms serve from the training image
  inferenceImage: ecrImage
    .optional()
    .meta(doc('ECR image URI for hosting and batch transform', 'the training image')),
  instanceType: mlInstanceType.default('ml.m5.xlarge').meta(doc('training instance type')),
  instanceCount: z.number().int().min(1).max(100).default(1).meta(doc('training instances')),
  volumeSizeGb: z.number().int().min(1).max(16384).default(30).meta(doc('training volume per instance (GB)')),
  maxRuntimeMinutes: z.number().int().min(1).max(40320).default(120).meta(doc('training stopping condition')),
  hyperparameters: z
    .record(
      z.string(),
      z
        .union([z.string(), z.number(), z.boolean()], { error: 'must be a string, number or boolean' })
        .transform(String),
    )
    .default({})
    .meta(
      doc('passed to the training job (SageMaker takes strings: numbers and booleans are converted)', '`{}`'),
    ),
  inputChannels: z
    .array(
      z.strictObject({
        name: z
          .string()
          .regex(/^[A-Za-z0-9.\-_]{1,64}$/, 'is not a SageMaker channel name')
          .meta(doc('SageMaker channel name')),
        s3Uri: s3Uri.meta(doc("the channel's source data")),
        contentType: z.string().default('text/csv').meta(doc("the channel's content type")),
      }),
    )
    .min(1)
    .superRefine(uniqueBy('name', 'channel name'))
    .meta(doc('training channels; prepare-data copies each source and adds recent labelled capture')),
  holdoutFraction: z
    .number()
    .gt(0)
    .lt(0.5)
    .default(0.2)
    .meta(doc('share of the prepared data held out to compare challenger and champion')),
  primaryMetric: z
    .string()
    .optional()
    .meta(
      doc(
        'metric the challenger must beat the champion on',
        '`aucRoc` (binary), `macroF1` (multiclass), `rmse` (regression)',
      ),
    ),
  minImprovement: z
    .number()
    .min(0)
    .default(0)
    .meta(doc('how much the challenger must beat the champion by on the primary metric (absolute)')),
  approval: z
    .enum(['auto', 'manual'])
    .default('manual')
    .meta(
      doc(
        '`auto` promotes a better challenger; `manual` asks a person over SNS and waits for the task token',
      ),
    ),
  approvalTimeoutHours: z
    .number()
    .int()
    .min(1)
    .max(720)
    .default(24)
    .meta(doc('no answer in time rejects the challenger')),
  // the name is historical: triggerChecks and triggerAfterWindows say which alerts start retraining
  startOnCritical: z
    .boolean()
    .default(true)
    .meta(
      doc('whether alerts may start retraining at all; `false`: only a `Retraining Requested` event does'),
    ),
  triggerChecks: z
    .array(
      z.enum([
        'model_quality_check',
        'concept_drift_check',
        'baseline_drift_check',
        'data_type_check',
        'completeness_check',
        'fairness_check',
        'model_error_check',
      ]),
    )
    .default(['model_quality_check', 'concept_drift_check', 'model_error_check'])
    .meta(
      doc(
        'checks whose violations start retraining: by default the ones labels confirm (a model retrained on ' +
          'input drift alone learns from data that still carries the old answers); add `baseline_drift_check` ' +
          'to retrain on input drift',
      ),
    ),
  triggerAfterWindows: z
    .number()
    .int()
    .min(1)
    .default(2)
    .meta(
      doc(
        'a trigger check starts retraining when critical, or when violated in this many consecutive windows',
      ),
    ),
  cooldownHours: z.number().min(0).default(24).meta(doc('hours between two retraining runs (the lock step)')),
  maxRunsPerDay: z
    .number()
    .int()
    .min(1)
    .default(1)
    .meta(doc('retraining runs a day at most (the lock step)')),
  transformInstanceType: mlInstanceType
    .default('ml.m5.large')
    .meta(doc('instances that score the holdout in batch transform')),
  hosting: z
    .strictObject({
      instanceType: mlInstanceType.default('ml.m5.large').meta(doc('instance type of the promoted variant')),
      instanceCount: z.number().int().min(1).default(1).meta(doc('instances of the promoted variant')),
    })
    .prefault({}),
});
export type RetrainingConfig = z.output<typeof retrainingSchema>;
