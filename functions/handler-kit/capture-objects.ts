import type { ObjectInfo, ObjectStore } from '../adapters/object-store.ts';
import { captureVariantPrefix } from '../adapters/s3-layout.ts';
import type { NamedSource } from '../engine/profile/profile-sources.ts';
import type { JobWindow } from './job-window.ts';

/** A capture object with the times its key gives: the hour partition and, from SageMaker's file name, its minute. */
export interface CaptureObject extends ObjectInfo {
  readonly hour: Date;
  /** `hh` + the file name's `MM-SS-mmm`, or the hour itself for a name without them */
  readonly at: Date;
}

const HOUR_PATH = /^(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/([^/]+)$/;
const MINUTE_NAME = /^(\d{2})-(\d{2})-(\d{3})-/;

/** the times in `<prefix>yyyy/mm/dd/hh/<MM-SS-mmm>-<id>.jsonl`, or undefined for a key outside that layout */
export const partitionTimes = (prefix: string, key: string): { hour: Date; at: Date } | undefined => {
  if (!key.startsWith(prefix)) return undefined;
  const match = HOUR_PATH.exec(key.slice(prefix.length));
  if (!match) return undefined;
  const [, y, mo, d, h, name] = match;
  const hour = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h)));
  if (Number.isNaN(hour.getTime())) return undefined;
  const minute = MINUTE_NAME.exec(name ?? '');
  if (!minute) return { hour, at: hour };
  const offset = Number(minute[1]) * 60_000 + Number(minute[2]) * 1000 + Number(minute[3]);
  return { hour, at: offset < 3_600_000 ? new Date(hour.getTime() + offset) : hour };
};

/**
 * The capture objects of a window. Hour partitions overlapping the window are listed; an object belongs to the
 * window when the time in its key (SageMaker names files by the minute they were started) falls inside, so
 * windows shorter than an hour, or not on the hour, split an hour's objects between them without overlap.
 */
export const listWindowCapture = async (
  store: ObjectStore,
  location: { readonly endpointName: string; readonly variantName: string },
  window: JobWindow,
  prefix: string = captureVariantPrefix(location.endpointName, location.variantName),
): Promise<CaptureObject[]> => {
  const listed = await store.listHourWindow(prefix, window.start, window.end);
  const objects: CaptureObject[] = [];
  for (const info of listed) {
    const times = partitionTimes(prefix, info.key);
    if (!times) continue;
    if (times.at < window.start || times.at >= window.end) continue;
    objects.push({ ...info, ...times });
  }
  return objects;
};

/** An object as the engine reads it: opened on first read, streamed once. */
export const objectSource = (store: ObjectStore, key: string): NamedSource => ({
  name: key,
  open: () =>
    (async function* () {
      yield* await store.getStream(key);
    })(),
});
