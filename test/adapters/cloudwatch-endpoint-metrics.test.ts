import {
  CloudWatchClient,
  CloudWatchServiceException,
  GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, test } from 'vitest';
import { makeCloudWatchEndpointMetrics } from '../../functions/adapters/cloudwatch/cloudwatch-endpoint-metrics.ts';
import { EndpointMetricsError } from '../../functions/adapters/errors.ts';

const cloudwatch = mockClient(CloudWatchClient);
beforeEach(() => cloudwatch.reset());

const start = new Date('2026-06-01T00:00:00Z');
const end = new Date('2026-06-02T00:00:00Z');
const metrics = () => makeCloudWatchEndpointMetrics(new CloudWatchClient({}));

const query = (id: string, metric: string, stat: string) => ({
  Id: id,
  MetricStat: {
    Metric: {
      Namespace: 'AWS/SageMaker',
      MetricName: metric,
      Dimensions: [
        { Name: 'EndpointName', Value: 'churn-ep' },
        { Name: 'VariantName', Value: 'AllTraffic' },
      ],
    },
    Period: 86_400,
    Stat: stat,
  },
  ReturnData: true,
});

describe('CloudWatch endpoint metrics', () => {
  test('asks AWS/SageMaker for one day-long period per metric and converts latency to milliseconds', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'invocations', StatusCode: 'Complete', Values: [1200] },
        { Id: 'errors4xx', StatusCode: 'Complete', Values: [30] },
        { Id: 'errors5xx', StatusCode: 'Complete', Values: [6] },
        { Id: 'modelLatency', StatusCode: 'Complete', Values: [184_500] },
        { Id: 'overheadLatency', StatusCode: 'Complete', Values: [2_250] },
      ],
    });
    const health = await metrics().getEndpointHealth('churn-ep', 'AllTraffic', start, end);
    expect(health).toEqual({
      endpoint: 'churn-ep',
      variant: 'AllTraffic',
      start,
      end,
      invocations: 1200,
      invocation4xxErrors: 30,
      invocation5xxErrors: 6,
      modelLatencyP99Ms: 184.5,
      overheadLatencyP99Ms: 2.25,
    });
    const calls = cloudwatch.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      MetricDataQueries: [
        query('invocations', 'Invocations', 'Sum'),
        query('errors4xx', 'Invocation4XXErrors', 'Sum'),
        query('errors5xx', 'Invocation5XXErrors', 'Sum'),
        query('modelLatency', 'ModelLatency', 'p99'),
        query('overheadLatency', 'OverheadLatency', 'p99'),
      ],
      StartTime: start,
      EndTime: end,
      ScanBy: 'TimestampAscending',
      NextToken: undefined,
    });
  });

  test('follows NextToken, sums counts across pages and keeps the worst p99', async () => {
    cloudwatch
      .on(GetMetricDataCommand, { NextToken: undefined })
      .resolves({
        NextToken: 'page-2',
        MetricDataResults: [
          { Id: 'invocations', StatusCode: 'PartialData', Values: [100] },
          { Id: 'modelLatency', StatusCode: 'PartialData', Values: [50_000] },
        ],
      })
      .on(GetMetricDataCommand, { NextToken: 'page-2' })
      .resolves({
        MetricDataResults: [
          { Id: 'invocations', StatusCode: 'Complete', Values: [40] },
          { Id: 'modelLatency', StatusCode: 'Complete', Values: [90_000] },
        ],
      });
    const health = await metrics().getEndpointHealth('churn-ep', 'AllTraffic', start, end);
    expect(health).toMatchObject({ invocations: 140, invocation5xxErrors: 0, modelLatencyP99Ms: 90 });
    expect(cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(2);
  });

  test('an idle endpoint has no invocations and no latency', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'invocations', StatusCode: 'Complete', Values: [] },
        { Id: 'modelLatency', StatusCode: 'Complete', Values: [] },
      ],
    });
    const health = await metrics().getEndpointHealth('churn-ep', 'AllTraffic', start, end);
    expect(health).toMatchObject({ invocations: 0, modelLatencyP99Ms: null, overheadLatencyP99Ms: null });
  });

  test('rejects with EndpointMetricsError when CloudWatch refuses, keeping the cause', async () => {
    const denied = new CloudWatchServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      message: 'not authorized to perform cloudwatch:GetMetricData',
      $metadata: {},
    });
    cloudwatch.on(GetMetricDataCommand).rejects(denied);
    const error = await metrics()
      .getEndpointHealth('churn-ep', 'AllTraffic', start, end)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EndpointMetricsError);
    expect((error as Error).message).toBe('metrics of endpoint churn-ep unavailable: GetMetricData failed');
    expect((error as Error).cause).toBe(denied);
  });

  test('rejects a query CloudWatch answers with InternalError', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'modelLatency', StatusCode: 'InternalError', Values: [] }],
    });
    await expect(metrics().getEndpointHealth('churn-ep', 'AllTraffic', start, end)).rejects.toThrow(
      'query modelLatency answered InternalError',
    );
  });
});
