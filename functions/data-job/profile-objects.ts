import { ObjectNotFoundError } from '../adapters/errors.ts';
import type { ObjectInfo, ObjectStore } from '../adapters/object-store.ts';
import { InputError, type MalformedRecord } from '../engine/errors.ts';
import type { DatasetProfile } from '../engine/profile/dataset-profile.ts';
import { MALFORMED_SAMPLE_LIMIT, MalformedLog } from '../engine/profile/malformed-log.ts';
import { profileSources } from '../engine/profile/profile-sources.ts';
import type { TableSchema } from '../engine/readers/table-types.ts';
import { objectSource } from '../handler-kit/capture-objects.ts';
import type { HandlerLogger } from '../handler-kit/handler-logger.ts';
import type { UnreadableObject } from './unreadable-guard.ts';

export interface ObjectsProfile {
  /** null when no object had a readable row */
  readonly profile: DatasetProfile | null;
  /** the objects the profile was built from (not unreadable, not vanished) */
  readonly read: ObjectInfo[];
  /** the objects to quarantine, once the window's run decides to (unreadable-guard.ts) */
  readonly unreadable: UnreadableObject[];
  /** the first malformed records, without their raw text */
  readonly malformedSamples: MalformedRecord[];
}

const sameColumns = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((name, i) => name === b[i]);

const withoutRaw = ({ raw: _raw, ...record }: MalformedRecord): MalformedRecord => record;

/**
 * Profiles capture objects one by one and merges them (profiles merge exactly), so that one object that cannot be
 * read at all (corrupt gzip, not capture, every record malformed, columns unlike the rest) is set aside as
 * unreadable with its reason instead of failing the window, and nothing of it enters the profile; the caller
 * quarantines them unless too many are (unreadable-guard.ts). Records that are malformed inside a readable object
 * are counted in the profile and sampled. Errors that are not about the data (S3 down, throttling) propagate: the
 * run fails and is retried.
 */
export const profileObjects = async (deps: {
  readonly store: ObjectStore;
  readonly objects: readonly ObjectInfo[];
  readonly schema: TableSchema;
  readonly logger: HandlerLogger;
}): Promise<ObjectsProfile> => {
  const { store, schema, logger } = deps;
  let profile: DatasetProfile | null = null;
  const read: ObjectInfo[] = [];
  const unreadable: UnreadableObject[] = [];
  const malformedSamples: MalformedRecord[] = [];

  for (const object of deps.objects) {
    const log = new MalformedLog();
    let part: DatasetProfile;
    try {
      ({ profile: part } = await profileSources([objectSource(store, object.key)], {
        format: 'capture',
        schema,
        // each record is judged against the model's columns, the first one included
        firstRecord: 'report',
        malformed: log,
      }));
    } catch (error) {
      if (error instanceof ObjectNotFoundError) {
        // moved away since the listing (another run quarantined it): nothing to read
        logger.warn('capture object vanished before it was read', { key: object.key });
        continue;
      }
      if (!(error instanceof InputError)) throw error;
      const first = log.lines()[0];
      const reason =
        log.count > 0 ? `${error.message}; ${log.count} malformed record(s), first: ${first}` : error.message;
      unreadable.push({
        key: object.key,
        reason,
        symptom: error.reason,
        ...(log.samples[0] ? { firstMalformed: withoutRaw(log.samples[0]) } : {}),
      });
      continue;
    }
    if (profile && !sameColumns(profile.columns, part.columns)) {
      const symptom = `columns [${part.columns.join(', ')}] differ from [${profile.columns.join(', ')}] of the window's other capture`;
      unreadable.push({ key: object.key, reason: symptom, symptom });
      continue;
    }
    profile = profile ? profile.merge(part) : part;
    read.push(object);
    for (const sample of log.samples) {
      if (malformedSamples.length < MALFORMED_SAMPLE_LIMIT) malformedSamples.push(withoutRaw(sample));
    }
  }
  return { profile, read, unreadable, malformedSamples };
};
