import type { MalformedRecord } from '../../../functions/engine/errors.ts';

/** Drains an async iterable into an array. */
export const collect = async <T>(source: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
};

/** Yields `data` cut at the given offsets, as Buffers, the way a stream would deliver it. */
export async function* chunked(data: Buffer | string, cuts: readonly number[] = []): AsyncGenerator<Buffer> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let start = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= start || cut >= bytes.length) continue;
    yield bytes.subarray(start, cut);
    start = cut;
  }
  if (start < bytes.length) yield bytes.subarray(start);
}

/** Yields `data` one byte at a time: every boundary a chunked stream could produce. */
export async function* byteByByte(data: Buffer | string): AsyncGenerator<Buffer> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
}

/** A MalformedSink that keeps what it is given. */
export const malformedLog = (): { records: MalformedRecord[]; sink: (record: MalformedRecord) => void } => {
  const records: MalformedRecord[] = [];
  return { records, sink: (record) => records.push(record) };
};

export const SEATTLE_WEATHER = new URL(
  '../../../node_modules/vega-datasets/data/seattle-weather.csv',
  import.meta.url,
).pathname;
export const READER_FIXTURES = new URL('../../fixtures/readers/', import.meta.url).pathname;
