import { InputError } from '../errors.ts';
import type { ByteChunks } from './byte-source.ts';
import { type CaptureRecord, parseCaptureRecord } from './capture-record.ts';
import { parseJsonLine, RAW_LIMIT } from './jsonl.ts';
import { DEFAULT_MAX_LINE_LENGTH, reportingLineCap } from './limits.ts';
import { lineBatches, type TextLine } from './lines.ts';
import { decodeUtf8 } from './text.ts';
import type { MalformedSink } from './types.ts';

export {
  type CapturedPayload,
  type CaptureRecord,
  INPUT_FIELD,
  OUTPUT_FIELD,
  type PayloadEncoding,
  parseCaptureRecord,
} from './capture-record.ts';
export { decodePayloadRows, type PayloadLocation, type PayloadRows } from './payload.ts';

export interface CaptureOptions {
  /** names the input in malformed reports */
  file: string;
  onMalformed: MalformedSink;
  /** characters in one line; a longer one is reported and skipped; @default DEFAULT_MAX_LINE_LENGTH */
  maxLineLength?: number;
}

/**
 * Reports an InputError about one line to the sink, with the line's start as `raw`.
 * Any other error is a bug, not bad input, and is thrown on.
 */
export const reportMalformed = (
  error: unknown,
  line: TextLine,
  file: string,
  onMalformed: MalformedSink,
): void => {
  if (!(error instanceof InputError)) throw error;
  onMalformed({
    file,
    line: line.line,
    ...(error.location.field === undefined ? {} : { field: error.location.field }),
    reason: error.reason,
    raw: line.text.slice(0, RAW_LIMIT),
  });
};

/** One capture line to its record, or undefined when blank or reported as malformed. */
export const captureFromLine = (
  line: TextLine,
  file: string,
  onMalformed: MalformedSink,
): CaptureRecord | undefined => {
  const parsed = parseJsonLine(line, file, onMalformed);
  if (parsed === undefined) return undefined;
  try {
    return parseCaptureRecord(parsed.value, { file, line: line.line });
  } catch (error) {
    reportMalformed(error, line, file, onMalformed);
    return undefined;
  }
};

/**
 * Streams the records of a SageMaker Data Capture file (JSON Lines). A line that is not
 * JSON, or not a valid capture record, goes to `onMalformed` with the field at fault, and
 * reading goes on. Payloads are left encoded: see `decodePayloadRows`.
 */
export async function* readCapture(source: ByteChunks, opts: CaptureOptions): AsyncGenerator<CaptureRecord> {
  const cap = reportingLineCap(opts.file, opts.onMalformed, opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
  for await (const batch of lineBatches(decodeUtf8(source), cap)) {
    for (const line of batch) {
      const record = captureFromLine(line, opts.file, opts.onMalformed);
      if (record !== undefined) yield record;
    }
  }
}
