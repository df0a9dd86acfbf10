import { z } from 'zod';
import { DEFAULT_LABEL_HORIZON_HOURS } from './handler-kit/label-horizon.ts';
import { baselineVerdictFields, baselineVerdictIssue, verdictsConfigSchema } from './verdicts-config.ts';

/**
 * The model-care configuration: one schema for the CDK app (validated at synth by lib/config.ts) and for the
 * handlers, which receive each model's already validated config in their event (see `ModelJobInput` in
 * events.ts) and parse it again with `parseModelConfig` at the edge. Parsing is idempotent: the output of a
 * parse is valid input and parses to itself, so defaults resolved at synth survive the round trip.
 */

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const PROBLEM_TYPES = ['binary', 'multiclass', 'regression'] as const;
export type ProblemType = (typeof PROBLEM_TYPES)[number];

/** quality metric names per problem type, as the quality job reports them (issue 6) */
export const QUALITY_METRICS = {
  binary: ['accuracy', 'precision', 'recall', 'f1', 'aucRoc', 'prAuc', 'logLoss', 'brier', 'tpr', 'fpr'],
  multiclass: [
    'accuracy',
    'macroPrecision',
    'macroRecall',
    'macroF1',
    'weightedPrecision',
    'weightedRecall',
    'weightedF1',
  ],
  regression: ['mae', 'mse', 'rmse', 'r2', 'mape'],
} as const satisfies Record<ProblemType, readonly string[]>;

/** the metric a challenger must beat the champion on, unless `retraining.primaryMetric` says otherwise */
export const DEFAULT_PRIMARY_METRIC: Record<ProblemType, string> = {
  binary: 'aucRoc',
  multiclass: 'macroF1',
  regression: 'rmse',
};

/** metrics where smaller is better; the evaluate step and the alarms need the direction */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set([
  'logLoss',
  'brier',
  'fpr',
  'mae',
  'mse',
  'rmse',
  'mape',
]);

/** Model Monitor's comparison operators; a constraint is violated when `metric <operator> threshold` holds */
export const COMPARISON_OPERATORS = [
  'GreaterThanThreshold',
  'GreaterThanOrEqualToThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const;

/** retention periods CloudWatch Logs accepts */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/;
const MINUTES_PER_UNIT: Record<string, number> = { minute: 1, hour: 60, day: 1440 };

/** Why an EventBridge schedule expression is unusable, or undefined when it is fine. */
export const scheduleProblem = (expression: string): string | undefined => {
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2] ?? '';
    if (value < 1) return 'is not a cron(...) or rate(...) expression (the rate must be at least 1)';
    // EventBridge rejects "rate(1 hours)" and "rate(2 hour)"
    if ((value === 1) !== !unit.endsWith('s')) {
      return `is not a cron(...) or rate(...) expression (use the ${value === 1 ? 'singular' : 'plural'} unit)`;
    }
    return undefined;
  }
  const cron = CRON.exec(expression);
  if (cron) {
    if (cron[3] !== '?' && cron[5] !== '?') {
      return 'is not a cron(...) or rate(...) expression (day-of-month or day-of-week must be "?")';
    }
    return undefined;
  }
  return 'is not a cron(...) or rate(...) expression';
};

/** The period of a rate(...) expression in minutes; cron expressions have none, so the fallback applies. */
export const ratePeriodMinutes = (expression: string, fallback: number): number => {
  const rate = RATE.exec(expression);
  if (!rate) return fallback;
  return Number(rate[1]) * (MINUTES_PER_UNIT[(rate[2] ?? '').replace(/s$/, '')] ?? 1);
};

// names flow into S3 prefixes, SageMaker job names (63 characters with a 30-character suffix), construct ids,
// SNS filter policies and dashboard names, so they are short lowercase kebab-case
const modelName = z
  .string()
  .regex(
    /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,31}$/,
    'must be 1-32 characters of a-z, 0-9 and single inner hyphens',
  );
const sageMakerName = z
  .string()
  .regex(
    /^[a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62}$/,
    'is not a SageMaker name (a-z, A-Z, 0-9 and hyphens, up to 63)',
  );
const s3Uri = z
  .string()
  .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:\/\S*)?$/, 'is not an s3://bucket/key URI');
const ecrImage = z
  .string()
  .regex(
    /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/[a-z0-9][a-z0-9._/-]*(?::[\w.-]+|@sha256:[a-f0-9]{64})?$/,
    'is not an ECR image URI (<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag])',
  );
const mlInstanceType = z
  .string()
  .regex(/^ml\.[a-z0-9-]+\.[a-z0-9]+$/, 'is not a SageMaker instance type (ml.*.*)');
const scheduleExpression = z.string().superRefine((value, ctx) => {
  const problem = scheduleProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const days = z.number().int().min(1);
/** each item's `field` must be unique; the issue points at the repeated value */
const uniqueBy =
  <T>(field: keyof T & string, what: string) =>
  (items: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<unknown>();
    items.forEach((item, index) => {
      const value = item[field];
      if (seen.has(value))
        ctx.addIssue({ code: 'custom', path: [index, field], message: `repeats the ${what}` });
      seen.add(value);
    });
  };

export const recipientsSchema = z.strictObject({
  emails: z.array(z.email('is not an email address')).default([]),
  /** E.164 phone numbers for SMS */
  sms: z
    .array(z.string().regex(/^\+[1-9]\d{6,14}$/, 'is not an E.164 phone number (+<country><number>)'))
    .default([]),
});
export type Recipients = z.output<typeof recipientsSchema>;

const recipientsBySeverity = {
  info: recipientsSchema.optional(),
  warning: recipientsSchema.optional(),
  critical: recipientsSchema.optional(),
};

export const featureSchema = z.strictObject({
  /** column name; features are listed in the order of the CSV columns in the captured request */
  name: z.string().min(1).max(128),
  type: z.enum(['numerical', 'categorical']),
  /** overrides the model's drift threshold for this feature */
  driftThreshold: z.number().positive().optional(),
});
export type FeatureConfig = z.output<typeof featureSchema>;

export const outputSchema = z.strictObject({
  /** column name; outputs are listed in the order of the CSV columns in the captured response */
  name: z.string().min(1).max(128),
  role: z.enum(['prediction', 'score']),
});
export type OutputConfig = z.output<typeof outputSchema>;

const qualityConstraint = z.strictObject({
  threshold: z.number(),
  comparisonOperator: z.enum(COMPARISON_OPERATORS),
});

const retrainingSchema = z.strictObject({
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
        'model_error_check',
      ]),
    )
    .default(['model_quality_check', 'concept_drift_check', 'model_error_check']),
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

export const modelConfigSchema = z
  .strictObject({
    name: modelName,
    problemType: z.enum(PROBLEM_TYPES),
    /** the SageMaker endpoint serving the model; models served elsewhere send traffic through the capture API */
    endpoint: z
      .strictObject({ name: sageMakerName, variant: sageMakerName.default('AllTraffic') })
      .optional(),
    capture: z
      .strictObject({
        samplingPercentage: z.number().int().min(1).max(100).default(100),
        /** the folder under capture/; @default - the endpoint name, or the model name without an endpoint */
        endpointName: sageMakerName.optional(),
        /** @default - the endpoint's variant, or AllTraffic */
        variantName: sageMakerName.optional(),
      })
      .prefault({}),
    features: z.array(featureSchema).min(1).superRefine(uniqueBy('name', 'feature name')),
    outputs: z.array(outputSchema).min(1).superRefine(uniqueBy('role', 'output role')),
    /** for binary problems: the label of the positive class */
    positiveLabel: z.string().default('1'),
    /** for binary problems: the score at or above which the prediction is positive */
    decisionThreshold: z.number().min(0).max(1).default(0.5),
    baseline: z.strictObject({
      datasetUri: s3Uri,
      format: z.enum(['csv', 'jsonl']).default('csv'),
      /** whether the CSV's first line holds the column names */
      header: z.boolean().default(true),
      ...baselineVerdictFields,
    }),
    schedules: z
      .strictObject({
        data: scheduleExpression.default('rate(1 hour)'),
        quality: scheduleExpression.default('rate(1 day)'),
        /** @default - the data schedule's rate, or 60 for a cron expression */
        dataWindowMinutes: z.number().int().min(1).optional(),
        /** @default - the quality schedule's rate, or 1440 for a cron expression */
        qualityWindowMinutes: z.number().int().min(1).optional(),
      })
      .prefault({})
      .transform((s) => ({
        ...s,
        dataWindowMinutes: s.dataWindowMinutes ?? ratePeriodMinutes(s.data, 60),
        qualityWindowMinutes: s.qualityWindowMinutes ?? ratePeriodMinutes(s.quality, 1440),
      })),
    /** names and defaults follow Model Monitor's constraints.json monitoring_config */
    thresholds: z
      .strictObject({
        comparisonThreshold: z.number().positive().default(0.1),
        categoricalComparisonThreshold: z.number().positive().default(0.1),
        comparisonMethod: z.enum(['Robust', 'Simple']).default('Robust'),
        categoricalDriftMethod: z.enum(['LInfRobust', 'ChiSquared']).default('LInfRobust'),
        datatypeCheckThreshold: z.number().min(0).max(1).default(1),
        domainContentThreshold: z.number().min(0).max(1).default(1),
        /** model-quality constraints by metric name; @default - derived from the baseline evaluation */
        quality: z.record(z.string(), qualityConstraint).default({}),
      })
      .prefault({}),
    alerts: z
      .strictObject({
        ...recipientsBySeverity,
        /** the same model and check alert again only after this many minutes */
        cooldownMinutes: z.number().int().min(0).default(60),
        /** a violation is critical when its measure is at least this many times its threshold */
        criticalFactor: z.number().min(1).default(2),
      })
      .prefault({}),
    /** segments, fairness and how late labels come (issue 6) */
    quality: z
      .strictObject({
        /** metrics are computed per value of this feature too; one of `features` */
        segmentFeature: z.string().min(1).optional(),
        /** a fairness gap (demographic parity, equal opportunity) above it is a `fairness_check` violation */
        fairnessThreshold: z.number().gt(0).max(1).default(0.1),
        /** how late labels may arrive; the quality job and ground-truth ingest both use it (label-horizon.ts) */
        labelHorizonHours: z.number().int().min(1).max(8760).default(DEFAULT_LABEL_HORIZON_HOURS),
      })
      .prefault({}),
    /**
     * thresholds on the endpoint's CloudWatch metrics (AWS/SageMaker); each is checked only when set, and
     * only for a model with an `endpoint`
     */
    operational: z
      .strictObject({
        /** ModelLatency p99 over the quality window, in milliseconds */
        latencyP99Ms: z.number().positive().optional(),
        /** share of invocations that returned 4XX or 5XX */
        errorRate: z.number().gt(0).max(1).optional(),
        /** fewer invocations per hour (window average) is a violation: traffic stopped reaching the model */
        minInvocationsPerHour: z.number().positive().optional(),
      })
      .prefault({}),
    retraining: retrainingSchema.optional(),
    /** sequential verdicts, harm-aware severity (issue 12) */
    verdicts: verdictsConfigSchema,
  })
  .superRefine((model, ctx) => {
    const seasonal = baselineVerdictIssue(model.baseline);
    if (seasonal) ctx.addIssue({ code: 'custom', ...seasonal });
    const segment = model.quality.segmentFeature;
    if (segment !== undefined && !model.features.some((feature) => feature.name === segment)) {
      ctx.addIssue({
        code: 'custom',
        path: ['quality', 'segmentFeature'],
        message: `is not a feature of the model (one of ${model.features.map((f) => f.name).join(', ')})`,
      });
    }
    const metrics: readonly string[] = QUALITY_METRICS[model.problemType];
    for (const metric of Object.keys(model.thresholds.quality)) {
      if (!metrics.includes(metric)) {
        ctx.addIssue({
          code: 'custom',
          path: ['thresholds', 'quality', metric],
          message: `"${metric}" is not a ${model.problemType} metric (one of ${metrics.join(', ')})`,
          params: { keyIssue: true },
        });
      }
    }
    const primary = model.retraining?.primaryMetric;
    if (primary !== undefined && !metrics.includes(primary)) {
      ctx.addIssue({
        code: 'custom',
        path: ['retraining', 'primaryMetric'],
        message: `is not a ${model.problemType} metric (one of ${metrics.join(', ')})`,
      });
    }
    // a binary model may return only its score: the prediction is score >= decisionThreshold
    const needsPrediction = model.problemType !== 'binary';
    if (needsPrediction && !model.outputs.some((output) => output.role === 'prediction')) {
      ctx.addIssue({
        code: 'custom',
        path: ['outputs'],
        message: `needs an output with role "prediction" for a ${model.problemType} model`,
      });
    }
  });
export type ModelConfig = z.output<typeof modelConfigSchema>;
export type ModelConfigInput = z.input<typeof modelConfigSchema>;

export const retentionSchema = z
  .strictObject({
    /** S3 requires at least 30 days before a transition to STANDARD_IA */
    captureInfrequentAccessDays: days.min(30).default(30),
    captureExpirationDays: days.default(365),
    reportExpirationDays: days.default(730),
    quarantineExpirationDays: days.default(90),
    noncurrentVersionExpirationDays: days.default(30),
    accessLogExpirationDays: days.default(365),
    metricsTtlDays: days.default(400),
    logRetentionDays: z
      .number()
      .refine((value) => (LOG_RETENTION_DAYS as readonly number[]).includes(value), {
        message: `is not a CloudWatch Logs retention (one of ${LOG_RETENTION_DAYS.join(', ')})`,
      })
      .default(90),
  })
  .superRefine((r, ctx) => {
    if (r.captureExpirationDays <= r.captureInfrequentAccessDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['captureExpirationDays'],
        message: `must be greater than captureInfrequentAccessDays (${r.captureInfrequentAccessDays})`,
      });
    }
  });
export type RetentionConfig = z.output<typeof retentionSchema>;

export const modelCareConfigSchema = z.strictObject({
  /** editors' JSON schema hint; ignored */
  $schema: z.string().optional(),
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/, 'is not a CloudFormation stack name')
    .default('ModelCare'),
  /** retain keeps the bucket and tables on `cdk destroy`; destroy deletes them with their data */
  removalPolicy: z.enum(['retain', 'destroy']).default('retain'),
  /** operators: receive every alert and alarm of a severity, for all models */
  alerts: z.strictObject(recipientsBySeverity).prefault({}),
  retention: retentionSchema.prefault({}),
  models: z
    .array(modelConfigSchema)
    .min(1, 'needs at least one model')
    .superRefine(uniqueBy('name', 'model name')),
});
export type ModelCareConfig = z.output<typeof modelCareConfigSchema>;
export type ModelCareConfigInput = z.input<typeof modelCareConfigSchema>;

/** A config that failed validation: one line naming the source, the field path and the bad value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    const name = String(key);
    const plain = /^[A-Za-z_$][\w$]*$/.test(name);
    if (!plain) return `${text}[${JSON.stringify(name)}]`;
    return text === '' ? name : `${text}.${name}`;
  }, '');

const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (value, key) =>
      value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined,
    input,
  );

const describeValue = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

// zod's own messages start with a capital ("Invalid input: expected number, received string"); ours with a verb
const explain = (message: string): string => {
  if (/^[a-z]/.test(message)) return message;
  const text = message.replace(/^Invalid (input|option): /, '');
  return `is invalid: ${text[0]?.toLowerCase() ?? ''}${text.slice(1)}`;
};

/** One line for the first problem: `<source>: <path>: <value> <what is wrong>`. */
export const formatConfigIssue = (source: string, issue: z.core.$ZodIssue, input: unknown): string => {
  const where = formatPath(issue.path) || '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => JSON.stringify(key)).join(', ');
    return `${source}: ${where}: unknown field ${keys} (check the spelling against docs/deploy.md)`;
  }
  // an issue about a record key names the key itself; the value below it is beside the point
  if (issue.code === 'custom' && issue.params?.keyIssue) return `${source}: ${where}: ${issue.message}`;
  const value = valueAt(input, issue.path);
  if (value === undefined)
    return `${source}: ${where}: is required (${explain(issue.message).replace(/^is invalid: /, '')})`;
  return `${source}: ${where}: ${describeValue(value)} ${explain(issue.message)}`;
};

const parseWith = <T extends z.ZodType>(schema: T, input: unknown, source: string): z.output<T> => {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  throw new ConfigError(first ? formatConfigIssue(source, first, input) : `${source}: invalid configuration`);
};

export const parseModelCareConfig = (input: unknown, source: string): ModelCareConfig =>
  parseWith(modelCareConfigSchema, input, source);

/** For handlers: the model config their event carries, parsed once more so a hand-made event fails clearly. */
export const parseModelConfig = (input: unknown, source = 'event.model'): ModelConfig =>
  parseWith(modelConfigSchema, input, source);

/** Where a model's capture lands: capture/<endpointName>/<variantName>/yyyy/mm/dd/hh/ (SageMaker's layout). */
export const captureLocation = (model: ModelConfig): { endpointName: string; variantName: string } => ({
  endpointName: model.capture.endpointName ?? model.endpoint?.name ?? model.name,
  variantName: model.capture.variantName ?? model.endpoint?.variant ?? 'AllTraffic',
});

/** the primary metric the evaluate step compares, with its default per problem type */
export const primaryMetric = (model: ModelConfig): string =>
  model.retraining?.primaryMetric ?? DEFAULT_PRIMARY_METRIC[model.problemType];

/**
 * What the capture API needs per model, passed to it as the JSON env var `MODEL_CARE_CAPTURE_ROUTES` (it serves
 * every model, so it cannot take one model's config from its event).
 */
export const captureRouteSchema = z.strictObject({
  model: modelName,
  endpointName: sageMakerName,
  variantName: sageMakerName,
  samplingPercentage: z.number().int().min(1).max(100),
  /** the SageMaker endpoint to proxy to; absent for models served elsewhere (records are posted instead) */
  invokeEndpoint: sageMakerName.optional(),
});
export type CaptureRoute = z.output<typeof captureRouteSchema>;

export const captureRouteFor = (model: ModelConfig): CaptureRoute => ({
  model: model.name,
  ...captureLocation(model),
  samplingPercentage: model.capture.samplingPercentage,
  ...(model.endpoint ? { invokeEndpoint: model.endpoint.name } : {}),
});

export const parseCaptureRoutes = (json: string, source = 'MODEL_CARE_CAPTURE_ROUTES'): CaptureRoute[] => {
  let input: unknown;
  try {
    input = JSON.parse(json);
  } catch {
    throw new ConfigError(`${source}: is not JSON`);
  }
  return parseWith(z.array(captureRouteSchema), input, source);
};
