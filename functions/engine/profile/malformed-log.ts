import { describeMalformed, type MalformedRecord } from '../errors.ts';
import { ownString } from '../readers/own-string.ts';

/** How many malformed records are kept verbatim for the report and quarantine; the rest are only counted. */
export const MALFORMED_SAMPLE_LIMIT = 100;

/**
 * Collects the records a reader skipped: every one is counted, the first few are kept with their
 * location and reason, so nothing is dropped silently and memory stays bounded.
 */
export class MalformedLog {
  count = 0;
  readonly samples: MalformedRecord[] = [];

  constructor(readonly sampleLimit: number = MALFORMED_SAMPLE_LIMIT) {}

  /** pass this to a reader as its `onMalformed` sink */
  readonly sink = (record: MalformedRecord): void => {
    this.count += 1;
    if (this.samples.length >= this.sampleLimit) return;
    // a raw line cut from a chunk of input is a view that would keep the whole chunk alive
    this.samples.push(record.raw === undefined ? record : { ...record, raw: ownString(record.raw) });
  };

  /** one line per kept sample: `file:line field "x": reason` */
  lines(): string[] {
    return this.samples.map(describeMalformed);
  }
}
