import type { EndpointHealth, EndpointMetrics } from '../adapters/endpoint-metrics.ts';
import { type MetricPoint, MODEL_LEVEL_FEATURE } from '../adapters/metric-repository.ts';
import { HOUR_MS } from '../handler-kit/job-window.ts';
import type { MonitoringViolation } from '../handler-kit/monitoring-violation.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';

/** the endpoint's figures over the window, as the run summary, the report and the metric series hold them */
export interface OperationalFigures {
  readonly endpoint: string;
  readonly variant: string;
  readonly invocations: number;
  readonly invocationsPerHour: number;
  readonly invocation4xxErrors: number;
  readonly invocation5xxErrors: number;
  /** (4XX + 5XX) / invocations; null without invocations */
  readonly errorRate: number | null;
  readonly modelLatencyP99Ms: number | null;
  readonly overheadLatencyP99Ms: number | null;
}

export type OperationalOutcome =
  | { readonly status: 'checked'; readonly figures: OperationalFigures }
  | { readonly status: 'skipped'; readonly reason: string };

export const operationalFigures = (health: EndpointHealth): OperationalFigures => {
  const hours = (health.end.getTime() - health.start.getTime()) / HOUR_MS;
  const errors = health.invocation4xxErrors + health.invocation5xxErrors;
  return {
    endpoint: health.endpoint,
    variant: health.variant,
    invocations: health.invocations,
    invocationsPerHour: hours > 0 ? health.invocations / hours : 0,
    invocation4xxErrors: health.invocation4xxErrors,
    invocation5xxErrors: health.invocation5xxErrors,
    errorRate: health.invocations > 0 ? errors / health.invocations : null,
    modelLatencyP99Ms: health.modelLatencyP99Ms,
    overheadLatencyP99Ms: health.overheadLatencyP99Ms,
  };
};

const hasThresholds = (model: ModelConfig): boolean =>
  Object.values(model.operational).some((threshold) => threshold !== undefined);

/**
 * Reads the endpoint's health over the window, when there is something to check: only models with an endpoint
 * and at least one `operational` threshold are asked about, so a deployment that sets none makes no CloudWatch
 * call. Without a port (the local twin) the checks are skipped, with that as the reason.
 */
export const readOperationalHealth = async (
  port: EndpointMetrics | undefined,
  model: ModelConfig,
  window: { readonly start: Date; readonly end: Date },
): Promise<OperationalOutcome> => {
  if (!model.endpoint) return { status: 'skipped', reason: 'the model has no SageMaker endpoint' };
  if (!hasThresholds(model)) return { status: 'skipped', reason: 'no operational thresholds configured' };
  if (!port) return { status: 'skipped', reason: 'endpoint metrics are not available in this runtime' };
  const health = await port.getEndpointHealth(
    model.endpoint.name,
    model.endpoint.variant,
    window.start,
    window.end,
  );
  return { status: 'checked', figures: operationalFigures(health) };
};

/** `operational_check` violations: latency or error rate above their thresholds, invocations below theirs */
export const operationalViolations = (
  outcome: OperationalOutcome,
  thresholds: ModelConfig['operational'],
): MonitoringViolation[] => {
  if (outcome.status !== 'checked') return [];
  const f = outcome.figures;
  const violations: MonitoringViolation[] = [];
  const { latencyP99Ms, errorRate, minInvocationsPerHour } = thresholds;
  if (latencyP99Ms !== undefined && f.modelLatencyP99Ms !== null && f.modelLatencyP99Ms > latencyP99Ms) {
    violations.push({
      featureName: 'model_latency_p99_ms',
      constraintCheckType: 'operational_check',
      description: `ModelLatency p99 of ${f.endpoint}/${f.variant} is ${f.modelLatencyP99Ms.toFixed(1)} ms, above ${latencyP99Ms} ms`,
      value: f.modelLatencyP99Ms,
      threshold: latencyP99Ms,
    });
  }
  if (errorRate !== undefined && f.errorRate !== null && f.errorRate > errorRate) {
    violations.push({
      featureName: 'error_rate',
      constraintCheckType: 'operational_check',
      description:
        `${f.invocation4xxErrors + f.invocation5xxErrors} of ${f.invocations} invocations of ${f.endpoint}/${f.variant} ` +
        `failed (4XX ${f.invocation4xxErrors}, 5XX ${f.invocation5xxErrors}): ${f.errorRate.toFixed(4)}, above ${errorRate}`,
      value: f.errorRate,
      threshold: errorRate,
    });
  }
  if (minInvocationsPerHour !== undefined && f.invocationsPerHour < minInvocationsPerHour) {
    violations.push({
      featureName: 'invocations_per_hour',
      constraintCheckType: 'operational_check',
      description: `${f.endpoint}/${f.variant} served ${f.invocationsPerHour.toFixed(1)} invocations per hour, below ${minInvocationsPerHour}`,
      value: f.invocationsPerHour,
      threshold: minInvocationsPerHour,
    });
  }
  return violations;
};

/** the figures as metric series points (model level); absent figures are left out */
export const operationalMetricPoints = (outcome: OperationalOutcome): MetricPoint[] => {
  if (outcome.status !== 'checked') return [];
  const f = outcome.figures;
  const entries: [string, number | null][] = [
    ['invocations', f.invocations],
    ['invocations_per_hour', f.invocationsPerHour],
    ['invocation_4xx_errors', f.invocation4xxErrors],
    ['invocation_5xx_errors', f.invocation5xxErrors],
    ['error_rate', f.errorRate],
    ['model_latency_p99_ms', f.modelLatencyP99Ms],
    ['overhead_latency_p99_ms', f.overheadLatencyP99Ms],
  ];
  return entries.flatMap(([metric, value]) =>
    value !== null && Number.isFinite(value) ? [{ feature: MODEL_LEVEL_FEATURE, metric, value }] : [],
  );
};
