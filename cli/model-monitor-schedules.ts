import {
  DescribeDataQualityJobDefinitionCommand,
  DescribeModelQualityJobDefinitionCommand,
  DescribeMonitoringScheduleCommand,
  DescribeProcessingJobCommand,
  ListMonitoringSchedulesCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';

/**
 * What Model Monitor knows about an endpoint, read through the SageMaker API: its monitoring schedules (every page
 * of ListMonitoringSchedules), each one's job definition (DescribeDataQualityJobDefinition /
 * DescribeModelQualityJobDefinition, or the definition inlined in an older schedule), and where the baselining
 * job read its dataset (DescribeProcessingJob). Answers are kept as the API's JSON, so the mapping
 * (model-monitor-mapping.ts) is pure and tested on recorded answers.
 */

export type Json = Record<string, unknown>;

export type MonitoringType = 'DataQuality' | 'ModelQuality' | 'ModelBias' | 'ModelExplainability';

export interface FoundSchedule {
  readonly name: string;
  readonly type: MonitoringType;
  readonly status: string;
  /** `cron(...)`, `NOW`, or absent */
  readonly scheduleExpression?: string;
  /** the job definition in the shape of Describe<Type>JobDefinition's answer (null for bias/explainability) */
  readonly definition: Json | null;
  /** the baselining processing job's answer, when the definition names one that still exists */
  readonly baseliningJob?: Json;
}

const asJson = (output: object): Json => {
  const { $metadata: _metadata, ...fields } = output as Json;
  return JSON.parse(JSON.stringify(fields)) as Json;
};

const isNotFound = (error: unknown): boolean =>
  error instanceof Error &&
  (error.name === 'ResourceNotFound' ||
    (error.name === 'ValidationException' && /could not find|does not exist/i.test(error.message)));

/** an older schedule's inline MonitoringJobDefinition, in the shape of DescribeDataQualityJobDefinition's answer */
const inlineDefinition = (definition: Json): Json => {
  const inputs = Array.isArray(definition.MonitoringInputs) ? (definition.MonitoringInputs as Json[]) : [];
  const app = (definition.MonitoringAppSpecification ?? {}) as Json;
  return {
    DataQualityBaselineConfig: definition.BaselineConfig,
    DataQualityAppSpecification: { ...app, Environment: definition.Environment },
    DataQualityJobInput: { EndpointInput: inputs[0]?.EndpointInput },
    DataQualityJobOutputConfig: definition.MonitoringOutputConfig,
    RoleArn: definition.RoleArn,
  };
};

export const readMonitoringSchedules = async (
  sagemaker: SageMakerClient,
  endpoint: string,
): Promise<FoundSchedule[]> => {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await sagemaker.send(
      new ListMonitoringSchedulesCommand({ EndpointName: endpoint, NextToken: token }),
    );
    for (const summary of page.MonitoringScheduleSummaries ?? []) {
      if (summary.MonitoringScheduleName) names.push(summary.MonitoringScheduleName);
    }
    token = page.NextToken;
  } while (token);

  const found: FoundSchedule[] = [];
  for (const name of names) {
    const schedule = await sagemaker.send(
      new DescribeMonitoringScheduleCommand({ MonitoringScheduleName: name }),
    );
    const config = schedule.MonitoringScheduleConfig ?? {};
    const type = (schedule.MonitoringType ?? config.MonitoringType ?? 'DataQuality') as MonitoringType;
    let definition: Json | null = null;
    const definitionName = config.MonitoringJobDefinitionName;
    if (type === 'DataQuality' && definitionName) {
      definition = asJson(
        await sagemaker.send(
          new DescribeDataQualityJobDefinitionCommand({ JobDefinitionName: definitionName }),
        ),
      );
    } else if (type === 'ModelQuality' && definitionName) {
      definition = asJson(
        await sagemaker.send(
          new DescribeModelQualityJobDefinitionCommand({ JobDefinitionName: definitionName }),
        ),
      );
    } else if (type === 'DataQuality' && config.MonitoringJobDefinition) {
      definition = inlineDefinition(asJson(config.MonitoringJobDefinition));
    }
    const baselineConfig = (definition?.DataQualityBaselineConfig ??
      definition?.ModelQualityBaselineConfig) as Json | undefined;
    const jobName =
      typeof baselineConfig?.BaseliningJobName === 'string' ? baselineConfig.BaseliningJobName : undefined;
    let baseliningJob: Json | undefined;
    if (jobName) {
      try {
        baseliningJob = asJson(
          await sagemaker.send(new DescribeProcessingJobCommand({ ProcessingJobName: jobName })),
        );
      } catch (error) {
        // an old baselining job may have been cleaned up; the dataset is then asked for
        if (!isNotFound(error)) throw error;
      }
    }
    found.push({
      name,
      type,
      status: schedule.MonitoringScheduleStatus ?? 'Unknown',
      ...(config.ScheduleConfig?.ScheduleExpression
        ? { scheduleExpression: config.ScheduleConfig.ScheduleExpression }
        : {}),
      definition,
      ...(baseliningJob ? { baseliningJob } : {}),
    });
  }
  return found;
};
