import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ObjectNotFoundError } from '../adapters/errors.ts';
import type { ObjectInfo, ObjectStore } from '../adapters/object-store.ts';
import { profileKey } from '../adapters/s3-layout.ts';
import { DatasetProfile, type DatasetProfileJson } from '../engine/profile/dataset-profile.ts';
import type { TableSchema } from '../engine/readers/table-types.ts';
import { isoSeconds } from '../handler-kit/job-window.ts';

/**
 * The stored profile of one hour of a model's capture (`profiles/<model>/yyyy/mm/dd/<hourStart>.json`), so
 * daily and weekly checks merge 24 or 168 of these instead of reading the capture again. It records which
 * objects it was built from (a fingerprint of keys, sizes and times) and with which column names: a check reuses
 * it only while both still hold, so capture that arrived late, a rewritten object or renamed features make the
 * hour be read again.
 */

const malformedRecordSchema = z.object({
  file: z.string(),
  line: z.number().optional(),
  field: z.string().optional(),
  reason: z.string(),
  skipped: z.literal('value').optional(),
});

const documentSchema = z.object({
  formatVersion: z.literal(1),
  model: z.string(),
  hourStart: z.string(),
  schema: z.string(),
  sources: z.object({ objects: z.number().int(), bytes: z.number(), fingerprint: z.string() }),
  quarantined: z.array(z.object({ key: z.string(), reason: z.string() })),
  malformedSamples: z.array(malformedRecordSchema),
  profile: z.unknown().nullable(),
});

export type HourlyProfileDocument = Omit<z.output<typeof documentSchema>, 'profile'> & {
  readonly profile: DatasetProfileJson | null;
};

export interface HourlyProfile {
  readonly document: HourlyProfileDocument;
  /** null when the hour had no readable row */
  readonly profile: DatasetProfile | null;
}

/** the same objects in the same state give the same fingerprint, whatever order they were listed in */
export const objectsFingerprint = (objects: readonly ObjectInfo[]): string => {
  const hash = createHash('sha256');
  for (const line of objects.map((o) => `${o.key}\t${o.size}\t${o.lastModified.getTime()}`).sort())
    hash.update(`${line}\n`);
  return hash.digest('hex');
};

/** the column names a capture is read with, and its payload mapping; a profile built otherwise is not reused */
export const schemaKey = (schema: TableSchema): string =>
  JSON.stringify({
    inputNames: schema.inputNames ?? [],
    outputNames: schema.outputNames ?? [],
    // only when set, so the hours stored before payload mappings existed stay reusable
    ...(schema.payload === undefined ? {} : { payload: schema.payload }),
  });

/** The stored profile of the hour, or undefined when there is none or it cannot be used (logged by the caller). */
export const readHourlyProfile = async (
  store: ObjectStore,
  model: string,
  hourStart: Date,
): Promise<HourlyProfile | undefined> => {
  let json: unknown;
  try {
    json = await store.getJson(profileKey(model, hourStart));
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  }
  const parsed = documentSchema.safeParse(json);
  if (!parsed.success) return undefined;
  try {
    const profileJson = parsed.data.profile as DatasetProfileJson | null;
    const profile = profileJson === null ? null : DatasetProfile.fromJSON(profileJson);
    return { document: { ...parsed.data, profile: profileJson }, profile };
  } catch {
    // an older or damaged profile (a null where a number belongs, as one with an infinity was once stored)
    // is rebuilt from the capture, never trusted
    return undefined;
  }
};

export const writeHourlyProfile = async (
  store: ObjectStore,
  document: HourlyProfileDocument,
): Promise<void> => {
  await store.put(
    profileKey(document.model, document.hourStart),
    JSON.stringify(document),
    'application/json',
  );
};

export const hourlyDocument = (fields: {
  model: string;
  hourStart: Date;
  schema: TableSchema;
  objects: readonly ObjectInfo[];
  quarantined: HourlyProfileDocument['quarantined'];
  malformedSamples: HourlyProfileDocument['malformedSamples'];
  profile: DatasetProfile | null;
}): HourlyProfileDocument => ({
  formatVersion: 1,
  model: fields.model,
  hourStart: isoSeconds(fields.hourStart),
  schema: schemaKey(fields.schema),
  sources: {
    objects: fields.objects.length,
    bytes: fields.objects.reduce((sum, o) => sum + o.size, 0),
    fingerprint: objectsFingerprint(fields.objects),
  },
  quarantined: fields.quarantined,
  malformedSamples: fields.malformedSamples,
  profile: fields.profile?.toJSON() ?? null,
});
