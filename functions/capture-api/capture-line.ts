/**
 * One SageMaker Data Capture record, as SageMaker writes it, so Model Monitor and model-care read our capture
 * alike: `{"captureData":{"endpointInput":{...},"endpointOutput":{...}},"eventMetadata":{"eventId",
 * "inferenceId","inferenceTime"},"eventVersion":"0"}`. Payload encoding follows SageMaker's rule: CSV for
 * text/csv, JSON for JSON and JSON Lines, BASE64 for anything else (and for bytes that are not UTF-8 text).
 */

export type PayloadEncoding = 'CSV' | 'JSON' | 'BASE64';

export interface CapturedPayload {
  readonly observedContentType: string;
  readonly mode: 'INPUT' | 'OUTPUT';
  readonly data: string;
  readonly encoding: PayloadEncoding;
}

export interface CaptureEvent {
  readonly eventId: string;
  readonly inferenceId?: string;
  readonly inferenceTime: Date;
  readonly request: { readonly contentType: string; readonly body: Uint8Array };
  /** absent when only the request is captured */
  readonly response?: { readonly contentType: string; readonly body: Uint8Array };
}

const JSON_TYPES = new Set([
  'application/json',
  'application/jsonlines',
  'application/jsonl',
  'application/x-jsonlines',
]);
const utf8 = new TextDecoder('utf-8', { fatal: true });

const mediaType = (contentType: string): string => contentType.split(';')[0]?.trim().toLowerCase() ?? '';

const asText = (body: Uint8Array): string | undefined => {
  try {
    return utf8.decode(body);
  } catch {
    return undefined;
  }
};

export const encodePayload = (
  contentType: string,
  body: Uint8Array,
  mode: CapturedPayload['mode'],
): CapturedPayload => {
  const type = mediaType(contentType);
  const text = type === 'text/csv' || JSON_TYPES.has(type) ? asText(body) : undefined;
  if (text !== undefined) {
    return {
      observedContentType: contentType,
      mode,
      data: text,
      encoding: type === 'text/csv' ? 'CSV' : 'JSON',
    };
  }
  return {
    observedContentType: contentType,
    mode,
    data: Buffer.from(body).toString('base64'),
    encoding: 'BASE64',
  };
};

/** SageMaker writes inference times to the second, with Z */
const inferenceTimeText = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`;

/** the record as one JSON Lines line, newline included */
export const captureLine = (event: CaptureEvent): string => {
  const captureData: Record<string, CapturedPayload> = {
    endpointInput: encodePayload(event.request.contentType, event.request.body, 'INPUT'),
  };
  if (event.response) {
    captureData.endpointOutput = encodePayload(event.response.contentType, event.response.body, 'OUTPUT');
  }
  const record = {
    captureData,
    eventMetadata: {
      eventId: event.eventId,
      ...(event.inferenceId === undefined ? {} : { inferenceId: event.inferenceId }),
      inferenceTime: inferenceTimeText(event.inferenceTime),
    },
    eventVersion: '0',
  };
  return `${JSON.stringify(record)}\n`;
};

/** Model Monitor's ground-truth record for one label */
export const groundTruthLine = (label: {
  readonly eventId: string;
  readonly inferenceId?: string;
  readonly data: string;
  readonly time: Date;
}): string =>
  `${JSON.stringify({
    groundTruthData: { data: label.data, encoding: 'CSV' },
    eventMetadata: {
      eventId: label.eventId,
      ...(label.inferenceId === undefined ? {} : { inferenceId: label.inferenceId }),
      inferenceTime: inferenceTimeText(label.time),
    },
    eventVersion: '0',
  })}\n`;
