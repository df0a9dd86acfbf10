/**
 * How the capture API stores a model's records (config `capture.transport`, issue 13):
 * - `api`: one S3 object per request, written before the API answers (a PUT per request: fine at low traffic);
 * - `stream`: records on the stack's Amazon Data Firehose stream, which buffers them and writes the same
 *   `capture/<endpoint>/<variant>/yyyy/mm/dd/hh/` layout, so the data job reads both alike.
 */
export const CAPTURE_TRANSPORTS = ['api', 'stream'] as const;
export type CaptureTransport = (typeof CAPTURE_TRANSPORTS)[number];

/** the field a streamed capture line carries its folder in: Firehose's jq query reads the partition keys there */
export const STREAM_FOLDER_FIELD = 'captureFolder';

/** Firehose's jq query of the partition keys (dynamic partitioning, metadata extraction) */
export const STREAM_PARTITION_QUERY = `{endpoint: .${STREAM_FOLDER_FIELD}.endpoint, variant: .${STREAM_FOLDER_FIELD}.variant}`;

/** where Firehose writes: SageMaker's layout, the hour being the record's arrival hour in UTC (as SageMaker's) */
export const STREAM_S3_PREFIX =
  'capture/!{partitionKeyFromQuery:endpoint}/!{partitionKeyFromQuery:variant}/!{timestamp:yyyy/MM/dd/HH}/';
/** records Firehose could not partition land here, outside capture/, so the data job never reads them */
export const STREAM_ERROR_PREFIX = 'capture-errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/';

/**
 * A capture line (SageMaker's record, newline-terminated) with its folder added as one more top-level field:
 * readers of SageMaker's format ignore fields they do not know.
 */
export const streamCaptureLine = (line: string, folder: { endpoint: string; variant: string }): string => {
  const body = line.endsWith('\n') ? line.slice(0, -1) : line;
  if (!body.startsWith('{') || !body.endsWith('}')) throw new Error('a capture line is one JSON object');
  return `${body.slice(0, -1)},${JSON.stringify(STREAM_FOLDER_FIELD)}:${JSON.stringify(folder)}}\n`;
};
