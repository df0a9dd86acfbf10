import type { CapturedPayload, CaptureRecord, PayloadEncoding } from './capture-record.ts';
import { ownString } from './own-string.ts';
import type { CaptureMetadata } from './types.ts';

/**
 * The fast path for SageMaker Data Capture lines: one regular expression for the shape endpoints
 * actually write, instead of `JSON.parse` and a walk over the parsed object.
 *
 * It accepts a strict subset of JSON: no whitespace, no escapes, no control characters, no other keys,
 * each key once, in one of the two orders SageMaker writes (`captureData` first, as endpoints write
 * today, or `eventMetadata` and `eventVersion` first, as in the SageMaker SDK's own fixtures). Any line
 * it accepts is therefore valid JSON whose parse `parseCaptureRecord` would take without complaint, and
 * it returns the very record `parseCaptureRecord(JSON.parse(line))` would. Anything else (including
 * every malformed line) gets `undefined`, and the caller takes the full path, which reports problems.
 */

// a JSON string's content that needs no unescaping and that JSON.parse accepts as it is
const PLAIN = '[^"\\\\\\u0000-\\u001f]';
const TEXT = `(${PLAIN}*)`;
const ENCODING = '(CSV|JSON|BASE64)';

const payload = (side: 'endpointInput' | 'endpointOutput', mode: 'INPUT' | 'OUTPUT'): string =>
  `"${side}":\\{"observedContentType":"${TEXT}","mode":"${mode}","data":"${TEXT}","encoding":"${ENCODING}"\\}`;

const CAPTURE_DATA = `"captureData":\\{${payload('endpointInput', 'INPUT')},${payload('endpointOutput', 'OUTPUT')}\\}`;
// eventId must not be empty; inferenceId and inferenceTime are optional, in this order
const METADATA = `"eventMetadata":\\{"eventId":"(${PLAIN}+)"(?:,"inferenceId":"${TEXT}")?(?:,"inferenceTime":"${TEXT}")?\\}`;
const VERSION = `"eventVersion":"${PLAIN}*"`;

/** capture groups 1-6: the two payloads; 7-9: the metadata */
const CAPTURE_FIRST = new RegExp(`^\\{${CAPTURE_DATA},${METADATA}(?:,${VERSION})?\\}$`);
/** capture groups 1-3: the metadata; 4-9: the two payloads */
const METADATA_FIRST = new RegExp(`^\\{${METADATA}(?:,${VERSION})?,${CAPTURE_DATA}\\}$`);

const side = (
  mode: CapturedPayload['mode'],
  observedContentType: string,
  data: string,
  encoding: string,
): CapturedPayload => ({
  observedContentType: ownString(observedContentType),
  mode,
  data: ownString(data),
  encoding: encoding as PayloadEncoding,
});

// the strings are the record's own, not views of the line (see ownString): ids are kept for joins
const metadataOf = (id: string, inference?: string, time?: string): CaptureMetadata => {
  const eventId = ownString(id);
  const inferenceId = inference === undefined ? undefined : ownString(inference);
  const inferenceTime = time === undefined ? undefined : ownString(time);
  if (inferenceId === undefined && inferenceTime === undefined) return { eventId };
  if (inferenceId === undefined) return { eventId, inferenceTime };
  if (inferenceTime === undefined) return { eventId, inferenceId };
  return { eventId, inferenceId, inferenceTime };
};

/**
 * The capture record of a line in SageMaker's usual shape, or undefined when the line needs the full
 * parser (see above). `line` is the record's 1-based line number.
 */
export const scanCaptureLine = (text: string, line: number): CaptureRecord | undefined => {
  let m = CAPTURE_FIRST.exec(text);
  if (m !== null) {
    return {
      line,
      metadata: metadataOf(m[7]!, m[8], m[9]),
      input: side('INPUT', m[1]!, m[2]!, m[3]!),
      output: side('OUTPUT', m[4]!, m[5]!, m[6]!),
    };
  }
  m = METADATA_FIRST.exec(text);
  if (m === null) return undefined;
  return {
    line,
    metadata: metadataOf(m[1]!, m[2], m[3]),
    input: side('INPUT', m[4]!, m[5]!, m[6]!),
    output: side('OUTPUT', m[7]!, m[8]!, m[9]!),
  };
};

const DATA_KEY = '"data":"';
const ENCODING_KEY = '","encoding":"';
// the fixed text between the values of the usual shape, captureData first
const TO_INPUT_TYPE = '{"captureData":{"endpointInput":{"observedContentType":"'.length;
const TO_INPUT_DATA = '","mode":"INPUT","data":"'.length;
const TO_OUTPUT_TYPE = '","encoding":"CSV"},"endpointOutput":{"observedContentType":"'.length;
const TO_OUTPUT_DATA = '","mode":"OUTPUT","data":"'.length;
const C = 67;

/**
 * Where the two CSV payloads of a capture line sit, for a line `scanCaptureLine` takes whose payloads
 * are both CSV-encoded: `at` gets input data start and end, then output data start and end (offsets into
 * `text`). False for any other line. It allocates nothing: the profiler's path reads cells straight out
 * of the line, and the metadata is cut only for whoever asks for it.
 */
export const locateCsvPayloads = (text: string, at: Int32Array): boolean => {
  let inputStart: number;
  let inputEnd: number;
  let outputStart: number;
  // the line matched, so no value holds a quote: each value ends at the next quote, and the text
  // between values is the pattern's own
  if (CAPTURE_FIRST.test(text)) {
    inputStart = text.indexOf('"', TO_INPUT_TYPE) + TO_INPUT_DATA;
    inputEnd = text.indexOf('"', inputStart);
    // of the three encodings only CSV starts with a C
    if (text.charCodeAt(inputEnd + ENCODING_KEY.length) !== C) return false;
    outputStart = text.indexOf('"', inputEnd + TO_OUTPUT_TYPE) + TO_OUTPUT_DATA;
  } else if (METADATA_FIRST.test(text)) {
    // the metadata comes first and its length varies: find the `data` members, input first
    inputStart = text.indexOf(DATA_KEY) + DATA_KEY.length;
    inputEnd = text.indexOf('"', inputStart);
    if (text.charCodeAt(inputEnd + ENCODING_KEY.length) !== C) return false;
    outputStart = text.indexOf(DATA_KEY, inputEnd) + DATA_KEY.length;
  } else return false;
  const outputEnd = text.indexOf('"', outputStart);
  if (text.charCodeAt(outputEnd + ENCODING_KEY.length) !== C) return false;
  at[0] = inputStart;
  at[1] = inputEnd;
  at[2] = outputStart;
  at[3] = outputEnd;
  return true;
};
