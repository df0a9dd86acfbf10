import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE } from '../../shared/events.ts';
import { RecordTooLargeError } from '../errors.ts';
import type { DomainEvent } from '../event-publisher.ts';

/** PutEvents takes at most 10 entries and 256 KB per call */
export const MAX_ENTRIES = 10;
export const MAX_BATCH_BYTES = 256 * 1024;

export const toEntry = (busName: string, event: DomainEvent): PutEventsRequestEntry => ({
  EventBusName: busName,
  Source: EVENT_SOURCE,
  DetailType: event.detailType,
  Detail: JSON.stringify(event.detail),
  Resources: event.resources ? [...event.resources] : undefined,
  Time: event.time,
});

/** EventBridge's own size formula: source, detail type, detail, resources, and 14 bytes when Time is set */
export const entrySize = (entry: PutEventsRequestEntry): number =>
  (entry.Time ? 14 : 0) +
  Buffer.byteLength(entry.Source ?? '') +
  Buffer.byteLength(entry.DetailType ?? '') +
  Buffer.byteLength(entry.Detail ?? '') +
  (entry.Resources ?? []).reduce((sum, r) => sum + Buffer.byteLength(r), 0);

/**
 * Consecutive runs of items whose entries fit one PutEvents call (10 entries, 256 KB), in order. Throws
 * RecordTooLargeError, before anything is sent, for an entry no call could take.
 */
export const batchesOf = <T>(items: readonly T[], entryOf: (item: T) => PutEventsRequestEntry): T[][] => {
  const result: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const entry = entryOf(item);
    const size = entrySize(entry);
    if (size > MAX_BATCH_BYTES)
      throw new RecordTooLargeError(`event ${entry.DetailType}`, size, MAX_BATCH_BYTES);
    if (current.length === MAX_ENTRIES || bytes + size > MAX_BATCH_BYTES) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
};
