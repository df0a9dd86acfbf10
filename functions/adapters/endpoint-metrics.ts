/**
 * An endpoint's operational figures over a time range, from its CloudWatch metrics (namespace AWS/SageMaker).
 * Implementation: cloudwatch/cloudwatch-endpoint-metrics.ts. Runtimes without CloudWatch (the local twin) have
 * none, and the quality job then skips its operational checks.
 */

export interface EndpointHealth {
  readonly endpoint: string;
  readonly variant: string;
  /** inclusive */
  readonly start: Date;
  /** exclusive */
  readonly end: Date;
  readonly invocations: number;
  readonly invocation4xxErrors: number;
  readonly invocation5xxErrors: number;
  /** p99 of ModelLatency in milliseconds; null when the endpoint served nothing in the range */
  readonly modelLatencyP99Ms: number | null;
  /** p99 of OverheadLatency (SageMaker's own share of the response time) in milliseconds; null as above */
  readonly overheadLatencyP99Ms: number | null;
}

export interface EndpointMetrics {
  /** Rejects with EndpointMetricsError when CloudWatch cannot answer; an idle endpoint is 0 invocations. */
  getEndpointHealth(endpoint: string, variant: string, start: Date, end: Date): Promise<EndpointHealth>;
}
