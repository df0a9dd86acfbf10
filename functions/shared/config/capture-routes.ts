import * as z from 'zod';
import { CAPTURE_TRANSPORTS } from './capture-transport.ts';
import type { ModelConfig } from './model-schema.ts';
import { captureLocation } from './model-settings.ts';
import { producersSchema } from './producers.ts';
import { modelName, sageMakerName } from './zod-primitives.ts';

/**
 * What the capture API needs per model, passed to it in its environment (`captureRoutes` in
 * functions/shared/environment.ts): it serves every model, so it cannot take one model's config from its event.
 */
export const captureRouteSchema = z.strictObject({
  model: modelName,
  endpointName: sageMakerName,
  variantName: sageMakerName,
  samplingPercentage: z.number().int().min(1).max(100),
  /** the SageMaker endpoint to proxy to; absent for models served elsewhere (records are posted instead) */
  invokeEndpoint: sageMakerName.optional(),
  /** who may send records and labels (functions/shared/producer-access.ts); absent when the model names nobody */
  producers: producersSchema.optional(),
  /** `stream` puts the records on the capture stream (capture-transport.ts); absent: one S3 object per request */
  transport: z.enum(CAPTURE_TRANSPORTS).optional(),
});
export type CaptureRoute = z.output<typeof captureRouteSchema>;

export const captureRouteFor = (model: ModelConfig): CaptureRoute => ({
  model: model.name,
  ...captureLocation(model),
  samplingPercentage: model.capture.samplingPercentage,
  ...(model.endpoint ? { invokeEndpoint: model.endpoint.name } : {}),
  ...(model.producers ? { producers: model.producers } : {}),
  // only `stream` is written, so the routes of models on the default stay as they were
  ...(model.capture.transport === 'stream' ? { transport: 'stream' as const } : {}),
});
