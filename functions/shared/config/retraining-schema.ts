import * as z from 'zod';
import { doc, ecrImage, mlInstanceType, s3Uri, uniqueBy } from './zod-primitives.ts';

/** the formats prepare-data writes; SageMaker's parquet, RecordIO-protobuf and libsvm inputs are not written */
export const TRAINING_CONTENT_TYPES = ['text/csv', 'application/jsonlines'] as const;
export type TrainingContentType = (typeof TRAINING_CONTENT_TYPES)[number];

/** the media type of a channel's content type, without parameters: `text/csv;label_size=1` -> `text/csv` */
export const trainingMediaType = (contentType: string): string =>
  contentType.split(';')[0]!.trim().toLowerCase();

const trainingContentType = z
  .string()
  .refine((value) => (TRAINING_CONTENT_TYPES as readonly string[]).includes(trainingMediaType(value)), {
    error: (issue) =>
      `"${String(issue.input)}" is not written by prepare-data (it writes ${TRAINING_CONTENT_TYPES.join(' or ')}; ` +
      'convert parquet, RecordIO-protobuf or libsvm in your own training container)',
  });

/** how many traffic steps bake for `waitMinutes` each: canary 2 (canary, then the rest), linear one per step */
export const deploymentBakingMinutes = (deployment: {
  readonly trafficShifting: 'canary' | 'linear' | 'all-at-once';
  readonly linearStepPercent: number;
  readonly waitMinutes: number;
}): number => {
  if (deployment.trafficShifting === 'all-at-once') return deployment.waitMinutes;
  if (deployment.trafficShifting === 'canary') return 2 * deployment.waitMinutes;
  return Math.ceil(100 / deployment.linearStepPercent) * deployment.waitMinutes;
};

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
        contentType: trainingContentType
          .default('text/csv')
          .meta(
            doc(
              'the format prepare-data writes the channel in: `text/csv` or `application/jsonlines` (parameters such as `text/csv;label_size=1` are kept); other formats are refused',
            ),
          ),
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
  trainingData: z
    .strictObject({
      labelColumn: z
        .enum(['first', 'last', 'none'])
        .default('first')
        .meta(
          doc(
            "where a CSV channel holds the label: `first` is SageMaker's built-in convention, `none` writes features only",
          ),
        ),
      header: z
        .boolean()
        .default(false)
        .meta(
          doc("whether a CSV channel starts with a header row (SageMaker's built-in algorithms take none)"),
        ),
      categoricalEncoding: z
        .enum(['one-hot', 'ordinal', 'none'])
        .default('one-hot')
        .meta(
          doc(
            'how categorical features (and multiclass labels) become numbers: `one-hot` one 0/1 column per category, ' +
              "`ordinal` the category's index, `none` the text as it is (for containers that read text); the fitted " +
              'encoder is saved beside the model artifact',
          ),
        ),
    })
    .prefault({})
    .meta(doc('how prepare-data writes the training channels')),
  deployment: z
    .strictObject({
      trafficShifting: z
        .enum(['canary', 'linear', 'all-at-once'])
        .default('canary')
        .meta(
          doc(
            "SageMaker's blue/green traffic shifting when a challenger is promoted: `canary` sends `canaryPercent` " +
              'of the capacity first and the rest after `waitMinutes`, `linear` shifts `linearStepPercent` per step',
          ),
        ),
      canaryPercent: z
        .number()
        .int()
        .min(1)
        .max(50)
        .default(10)
        .meta(doc("the canary's share of the new fleet's capacity (SageMaker allows up to 50)")),
      linearStepPercent: z
        .number()
        .int()
        .min(10)
        .max(50)
        .default(20)
        .meta(doc('capacity shifted per linear step (SageMaker allows 10 to 50)')),
      waitMinutes: z
        .number()
        .int()
        .min(0)
        .max(60)
        .default(10)
        .meta(doc('baking time after each traffic step, while the rollback alarms watch the new fleet')),
      maxMinutes: z
        .number()
        .int()
        .min(10)
        .max(240)
        .default(60)
        .meta(
          doc(
            'longest a deployment may take before SageMaker rolls it back (`MaximumExecutionTimeoutInSeconds`); ' +
              'must exceed the baking time of all steps',
          ),
        ),
      rollbackAlarms: z
        .array(z.string().min(1).max(255))
        .max(10)
        .default([])
        .meta(
          doc(
            'CloudWatch alarm names that roll a deployment back inside SageMaker while it bakes ' +
              "(`AutoRollbackConfiguration`); name alarms on this endpoint's own metrics, e.g. " +
              '`Invocation5XXErrors` or `ModelLatency` of the variant',
            'none',
          ),
        ),
      busyWaitMinutes: z
        .number()
        .int()
        .min(1)
        .max(1440)
        .default(60)
        .meta(
          doc(
            'how long promotion and rollback wait for a busy endpoint (`Updating`, `RollingBack`, `SystemUpdating`) ' +
              'before giving up: promotion fails, rollback alerts that the endpoint needs a person',
          ),
        ),
    })
    .prefault({})
    .superRefine((deployment, ctx) => {
      const baking = deploymentBakingMinutes(deployment);
      if (deployment.maxMinutes <= baking) {
        ctx.addIssue({
          code: 'custom',
          path: ['maxMinutes'],
          message: `must exceed the ${baking} minute(s) the traffic steps bake (waitMinutes per step)`,
        });
      }
    })
    .meta(doc('how a promoted challenger replaces the serving model (SageMaker deployment guardrails)')),
});
export type RetrainingConfig = z.output<typeof retrainingSchema>;
