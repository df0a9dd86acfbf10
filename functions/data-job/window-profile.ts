import type { CaptureSource } from '../adapters/capture-source.ts';
import type { ObjectStore } from '../adapters/object-store.ts';
import { captureVariantPrefix, hourStarts } from '../adapters/s3-layout.ts';
import type { MalformedRecord } from '../engine/errors.ts';
import { DatasetProfile } from '../engine/profile/dataset-profile.ts';
import { MALFORMED_SAMPLE_LIMIT, MalformedLog } from '../engine/profile/malformed-log.ts';
import type { TableSchema } from '../engine/readers/table-types.ts';
import { type CaptureObject, listWindowCapture } from '../handler-kit/capture-objects.ts';
import type { HandlerLogger } from '../handler-kit/handler-logger.ts';
import { HOUR_MS, type JobWindow } from '../handler-kit/job-window.ts';
import type { ModelConfig } from '../shared/config/model-schema.ts';
import { captureLocation } from '../shared/config/model-settings.ts';
import {
  hourlyDocument,
  objectsFingerprint,
  readHourlyProfile,
  schemaKey,
  writeHourlyProfile,
} from './hourly-profile.ts';
import { type ObjectsProfile, profileObjects } from './profile-objects.ts';
import { type QuarantinedObject, quarantineObjects } from './quarantine-objects.ts';
import { guardUnreadable } from './unreadable-guard.ts';

export interface WindowProfile {
  /** the window's columns: features, then outputs (when the capture has them) */
  readonly profile: DatasetProfile;
  /** capture objects the profile covers */
  readonly objects: number;
  /** every object of the window in quarantine, including those moved by an earlier run of it */
  readonly quarantined: QuarantinedObject[];
  /** objects moved to quarantine by this run */
  readonly quarantinedNow: number;
  readonly malformed: MalformedLog;
  readonly hours: { readonly fromProfiles: number; readonly fromCapture: number };
  /** fan-out only: objects left out because a worker failed on one of their parts (not quarantined) */
  readonly leftOut?: readonly { readonly key: string; readonly reason: string }[];
  /**
   * rows per capture hour (its start, epoch ms): capture objects are filed by the hour they were captured in,
   * which is what puts a window's rows in their seasonal slots; absent on the fan-out path
   */
  readonly rowsByHour?: ReadonlyMap<number, number>;
}

/** the stack bucket's `capture/<endpoint>/<variant>/`, for callers that name no source */
const stackCaptureSource = (store: ObjectStore, model: ModelConfig): CaptureSource => {
  const { endpointName, variantName } = captureLocation(model);
  return { store, bucket: '', prefix: captureVariantPrefix(endpointName, variantName), owned: true };
};

/** the column names a model's capture is read with: its features for the request, its outputs for the response */
export const captureSchema = (model: ModelConfig): TableSchema => ({
  inputNames: model.features.map((f) => f.name),
  outputNames: model.outputs.map((o) => o.name),
  ...(model.payload === undefined ? {} : { payload: model.payload }),
});

/** an hour of the window after the first phase: its stored profile, or read from the capture (not yet stored) */
type WindowHour =
  | {
      readonly stored: true;
      readonly hour: Date;
      readonly profile: DatasetProfile | null;
      readonly samples: readonly MalformedRecord[];
      readonly quarantined: readonly QuarantinedObject[];
    }
  | { readonly stored: false; readonly hour: Date; readonly whole: boolean; readonly read: ObjectsProfile };

/**
 * The profile of a window's capture, in one pass over the objects, with bounded memory (one object's reader and
 * the mergeable profiles). Each whole hour of the window is taken from its stored hourly profile when that was
 * built from exactly the objects the hour holds now; otherwise the hour's objects are read, and its profile is
 * stored for the next check. Hours the window only partly covers (windows shorter than an hour, or not on the
 * hour) are read from the capture and not stored, so a stored profile always means a whole hour.
 *
 * Unreadable objects are quarantined only after the whole window is read, and only when they are at most
 * `capture.maxUnreadableShare` of its objects; past that the window throws UnreadableCaptureError naming the likely
 * cause, having moved and stored nothing (unreadable-guard.ts).
 */
export const profileWindow = async (deps: {
  /** the stack store: hourly profiles, and quarantine */
  readonly store: ObjectStore;
  readonly model: ModelConfig;
  readonly window: JobWindow;
  readonly logger: HandlerLogger;
  /** where the capture objects are; @default the stack store's `capture/<endpoint>/<variant>/` */
  readonly source?: CaptureSource;
}): Promise<WindowProfile> => {
  const { store, model, window, logger } = deps;
  const source = deps.source ?? stackCaptureSource(store, model);
  const schema = captureSchema(model);
  const objects = await listWindowCapture(source.store, captureLocation(model), window, source.prefix);
  const byHour = new Map<number, CaptureObject[]>();
  for (const object of objects) {
    const hour = object.hour.getTime();
    byHour.set(hour, [...(byHour.get(hour) ?? []), object]);
  }

  let profile: DatasetProfile | null = null;
  let objectCount = 0;
  let fromProfiles = 0;
  const quarantined: QuarantinedObject[] = [];
  const samples: MalformedRecord[] = [];

  const rowsByHour = new Map<number, number>();
  const add = (hour: Date, part: DatasetProfile | null, hourSamples: readonly MalformedRecord[]): void => {
    for (const sample of hourSamples) if (samples.length < MALFORMED_SAMPLE_LIMIT) samples.push(sample);
    if (!part) return;
    if (profile && profile.columns.join('\u0000') !== part.columns.join('\u0000')) {
      // the capture changed shape within the window (outputs captured in one hour, not in another)
      logger.warn('an hour of capture has other columns than the window; left out', {
        model: model.name,
        columns: part.columns,
        windowColumns: profile.columns,
      });
      return;
    }
    if (part.rows > 0) rowsByHour.set(hour.getTime(), (rowsByHour.get(hour.getTime()) ?? 0) + part.rows);
    profile = profile ? profile.merge(part) : part;
  };

  // first phase: read; nothing is moved or stored until the window is judged as a whole
  const hours: WindowHour[] = [];
  for (const hour of hourStarts(window.start, window.end)) {
    const hourObjects = byHour.get(hour.getTime()) ?? [];
    const whole =
      hour.getTime() >= window.start.getTime() && hour.getTime() + HOUR_MS <= window.end.getTime();
    if (whole) {
      const stored = await readHourlyProfile(store, model.name, hour);
      if (
        stored &&
        stored.document.schema === schemaKey(schema) &&
        stored.document.sources.fingerprint === objectsFingerprint(hourObjects)
      ) {
        fromProfiles += 1;
        objectCount += stored.document.sources.objects;
        hours.push({
          stored: true,
          hour,
          profile: stored.profile,
          samples: stored.document.malformedSamples,
          quarantined: stored.document.quarantined,
        });
        continue;
      }
    }
    if (hourObjects.length === 0) continue;
    const read = await profileObjects({ store: source.store, objects: hourObjects, schema, logger });
    hours.push({ stored: false, hour, whole, read });
  }
  const readHours = hours.filter((h) => !h.stored);
  guardUnreadable(
    readHours.flatMap((h) => h.read.unreadable),
    objects.length,
    model,
  );

  // second phase, in hour order: quarantine what could not be read, store whole hours, merge
  let quarantinedNow = 0;
  for (const entry of hours) {
    if (entry.stored) {
      quarantined.push(...entry.quarantined);
      add(entry.hour, entry.profile, entry.samples);
      continue;
    }
    const { hour, whole, read } = entry;
    const moved = await quarantineObjects(store, read.unreadable, logger, source);
    objectCount += read.read.length;
    quarantinedNow += moved.length;
    quarantined.push(...moved);
    if (whole) {
      await writeHourlyProfile(
        store,
        hourlyDocument({
          model: model.name,
          hourStart: hour,
          schema,
          objects: read.read,
          quarantined: moved,
          malformedSamples: read.malformedSamples,
          profile: read.profile,
        }),
      );
    }
    add(hour, read.profile, read.malformedSamples);
  }

  const windowProfile: DatasetProfile =
    profile ?? new DatasetProfile([...(schema.inputNames ?? []), ...(schema.outputNames ?? [])]);
  const malformed = new MalformedLog();
  for (const sample of samples) malformed.sampleSink(sample);
  // the samples are the first few; the profile counted every malformed record and value it skipped
  malformed.count = windowProfile.malformed;
  malformed.values = windowProfile.malformedValues;
  // listed as the CLI lists a file it skips; a quarantine reason names its object first, which the list does too
  for (const { key, reason } of quarantined)
    malformed.fileSkipped(key, reason.startsWith(`${key}: `) ? reason.slice(key.length + 2) : reason);
  return {
    profile: windowProfile,
    objects: objectCount,
    quarantined,
    quarantinedNow,
    malformed,
    hours: { fromProfiles, fromCapture: readHours.length },
    rowsByHour,
  };
};
