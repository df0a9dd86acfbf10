import {
  CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import type { EndpointHealth, EndpointMetrics } from '../endpoint-metrics.ts';
import { EndpointMetricsError } from '../errors.ts';

const defaultCloudWatch = new CloudWatchClient({});

export const SAGEMAKER_NAMESPACE = 'AWS/SageMaker';
/** AWS/SageMaker reports ModelLatency and OverheadLatency in microseconds */
const MICROSECONDS_PER_MS = 1000;
/** a runaway NextToken loop fails instead of spinning; one range needs one or two pages */
const MAX_PAGES = 20;

const QUERIES = [
  { id: 'invocations', metric: 'Invocations', stat: 'Sum' },
  { id: 'errors4xx', metric: 'Invocation4XXErrors', stat: 'Sum' },
  { id: 'errors5xx', metric: 'Invocation5XXErrors', stat: 'Sum' },
  { id: 'modelLatency', metric: 'ModelLatency', stat: 'p99' },
  { id: 'overheadLatency', metric: 'OverheadLatency', stat: 'p99' },
] as const;

/**
 * One period spanning the whole range, so CloudWatch computes the p99 over all of it. Periods are whole minutes;
 * CloudWatch asks for multiples of 300 or 3600 seconds only for data older than 15 or 63 days, which quality
 * windows (minutes to days, whole hours when long) meet.
 */
export const periodSeconds = (start: Date, end: Date): number =>
  Math.max(60, Math.ceil((end.getTime() - start.getTime()) / 60_000) * 60);

export const endpointHealthQueries = (
  endpoint: string,
  variant: string,
  start: Date,
  end: Date,
): MetricDataQuery[] =>
  QUERIES.map((q) => ({
    Id: q.id,
    MetricStat: {
      Metric: {
        Namespace: SAGEMAKER_NAMESPACE,
        MetricName: q.metric,
        Dimensions: [
          { Name: 'EndpointName', Value: endpoint },
          { Name: 'VariantName', Value: variant },
        ],
      },
      Period: periodSeconds(start, end),
      Stat: q.stat,
    },
    ReturnData: true,
  }));

export const makeCloudWatchEndpointMetrics = (
  cloudwatch: CloudWatchClient = defaultCloudWatch,
): EndpointMetrics => ({
  async getEndpointHealth(endpoint, variant, start, end): Promise<EndpointHealth> {
    const values = new Map<string, number[]>(QUERIES.map((q) => [q.id, []]));
    let token: string | undefined;
    let pages = 0;
    do {
      pages += 1;
      if (pages > MAX_PAGES) throw new EndpointMetricsError(endpoint, `more than ${MAX_PAGES} pages`);
      const out = await cloudwatch
        .send(
          new GetMetricDataCommand({
            MetricDataQueries: endpointHealthQueries(endpoint, variant, start, end),
            StartTime: start,
            EndTime: end,
            ScanBy: 'TimestampAscending',
            NextToken: token,
          }),
        )
        .catch((error: unknown) => {
          throw new EndpointMetricsError(endpoint, 'GetMetricData failed', { cause: error });
        });
      for (const result of out.MetricDataResults ?? []) collect(endpoint, result, values);
      token = out.NextToken;
    } while (token);

    const sum = (id: string) => (values.get(id) ?? []).reduce((total, v) => total + v, 0);
    // a range CloudWatch splits into several periods has several p99s; their maximum errs towards alerting
    const p99Ms = (id: string) => {
      const points = values.get(id) ?? [];
      return points.length === 0 ? null : Math.max(...points) / MICROSECONDS_PER_MS;
    };
    return {
      endpoint,
      variant,
      start,
      end,
      invocations: sum('invocations'),
      invocation4xxErrors: sum('errors4xx'),
      invocation5xxErrors: sum('errors5xx'),
      modelLatencyP99Ms: p99Ms('modelLatency'),
      overheadLatencyP99Ms: p99Ms('overheadLatency'),
    };
  },
});

const collect = (endpoint: string, result: MetricDataResult, values: Map<string, number[]>): void => {
  if (result.StatusCode === 'InternalError' || result.StatusCode === 'Forbidden') {
    throw new EndpointMetricsError(endpoint, `query ${result.Id ?? '?'} answered ${result.StatusCode}`);
  }
  const into = values.get(result.Id ?? '');
  if (!into) return;
  for (const value of result.Values ?? []) if (Number.isFinite(value)) into.push(value);
};
