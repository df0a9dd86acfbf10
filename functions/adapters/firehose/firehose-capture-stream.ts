import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import type { CaptureStream } from '../capture-stream.ts';

const defaultFirehose = new FirehoseClient({});

/** PutRecordBatch takes at most 500 records and 4 MiB a call */
const MAX_RECORDS = 500;
const MAX_BYTES = 4 * 1024 * 1024;

const encoder = new TextEncoder();

/** consecutive index ranges of at most MAX_RECORDS records and MAX_BYTES bytes */
const batches = (sizes: readonly number[]): [start: number, end: number][] => {
  const ranges: [number, number][] = [];
  let start = 0;
  let bytes = 0;
  sizes.forEach((size, i) => {
    if (i > start && (i - start >= MAX_RECORDS || bytes + size > MAX_BYTES)) {
      ranges.push([start, i]);
      start = i;
      bytes = 0;
    }
    bytes += size;
  });
  if (start < sizes.length) ranges.push([start, sizes.length]);
  return ranges;
};

/** The stack's Firehose stream (Direct PUT): one PutRecordBatch per 500 records; failed entries are reported back. */
export const makeFirehoseCaptureStream = (
  streamName: string,
  firehose: FirehoseClient = defaultFirehose,
): CaptureStream => ({
  async putRecords(records) {
    const data = records.map((record) => encoder.encode(record));
    const failed: number[] = [];
    for (const [start, end] of batches(data.map((d) => d.byteLength))) {
      const out = await firehose.send(
        new PutRecordBatchCommand({
          DeliveryStreamName: streamName,
          Records: data.slice(start, end).map((Data) => ({ Data })),
        }),
      );
      if (!out.FailedPutCount) continue;
      (out.RequestResponses ?? []).forEach((response, i) => {
        if (response.ErrorCode) failed.push(start + i);
      });
    }
    return failed;
  },
});
