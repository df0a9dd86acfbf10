import { describeMalformed, formatLocation, type MalformedRecord } from '../errors.ts';
import { ownString } from '../readers/own-string.ts';

/** How many malformed records are kept verbatim for the report and quarantine; the rest are only counted. */
export const MALFORMED_SAMPLE_LIMIT = 100;

/** A file that could not be read at all (corrupt gzip, no records, a broken header), skipped whole. */
export interface UnreadableFile {
  readonly file: string;
  readonly reason: string;
}

/**
 * Collects what a read skipped, so nothing is dropped silently and memory stays bounded: records (`count`),
 * single values of records that were otherwise used (`values`), and whole files (`unreadable`). Every one is
 * counted; the first records and values are kept with their location and reason, in the order met.
 */
export class MalformedLog {
  /** records skipped */
  count = 0;
  /** values skipped inside records that were used (see FeatureProfile) */
  values = 0;
  readonly samples: MalformedRecord[] = [];
  /** files skipped whole: the first few, and how many in all */
  readonly unreadable: UnreadableFile[] = [];
  unreadableCount = 0;

  constructor(readonly sampleLimit: number = MALFORMED_SAMPLE_LIMIT) {}

  /** pass this to a reader as its `onMalformed` sink */
  readonly sink = (record: MalformedRecord): void => {
    this.count += 1;
    this.keep(record);
  };

  /** a value skipped, its record used */
  readonly valueSink = (record: MalformedRecord): void => {
    this.values += 1;
    this.keep(record.skipped === 'value' ? record : { ...record, skipped: 'value' });
  };

  /** takes a sample as its kind says: a record's (`sink`) or a value's (`valueSink`) */
  readonly sampleSink = (record: MalformedRecord): void => {
    if (record.skipped === 'value') this.valueSink(record);
    else this.sink(record);
  };

  /** a file skipped whole, with why */
  fileSkipped(file: string, reason: string): void {
    this.unreadableCount += 1;
    if (this.unreadable.length < this.sampleLimit) this.unreadable.push({ file, reason });
  }

  /** takes in what another log (of one file, read on its own) collected */
  absorb(other: MalformedLog): void {
    for (const sample of other.samples) this.keep(sample);
    this.count += other.count;
    this.values += other.values;
    for (const file of other.unreadable) this.fileSkipped(file.file, file.reason);
    this.unreadableCount += other.unreadableCount - other.unreadable.length;
  }

  /** `2 malformed record(s) and 1 malformed value(s)`, or undefined when nothing was skipped */
  summary(): string | undefined {
    return skippedSummary(this.count, this.values);
  }

  /** one line per kept sample: `file:line field "x": reason` */
  lines(): string[] {
    return this.samples.map(describeMalformed);
  }

  /** one line per kept unreadable file: `file: reason` */
  unreadableLines(): string[] {
    return this.unreadable.map(({ file, reason }) => `${formatLocation({ file })}: ${reason}`);
  }

  private keep(record: MalformedRecord): void {
    if (this.samples.length >= this.sampleLimit) return;
    // a raw line cut from a chunk of input is a view that would keep the whole chunk alive
    this.samples.push(record.raw === undefined ? record : { ...record, raw: ownString(record.raw) });
  }
}

/** `2 malformed record(s) and 1 malformed value(s)`, naming only what there was; undefined for none */
export const skippedSummary = (records: number, values: number): string | undefined => {
  const parts: string[] = [];
  if (records > 0) parts.push(`${records} malformed record(s)`);
  if (values > 0) parts.push(`${values} malformed value(s)`);
  return parts.length > 0 ? parts.join(' and ') : undefined;
};
