import { z } from 'zod';
import { ConfigError } from './config-error.ts';
import type { ModelConfig } from './model-schema.ts';
import { captureLocation } from './model-settings.ts';
import { parseWith } from './parse-config.ts';
import { modelName, sageMakerName } from './zod-primitives.ts';

/**
 * What the capture API needs per model, passed to it as the JSON env var `MODEL_CARE_CAPTURE_ROUTES` (it serves
 * every model, so it cannot take one model's config from its event).
 */
export const captureRouteSchema = z.strictObject({
  model: modelName,
  endpointName: sageMakerName,
  variantName: sageMakerName,
  samplingPercentage: z.number().int().min(1).max(100),
  /** the SageMaker endpoint to proxy to; absent for models served elsewhere (records are posted instead) */
  invokeEndpoint: sageMakerName.optional(),
});
export type CaptureRoute = z.output<typeof captureRouteSchema>;

export const captureRouteFor = (model: ModelConfig): CaptureRoute => ({
  model: model.name,
  ...captureLocation(model),
  samplingPercentage: model.capture.samplingPercentage,
  ...(model.endpoint ? { invokeEndpoint: model.endpoint.name } : {}),
});

export const parseCaptureRoutes = (json: string, source = 'MODEL_CARE_CAPTURE_ROUTES'): CaptureRoute[] => {
  let input: unknown;
  try {
    input = JSON.parse(json);
  } catch {
    throw new ConfigError(`${source}: is not JSON`);
  }
  return parseWith(z.array(captureRouteSchema), input, source);
};
