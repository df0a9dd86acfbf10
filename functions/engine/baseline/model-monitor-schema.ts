import * as z from 'zod';

/**
 * SageMaker Model Monitor's `statistics.json` and `constraints.json`, as its container writes them
 * (see the real files in shared/fixtures/model-monitor). Unknown keys pass through: newer container
 * versions add fields, and a baseline must not stop loading because of one.
 */

const common = z.looseObject({ num_present: z.number(), num_missing: z.number() });

const kllBucket = z.looseObject({ lower_bound: z.number(), upper_bound: z.number(), count: z.number() });

export const kllSketchSchema = z.looseObject({
  parameters: z.looseObject({ c: z.number(), k: z.number() }),
  data: z.array(z.array(z.number())),
});

const numericalStatistics = z.looseObject({
  common,
  mean: z.number(),
  sum: z.number(),
  std_dev: z.number(),
  min: z.number(),
  max: z.number(),
  distribution: z
    .looseObject({
      kll: z.looseObject({ buckets: z.array(kllBucket), sketch: kllSketchSchema.optional() }).optional(),
    })
    .optional(),
});

const stringStatistics = z.looseObject({
  common,
  distinct_count: z.number().optional(),
  distribution: z
    .looseObject({
      categorical: z
        .looseObject({ buckets: z.array(z.looseObject({ value: z.string(), count: z.number() })) })
        .optional(),
    })
    .optional(),
});

export const inferredTypeSchema = z.enum(['Integral', 'Fractional', 'String', 'Unknown']);

export const featureStatisticsSchema = z.looseObject({
  name: z.string(),
  inferred_type: inferredTypeSchema,
  numerical_statistics: numericalStatistics.optional(),
  string_statistics: stringStatistics.optional(),
});

export const statisticsFileSchema = z.looseObject({
  version: z.number(),
  dataset: z.looseObject({ item_count: z.number() }),
  features: z.array(featureStatisticsSchema),
});

const enabled = z.enum(['Enabled', 'Disabled']);

export const distributionConstraintsSchema = z.looseObject({
  perform_comparison: enabled.optional(),
  /** the older spelling of perform_comparison, still found in SageMaker SDK fixtures */
  enable_comparisons: z.boolean().optional(),
  comparison_threshold: z.number().optional(),
  comparison_method: z.enum(['Simple', 'Robust']).optional(),
  categorical_comparison_threshold: z.number().optional(),
  categorical_drift_method: z.enum(['LInfinity', 'ChiSquared']).optional(),
});

export const monitoringConfigSchema = z.looseObject({
  evaluate_constraints: enabled.optional(),
  emit_metrics: enabled.optional(),
  datatype_check_threshold: z.number().optional(),
  domain_content_threshold: z.number().optional(),
  distribution_constraints: distributionConstraintsSchema.optional(),
});

export const featureConstraintsSchema = z.looseObject({
  name: z.string(),
  inferred_type: inferredTypeSchema.optional(),
  completeness: z.number().optional(),
  num_constraints: z.looseObject({ is_non_negative: z.boolean().optional() }).optional(),
  string_constraints: z
    .looseObject({
      domains: z.array(z.string()).optional(),
      monitoring_config_overrides: monitoringConfigSchema.optional(),
    })
    .optional(),
  monitoring_config_overrides: monitoringConfigSchema.optional(),
});

export const constraintsFileSchema = z.looseObject({
  version: z.number(),
  features: z.array(featureConstraintsSchema),
  monitoring_config: monitoringConfigSchema.optional(),
});

export type StatisticsFile = z.infer<typeof statisticsFileSchema>;
export type FeatureStatistics = z.infer<typeof featureStatisticsSchema>;
export type ConstraintsFile = z.infer<typeof constraintsFileSchema>;
export type FeatureConstraints = z.infer<typeof featureConstraintsSchema>;
export type MonitoringConfig = z.infer<typeof monitoringConfigSchema>;

/** The defaults Model Monitor's container writes when it suggests constraints. */
export const MODEL_MONITOR_DEFAULTS = {
  datatypeCheckThreshold: 1.0,
  domainContentThreshold: 1.0,
  comparisonThreshold: 0.1,
  comparisonMethod: 'Robust',
  categoricalComparisonThreshold: 0.1,
  categoricalDriftMethod: 'LInfinity',
} as const;
