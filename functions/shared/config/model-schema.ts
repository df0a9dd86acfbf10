import * as z from 'zod';
import { batchTransformSchema } from './batch-transform-schema.ts';
import { CAPTURE_TRANSPORTS } from './capture-transport.ts';
import { captureS3Uri, kmsKeyArn } from './capture-uri.ts';
import { payloadSchema } from './payload-schema.ts';
import { producersSchema } from './producers.ts';
import { recipientsBySeverity } from './recipients-schema.ts';
import { retrainingSchema } from './retraining-schema.ts';
import { ratePeriodMinutes } from './schedule-expressions.ts';
import { baselineVerdictFields, baselineVerdictIssue, verdictsConfigSchema } from './verdicts-schema.ts';
import {
  COMPARISON_OPERATORS,
  DEFAULT_LABEL_HORIZON_HOURS,
  PROBLEM_TYPES,
  QUALITY_METRICS,
} from './vocabulary.ts';
import { doc, modelName, s3Uri, sageMakerName, scheduleExpression, uniqueBy } from './zod-primitives.ts';

/**
 * One model's config (`models[]`). The same schema serves the CDK app (validated at synth) and the handlers,
 * which receive each model's already validated config in their event (`ModelJobInput` in events.ts) and parse it
 * again at the edge. Parsing is idempotent: the output of a parse is valid input and parses to itself, so
 * defaults resolved at synth survive the round trip.
 */

export const featureSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(128)
    .meta(doc("column name; features are listed in the order of the request's CSV columns")),
  type: z.enum(['numerical', 'categorical']).meta(doc('how the feature is profiled and compared')),
  driftThreshold: z
    .number()
    .positive()
    .optional()
    .meta(doc("overrides the model's drift threshold for this feature", "the model's")),
});
export type FeatureConfig = z.output<typeof featureSchema>;

export const outputSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(128)
    .meta(doc("column name; outputs are listed in the order of the response's columns")),
  role: z.enum(['prediction', 'score']).meta(doc('non-binary models need a `prediction`')),
});
export type OutputConfig = z.output<typeof outputSchema>;

const qualityConstraint = z.strictObject({
  threshold: z.number(),
  comparisonOperator: z.enum(COMPARISON_OPERATORS),
});

const metricNames = Object.entries(QUALITY_METRICS)
  .map(([problem, metrics]) => `${problem} \`${metrics.join(' ')}\``)
  .join(', ');

export const modelConfigSchema = z
  .strictObject({
    name: modelName.meta(doc('1-32 characters `a-z 0-9 -`; used in S3 prefixes, job names, resource ids')),
    problemType: z.enum(PROBLEM_TYPES).meta(doc('what the model predicts')),
    endpoint: z
      .strictObject({
        name: sageMakerName.meta(
          doc(
            'the SageMaker endpoint serving the model; omit `endpoint` for models served elsewhere (capture API)',
          ),
        ),
        variant: sageMakerName.default('AllTraffic').meta(doc('its production variant')),
        // issue 15: variants side by side and the A/B winner test (functions/engine/ab)
        variants: z
          .array(sageMakerName)
          .min(1)
          .optional()
          .meta(
            doc(
              'production and shadow variants to monitor side by side, each read from `capture/<endpoint>/<variant>/`',
              'every variant of the endpoint',
            ),
          ),
        abTest: z
          .strictObject({
            champion: sageMakerName.meta(doc('the variant serving today (A)')),
            challenger: sageMakerName.meta(doc('the variant that may replace it (B)')),
            margin: z
              .number()
              .min(0)
              .max(0.5)
              .default(0)
              .meta(doc('the challenger wins only if it errs less by more than this (absolute error rate)')),
            alpha: z
              .number()
              .gt(0)
              .lt(1)
              .default(0.05)
              .meta(doc('probability of any wrong decision, however often the test is read')),
          })
          .optional()
          .meta(
            doc(
              'an anytime-valid winner test between two variants; a won test shifts traffic as `retraining.approval` says',
              'no A/B test',
            ),
          ),
      })
      .optional(),
    capture: z
      .strictObject({
        samplingPercentage: z
          .number()
          .int()
          .min(1)
          .max(100)
          .default(100)
          .meta(doc('share of requests captured (capture API and promoted endpoints)')),
        endpointName: sageMakerName
          .optional()
          .meta(
            doc(
              'the capture folder `capture/<endpointName>/<variantName>/`; two models with the same (or nested) ' +
                'folders are refused at synth',
              'the endpoint name, or the model name',
            ),
          ),
        variantName: sageMakerName
          .optional()
          .meta(doc("the capture folder's variant part", "the endpoint's variant, or `AllTraffic`")),
        s3Uri: captureS3Uri
          .optional()
          .meta(
            doc(
              "where the endpoint's Data Capture already writes (its `DestinationS3Uri`): the jobs read " +
                "`<s3Uri>/<endpointName>/<variantName>/yyyy/mm/dd/hh/` there, through the model's access role, and never " +
                'move or delete an object in it',
              "the stack's bucket, `capture/`",
            ),
          ),
        kmsKeyArn: kmsKeyArn
          .optional()
          .meta(doc('the KMS key of the capture at `s3Uri` (its access role may decrypt with it)', 'none')),
        maxUnreadableShare: z
          .number()
          .min(0)
          .max(1)
          .default(0.5)
          .meta(
            doc(
              "when more of a window's capture objects than this share cannot be read, none is quarantined: the data " +
                'run fails and alerts (`capture_readability_check`), naming the likely cause, e.g. a feature count ' +
                'that does not match the capture',
            ),
          ),
        // issue 13: a PUT per request costs $5 per million; a buffered stream costs cents per GB
        transport: z
          .enum(CAPTURE_TRANSPORTS)
          .default('api')
          .meta(
            doc(
              'how the capture API stores records: `api` writes one S3 object per request (low traffic), `stream` ' +
                "puts them on the stack's Firehose stream, which buffers and writes the same layout (high traffic)",
            ),
          ),
      })
      .prefault({}),
    features: z
      .array(featureSchema)
      .min(1)
      .superRefine(uniqueBy('name', 'feature name'))
      .meta(doc("the model's inputs, in the order of the request's CSV columns")),
    outputs: z
      .array(outputSchema)
      .min(1)
      .superRefine(uniqueBy('role', 'output role'))
      .meta(doc("the model's outputs, in the order of the response's columns")),
    // issue 17: JSON payload paths and exclude rules (payload-schema.ts)
    payload: payloadSchema.optional(),
    // issue 17: batch transform jobs judged on completion (batch-transform-schema.ts)
    batchTransform: batchTransformSchema.optional(),
    positiveLabel: z.string().default('1').meta(doc('binary: the positive class')),
    decisionThreshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .meta(doc('binary: score at or above which the prediction is positive')),
    baseline: z.strictObject({
      datasetUri: s3Uri.meta(doc('`s3://` URI of the training or reference dataset')),
      format: z.enum(['csv', 'jsonl']).default('csv').meta(doc("the dataset's format")),
      header: z.boolean().default(true).meta(doc("whether the CSV's first line holds the column names")),
      ...baselineVerdictFields,
    }),
    schedules: z
      .strictObject({
        data: scheduleExpression
          .default('rate(1 hour)')
          .meta(doc('EventBridge `rate(...)` or `cron(...)` of the drift and data-quality check')),
        quality: scheduleExpression.default('rate(1 day)').meta(doc('schedule of the model-quality check')),
        dataWindowMinutes: z
          .number()
          .int()
          .min(1)
          .optional()
          .meta(
            doc('window each data check covers (also the alarm period)', "the rate's period, 60 for cron"),
          ),
        qualityWindowMinutes: z
          .number()
          .int()
          .min(1)
          .optional()
          .meta(doc('window each quality check covers', "the rate's period, 1440 for cron")),
        graceMinutes: z
          .number()
          .int()
          .min(0)
          .max(1440)
          .default(10)
          .meta(
            doc(
              'minutes after a window ends before the dispatcher hands it out, so capture SageMaker writes late is in it',
            ),
          ),
      })
      .prefault({})
      .transform((s) => ({
        ...s,
        dataWindowMinutes: s.dataWindowMinutes ?? ratePeriodMinutes(s.data, 60),
        qualityWindowMinutes: s.qualityWindowMinutes ?? ratePeriodMinutes(s.quality, 1440),
      })),
    // names and defaults follow Model Monitor's constraints.json monitoring_config
    thresholds: z
      .strictObject({
        comparisonThreshold: z
          .number()
          .positive()
          .default(0.1)
          .meta(doc("numerical drift threshold (Model Monitor's `comparison_threshold`)")),
        categoricalComparisonThreshold: z
          .number()
          .positive()
          .default(0.1)
          .meta(doc('categorical drift threshold')),
        comparisonMethod: z
          .enum(['Robust', 'Simple'])
          .default('Robust')
          .meta(doc("Model Monitor's numerical distance")),
        categoricalDriftMethod: z
          .enum(['LInfRobust', 'ChiSquared'])
          .default('LInfRobust')
          .meta(doc("Model Monitor's categorical distance")),
        datatypeCheckThreshold: z
          .number()
          .min(0)
          .max(1)
          .default(1)
          .meta(doc("Model Monitor's data-type check threshold")),
        domainContentThreshold: z
          .number()
          .min(0)
          .max(1)
          .default(1)
          .meta(doc("Model Monitor's domain-content check threshold")),
        quality: z
          .record(z.string(), qualityConstraint)
          .default({})
          .meta(
            doc(
              'model-quality constraints by metric name: `{ "threshold", "comparisonOperator" }`, violated when ' +
                `\`metric <operator> threshold\`; each also gets a critical CloudWatch alarm. Metrics: ${metricNames}`,
              'derived from the baseline evaluation',
            ),
          ),
      })
      .prefault({}),
    alerts: z
      .strictObject({
        ...recipientsBySeverity("this model's own recipients"),
        cooldownMinutes: z
          .number()
          .int()
          .min(0)
          .default(60)
          .meta(doc('the same model and check alert again only after this many minutes')),
        criticalFactor: z
          .number()
          .min(1)
          .default(2)
          .meta(doc('a violation is critical when its measure is at least this many times its threshold')),
      })
      .prefault({}),
    quality: z
      .strictObject({
        segmentFeature: z
          .string()
          .min(1)
          .optional()
          .meta(
            doc(
              'one of `features[].name`: every metric is also computed per value of this feature (series ' +
                '`<feature>=<value>`) and, for binary models, the fairness gaps between its values',
            ),
          ),
        segmentAttribute: z
          .string()
          .min(1)
          .optional()
          .meta(
            doc(
              "a key of the capture's custom attributes (`key=value` pairs of the `CustomAttributes` header): every " +
                'metric is also computed per its value (series `<key>=<value>`); not with `segmentFeature`',
            ),
          ),
        fairnessThreshold: z
          .number()
          .gt(0)
          .max(1)
          .default(0.1)
          .meta(
            doc(
              'a demographic-parity or equal-opportunity difference above this is a `fairness_check` violation',
            ),
          ),
        labelHorizonHours: z
          .number()
          .int()
          .min(1)
          .max(8760)
          .default(DEFAULT_LABEL_HORIZON_HOURS)
          .meta(
            doc(
              'how late labels may arrive: the quality job joins labels up to this long after a window, and ' +
                'ground-truth ingest re-opens the windows this reaches back to; later labels are counted but never joined',
            ),
          ),
      })
      .prefault({}),
    // each operational threshold is checked only when set, and only for a model with an `endpoint` (the quality
    // job reads the endpoint's AWS/SageMaker metrics with GetMetricData; the local twin skips these checks)
    operational: z
      .strictObject({
        latencyP99Ms: z
          .number()
          .positive()
          .optional()
          .meta(
            doc(
              "the endpoint's `ModelLatency` p99 over the quality window (ms) above this is an `operational_check` violation (checked only when set, and only for a model with an `endpoint`; the local twin skips operational checks)",
            ),
          ),
        errorRate: z
          .number()
          .gt(0)
          .max(1)
          .optional()
          .meta(
            doc('share of invocations answered 4XX or 5XX above this is an `operational_check` violation'),
          ),
        minInvocationsPerHour: z
          .number()
          .positive()
          .optional()
          .meta(
            doc(
              'fewer invocations per hour (window average) is an `operational_check` violation: traffic stopped reaching the model',
            ),
          ),
      })
      .prefault({}),
    retraining: retrainingSchema.optional().meta(doc('omit to monitor without retraining')),
    verdicts: verdictsConfigSchema,
    // who may send the model's capture and labels (producers.ts)
    producers: producersSchema.optional(),
    // issue 17: keep alarms and dashboards built on Model Monitor's metrics working through the switch
    compat: z
      .strictObject({
        modelMonitorMetrics: z
          .boolean()
          .default(false)
          .meta(
            doc(
              "the data job also emits `feature_baseline_drift_<f>` and `feature_non_null_<f>` in Model Monitor's namespace " +
                '`aws/sagemaker/Endpoints/data-metrics` with dimensions `Endpoint` and `MonitoringSchedule` (each metric costs; needs `endpoint`)',
            ),
          ),
        monitoringScheduleName: sageMakerName
          .optional()
          .meta(doc('the `MonitoringSchedule` dimension value', '`model-care-<model>`')),
      })
      .optional(),
  })
  .superRefine((model, ctx) => {
    const seasonal = baselineVerdictIssue(model.baseline);
    if (seasonal) ctx.addIssue({ code: 'custom', ...seasonal });
    // the stack bucket is encrypted with the stack's key: a capture key means nothing without capture elsewhere
    if (model.capture.kmsKeyArn !== undefined && model.capture.s3Uri === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['capture', 'kmsKeyArn'],
        message: "needs capture.s3Uri: capture in the stack's bucket is encrypted with the stack's key",
      });
    }
    const segment = model.quality.segmentFeature;
    if (segment !== undefined && !model.features.some((feature) => feature.name === segment)) {
      ctx.addIssue({
        code: 'custom',
        path: ['quality', 'segmentFeature'],
        message: `is not a feature of the model (one of ${model.features.map((f) => f.name).join(', ')})`,
      });
    }
    if (segment !== undefined && model.quality.segmentAttribute !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['quality', 'segmentAttribute'],
        message: 'cannot be set with quality.segmentFeature (one segment key per model)',
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
