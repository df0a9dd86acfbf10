import { InputError, type InputLocation } from '../errors.ts';
import { isPlainObject, jsonKind } from './json-rows.ts';
import type { CaptureMetadata } from './types.ts';

export type PayloadEncoding = 'CSV' | 'JSON' | 'BASE64';

/** One side (request or response) of a captured inference, still encoded. */
export interface CapturedPayload {
  observedContentType: string;
  mode: 'INPUT' | 'OUTPUT';
  data: string;
  encoding: PayloadEncoding;
}

/** One SageMaker Data Capture line, checked but with payloads not yet decoded. */
export interface CaptureRecord {
  line: number;
  metadata: CaptureMetadata;
  input?: CapturedPayload;
  output?: CapturedPayload;
}

export const INPUT_FIELD = 'captureData.endpointInput';
export const OUTPUT_FIELD = 'captureData.endpointOutput';

const ENCODINGS: ReadonlySet<string> = new Set<PayloadEncoding>(['CSV', 'JSON', 'BASE64']);

interface At {
  file: string;
  line: number;
}

const fail = (at: At, field: string | undefined, reason: string): InputError => {
  const location: InputLocation = field === undefined ? at : { ...at, field };
  return new InputError(location, reason);
};

const expectObject = (value: unknown, at: At, field: string): Record<string, unknown> => {
  if (value === undefined) throw fail(at, field, 'missing');
  if (!isPlainObject(value)) throw fail(at, field, `expected an object, found ${jsonKind(value)}`);
  return value;
};

const optionalString = (value: unknown, at: At, field: string): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw fail(at, field, `expected a string, found ${jsonKind(value)}`);
  return value;
};

const requiredString = (value: unknown, at: At, field: string): string => {
  const text = optionalString(value, at, field);
  if (text === undefined) throw fail(at, field, 'missing');
  return text;
};

const parsePayload = (
  value: unknown,
  at: At,
  field: string,
  mode: CapturedPayload['mode'],
): CapturedPayload | undefined => {
  // capture may be configured for requests only or responses only, so either side may be absent
  if (value === undefined) return undefined;
  const payload = expectObject(value, at, field);
  const givenMode = optionalString(payload.mode, at, `${field}.mode`);
  if (givenMode !== undefined && givenMode !== mode) {
    throw fail(at, `${field}.mode`, `expected "${mode}", found ${JSON.stringify(givenMode)}`);
  }
  const encoding = requiredString(payload.encoding, at, `${field}.encoding`);
  if (!ENCODINGS.has(encoding)) {
    throw fail(
      at,
      `${field}.encoding`,
      `unknown encoding ${JSON.stringify(encoding)} (expected CSV, JSON or BASE64)`,
    );
  }
  return {
    observedContentType:
      optionalString(payload.observedContentType, at, `${field}.observedContentType`) ?? '',
    mode,
    data: requiredString(payload.data, at, `${field}.data`),
    encoding: encoding as PayloadEncoding,
  };
};

const parseMetadata = (value: unknown, at: At): CaptureMetadata => {
  const meta = expectObject(value, at, 'eventMetadata');
  const eventId = requiredString(meta.eventId, at, 'eventMetadata.eventId');
  if (eventId === '') throw fail(at, 'eventMetadata.eventId', 'empty');
  const inferenceId = optionalString(meta.inferenceId, at, 'eventMetadata.inferenceId');
  // kept as written: SageMaker's own fixtures hold the placeholder "{%s}" here
  const inferenceTime = optionalString(meta.inferenceTime, at, 'eventMetadata.inferenceTime');
  const customAttributes = optionalString(meta.customAttributes, at, 'eventMetadata.customAttributes');
  return {
    eventId,
    ...(inferenceId === undefined ? {} : { inferenceId }),
    ...(inferenceTime === undefined ? {} : { inferenceTime }),
    ...(customAttributes === undefined ? {} : { customAttributes }),
  };
};

/**
 * Checks one parsed capture line and returns its metadata and (still encoded) payloads.
 * Throws InputError whose location names the offending field, e.g.
 * `captureData.endpointInput.encoding`, and whose reason says what is wrong with it.
 */
export function parseCaptureRecord(value: unknown, at: At): CaptureRecord {
  if (!isPlainObject(value))
    throw fail(at, undefined, `expected a capture record object, found ${jsonKind(value)}`);
  const captureData = expectObject(value.captureData, at, 'captureData');
  const input = parsePayload(captureData.endpointInput, at, INPUT_FIELD, 'INPUT');
  const output = parsePayload(captureData.endpointOutput, at, OUTPUT_FIELD, 'OUTPUT');
  if (input === undefined && output === undefined) {
    throw fail(at, 'captureData', 'holds neither endpointInput nor endpointOutput');
  }
  const metadata = parseMetadata(value.eventMetadata, at);
  const record: CaptureRecord = { line: at.line, metadata };
  if (input !== undefined) record.input = input;
  if (output !== undefined) record.output = output;
  return record;
}
