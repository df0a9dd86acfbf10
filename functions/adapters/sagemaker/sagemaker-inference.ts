import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { InferenceError } from '../errors.ts';
import type { InferenceClient } from '../inference.ts';

const defaultRuntime = new SageMakerRuntimeClient({});

export const makeSageMakerInference = (
  runtime: SageMakerRuntimeClient = defaultRuntime,
): InferenceClient => ({
  async invokeEndpoint(request) {
    try {
      const out = await runtime.send(
        new InvokeEndpointCommand({
          EndpointName: request.endpoint,
          TargetVariant: request.variant,
          ContentType: request.contentType,
          Accept: request.accept,
          Body: typeof request.body === 'string' ? new TextEncoder().encode(request.body) : request.body,
          InferenceId: request.inferenceId,
        }),
      );
      return {
        body: out.Body ?? new Uint8Array(),
        contentType: out.ContentType,
        invokedVariant: out.InvokedProductionVariant,
      };
    } catch (error) {
      throw toInferenceError(request.endpoint, error);
    }
  },
});

const toInferenceError = (endpoint: string, error: unknown): unknown => {
  if (!(error instanceof Error)) return error;
  const cause = { cause: error };
  switch (error.name) {
    case 'ModelError': {
      // the container's own status and message; the message may echo the request, so it stays in `detail`
      const original = error as Error & { OriginalStatusCode?: number; OriginalMessage?: string };
      return new InferenceError(endpoint, 'model-error', 424, false, original.OriginalMessage, cause);
    }
    case 'ModelNotReadyException':
      return new InferenceError(endpoint, 'not-ready', 503, true, undefined, cause);
    case 'ValidationError':
      // unknown endpoint or variant, payload too large, bad content type
      return new InferenceError(endpoint, 'invalid-request', 400, false, error.message, cause);
    case 'ServiceUnavailable':
    case 'InternalFailure':
    case 'InternalDependencyException':
    case 'ThrottlingException':
      return new InferenceError(endpoint, 'unavailable', 503, true, undefined, cause);
    default:
      return error;
  }
};
