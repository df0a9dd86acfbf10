import { z } from 'zod';
import { recipientsBySeverity } from './recipients-schema.ts';
import { retrainingSchema } from './retraining-schema.ts';
import { ratePeriodMinutes } from './schedule-expressions.ts';
import {
  COMPARISON_OPERATORS,
  DEFAULT_LABEL_HORIZON_HOURS,
  PROBLEM_TYPES,
  QUALITY_METRICS,
} from './vocabulary.ts';
import { modelName, s3Uri, sageMakerName, scheduleExpression, uniqueBy } from './zod-primitives.ts';

/**
 * One model's config (`models[]`). The same schema serves the CDK app (validated at synth) and the handlers,
 * which receive each model's already validated config in their event (`ModelJobInput` in events.ts) and parse it
 * again at the edge. Parsing is idempotent: the output of a parse is valid input and parses to itself, so
 * defaults resolved at synth survive the round trip.
 */

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
  })
  .superRefine((model, ctx) => {
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
