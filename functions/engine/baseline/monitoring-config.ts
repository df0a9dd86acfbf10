import type { ConstraintsFile, FeatureConstraints, MonitoringConfig } from './model-monitor-schema.ts';
import { MODEL_MONITOR_DEFAULTS } from './model-monitor-schema.ts';

export interface DistributionConstraints {
  readonly performComparison: boolean;
  readonly comparisonThreshold: number;
  readonly comparisonMethod: 'Simple' | 'Robust';
  readonly categoricalComparisonThreshold: number;
  readonly categoricalDriftMethod: 'LInfinity' | 'ChiSquared';
}

/** A feature's effective monitoring settings: file-level config, then the feature's overrides, then defaults. */
export interface EffectiveMonitoringConfig {
  readonly evaluateConstraints: boolean;
  readonly emitMetrics: boolean;
  readonly datatypeCheckThreshold: number;
  readonly domainContentThreshold: number;
  readonly distribution: DistributionConstraints;
}

const pick = <T>(...candidates: Array<T | undefined>): T | undefined =>
  candidates.find((c) => c !== undefined);

const enabledOf = (flag: boolean | undefined): 'Enabled' | 'Disabled' | undefined =>
  flag === undefined ? undefined : flag ? 'Enabled' : 'Disabled';

export const effectiveMonitoringConfig = (
  constraints: ConstraintsFile,
  feature?: FeatureConstraints,
): EffectiveMonitoringConfig => {
  const file: MonitoringConfig = constraints.monitoring_config ?? {};
  const overrides: MonitoringConfig = {
    ...(feature?.monitoring_config_overrides ?? {}),
    ...(feature?.string_constraints?.monitoring_config_overrides ?? {}),
  };
  const fileDistribution = file.distribution_constraints ?? {};
  const overrideDistribution = overrides.distribution_constraints ?? {};
  const d = MODEL_MONITOR_DEFAULTS;
  return {
    evaluateConstraints:
      pick(overrides.evaluate_constraints, file.evaluate_constraints, 'Enabled') === 'Enabled',
    emitMetrics: pick(overrides.emit_metrics, file.emit_metrics, 'Enabled') === 'Enabled',
    datatypeCheckThreshold: pick(
      overrides.datatype_check_threshold,
      file.datatype_check_threshold,
      d.datatypeCheckThreshold,
    )!,
    domainContentThreshold: pick(
      overrides.domain_content_threshold,
      file.domain_content_threshold,
      d.domainContentThreshold,
    )!,
    distribution: {
      performComparison:
        pick(
          overrideDistribution.perform_comparison,
          enabledOf(overrideDistribution.enable_comparisons),
          fileDistribution.perform_comparison,
          enabledOf(fileDistribution.enable_comparisons),
          'Enabled',
        ) === 'Enabled',
      comparisonThreshold: pick(
        overrideDistribution.comparison_threshold,
        fileDistribution.comparison_threshold,
        d.comparisonThreshold,
      )!,
      comparisonMethod: pick(
        overrideDistribution.comparison_method,
        fileDistribution.comparison_method,
        d.comparisonMethod,
      )!,
      categoricalComparisonThreshold: pick(
        overrideDistribution.categorical_comparison_threshold,
        fileDistribution.categorical_comparison_threshold,
        d.categoricalComparisonThreshold,
      )!,
      categoricalDriftMethod: pick(
        overrideDistribution.categorical_drift_method,
        fileDistribution.categorical_drift_method,
        d.categoricalDriftMethod,
      )!,
    },
  };
};
