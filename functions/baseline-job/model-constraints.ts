import type { ConstraintsFile } from '../engine/baseline/model-monitor-schema.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';

/** the engine (and Model Monitor's files) spell the L-infinity method `LInfinity`; the config `LInfRobust` */
const categoricalMethod = (method: ModelConfig['thresholds']['categoricalDriftMethod']) =>
  method === 'ChiSquared' ? ('ChiSquared' as const) : ('LInfinity' as const);

/**
 * Suggested constraints with the model's thresholds in `monitoring_config` (Model Monitor's names), and each
 * feature's `driftThreshold` as that feature's override, so the data job and Model Monitor read the same rules
 * from the file.
 */
export const withModelThresholds = (constraints: ConstraintsFile, model: ModelConfig): ConstraintsFile => {
  const t = model.thresholds;
  const overrides = new Map(
    model.features.flatMap((f) =>
      f.driftThreshold === undefined ? [] : [[f.name, f.driftThreshold] as const],
    ),
  );
  return {
    ...constraints,
    features: constraints.features.map((feature) => {
      const threshold = overrides.get(feature.name);
      if (threshold === undefined) return feature;
      return {
        ...feature,
        monitoring_config_overrides: {
          ...feature.monitoring_config_overrides,
          distribution_constraints: {
            ...feature.monitoring_config_overrides?.distribution_constraints,
            comparison_threshold: threshold,
            categorical_comparison_threshold: threshold,
          },
        },
      };
    }),
    monitoring_config: {
      ...constraints.monitoring_config,
      datatype_check_threshold: t.datatypeCheckThreshold,
      domain_content_threshold: t.domainContentThreshold,
      distribution_constraints: {
        ...constraints.monitoring_config?.distribution_constraints,
        perform_comparison: 'Enabled',
        comparison_threshold: t.comparisonThreshold,
        comparison_method: t.comparisonMethod,
        categorical_comparison_threshold: t.categoricalComparisonThreshold,
        categorical_drift_method: categoricalMethod(t.categoricalDriftMethod),
      },
    },
  };
};
