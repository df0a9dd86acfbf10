import * as z from 'zod';
import { isoInstant } from '../handler-kit/job-event.ts';
import { HttpError } from './http-error.ts';

/**
 * What the capture API accepts. The Lambda event is a Function URL request (payload format 2.0); the bodies of
 * the JSON routes are validated with these schemas, and a bad body is answered 400 naming the field.
 *
 * POST /models/{model}/invocations   the model's own payload; proxied to its SageMaker endpoint and captured
 * POST /models/{model}/records       {"records": [{request, response, eventId?, inferenceId?, inferenceTime?}]}
 * POST /models/{model}/labels        {"labels": [{eventId | inferenceId, label}]}, written as ground truth
 */

export const functionUrlEventSchema = z.object({
  rawPath: z.string(),
  requestContext: z.object({
    http: z.object({ method: z.string() }),
    /** the signed caller, as AWS_IAM auth reports it; authorizes producers (producer-access.ts) */
    authorizer: z.object({ iam: z.object({ userArn: z.string().optional() }).optional() }).nullish(),
  }),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});
export type FunctionUrlEvent = z.output<typeof functionUrlEventSchema>;

export interface FunctionUrlResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly isBase64Encoded?: boolean;
}

/** a record more than this is refused (413): the Lambda's 6 MB payload limit comes first in practice */
export const MAX_RECORDS_PER_REQUEST = 1000;

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const payloadShape = {
  contentType: z.string().min(1).max(256),
  /** the payload as text, or its bytes in base64 when `encoding` is BASE64 */
  data: z.string(),
  encoding: z.enum(['TEXT', 'BASE64']).default('TEXT'),
};
const payloadSchema = z.strictObject(payloadShape);
const responseSchema = z.strictObject(payloadShape, {
  error: (issue) =>
    issue.input === undefined
      ? "is required: a record holds the model's request and its response (the prediction)"
      : undefined,
});
export type RecordPayload = z.output<typeof payloadSchema>;

const inferenceId = z.string().min(1).max(64);

const recordSchema = z.strictObject({
  request: payloadSchema,
  /**
   * required: every model lists outputs, and a record without its response could be neither profiled whole nor
   * joined with its label; refused here rather than stored and later counted malformed by every job
   */
  response: responseSchema,
  /** a UUID; send the same one when retrying, so the retry is recognisably the same record */
  eventId: z.string().regex(UUID, 'is not a UUID').optional(),
  inferenceId: inferenceId.optional(),
  /** @default - the time the API received it */
  inferenceTime: isoInstant.optional(),
});
export type CaptureRecordInput = z.output<typeof recordSchema>;

export const recordsBodySchema = z.strictObject({
  records: z
    .array(recordSchema)
    .min(1, 'must hold at least one record')
    .max(MAX_RECORDS_PER_REQUEST, `holds more than ${MAX_RECORDS_PER_REQUEST} records`),
});

const labelSchema = z
  .strictObject({
    eventId: z.string().min(1).max(64).optional(),
    inferenceId: inferenceId.optional(),
    label: z.union([z.string().min(1).max(1024), z.number().finite(), z.boolean()]),
  })
  .refine((label) => label.eventId !== undefined || label.inferenceId !== undefined, {
    message: 'needs an eventId or an inferenceId to join on',
  });

export const labelsBodySchema = z.strictObject({
  labels: z
    .array(labelSchema)
    .min(1, 'must hold at least one label')
    .max(MAX_RECORDS_PER_REQUEST, `holds more than ${MAX_RECORDS_PER_REQUEST} labels`),
});

export type CaptureRouteKind = 'invocations' | 'records' | 'labels';

/**
 * `/models/churn/records` -> { model: 'churn', kind: 'records' }. A model segment that is not valid
 * percent-encoding (`%E0%A4%A`) is the caller's mistake: HttpError 400, without echoing the path.
 */
export const matchRoute = (path: string): { model: string; kind: CaptureRouteKind } | undefined => {
  const match = /^\/models\/([^/]+)\/(invocations|records|labels)\/?$/.exec(path);
  if (!match) return undefined;
  let model: string;
  try {
    model = decodeURIComponent(match[1] ?? '');
  } catch {
    throw new HttpError(400, 'rawPath: the model name is not valid percent-encoding');
  }
  return { model, kind: match[2] as CaptureRouteKind };
};

/** HTTP header names are case-insensitive; Function URLs pass them lower-cased, tests may not */
export const header = (headers: Record<string, string> | undefined, name: string): string | undefined => {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
};
