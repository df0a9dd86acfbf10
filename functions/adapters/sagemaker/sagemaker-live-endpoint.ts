import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { EndpointNotFoundError } from '../errors.ts';
import type { LiveEndpointReader, ResourceTag } from '../live-endpoint.ts';

const defaultSageMaker = new SageMakerClient({});

// SageMaker reports an unknown resource as ValidationException "Could not find ..." (the other adapter matches it too)
const NOT_FOUND = /could not find/i;

const isNotFound = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ValidationException' && NOT_FOUND.test(error.message);

/** the SDK's output as JSON: Dates as ISO strings, the response metadata dropped */
const asJson = (output: object): Record<string, unknown> => {
  const { $metadata: _metadata, ...fields } = output as Record<string, unknown>;
  return JSON.parse(JSON.stringify(fields)) as Record<string, unknown>;
};

/** The LiveEndpointReader port over the SageMaker API. */
export const makeSageMakerLiveEndpoint = (
  sagemaker: SageMakerClient = defaultSageMaker,
): LiveEndpointReader => {
  const call = async <T>(resource: string, send: () => Promise<T>): Promise<T> => {
    try {
      return await send();
    } catch (error) {
      if (isNotFound(error)) throw new EndpointNotFoundError(resource, { cause: error });
      throw error;
    }
  };

  const tagsOf = async (arn: string): Promise<ResourceTag[]> => {
    const tags: ResourceTag[] = [];
    let token: string | undefined;
    do {
      const page = await sagemaker.send(new ListTagsCommand({ ResourceArn: arn, NextToken: token }));
      for (const tag of page.Tags ?? []) {
        if (tag.Key !== undefined) tags.push({ Key: tag.Key, Value: tag.Value ?? '' });
      }
      token = page.NextToken;
    } while (token);
    return tags;
  };

  return {
    async describeEndpoint(name) {
      const out = await call(`endpoint ${name}`, () =>
        sagemaker.send(new DescribeEndpointCommand({ EndpointName: name })),
      );
      return {
        name: out.EndpointName ?? name,
        status: out.EndpointStatus ?? 'Unknown',
        configName: out.EndpointConfigName ?? '',
        failureReason: out.FailureReason ?? null,
      };
    },

    async describeEndpointConfig(name) {
      const out = await call(`endpoint config ${name}`, () =>
        sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name })),
      );
      const tags = out.EndpointConfigArn ? await tagsOf(out.EndpointConfigArn) : [];
      return { description: asJson(out), tags };
    },

    async describeModel(name) {
      const out = await call(`model ${name}`, () =>
        sagemaker.send(new DescribeModelCommand({ ModelName: name })),
      );
      const container = out.PrimaryContainer ?? out.Containers?.[0];
      const url = container?.ModelDataUrl ?? container?.ModelDataSource?.S3DataSource?.S3Uri ?? null;
      return {
        name: out.ModelName ?? name,
        modelDataUrl: url,
        ...(out.ExecutionRoleArn ? { executionRoleArn: out.ExecutionRoleArn } : {}),
      };
    },
  };
};
