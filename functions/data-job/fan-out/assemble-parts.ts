import type { ObjectStore } from '../../adapters/object-store.ts';
import { describeMalformed, type MalformedRecord } from '../../engine/errors.ts';
import { DatasetProfile } from '../../engine/profile/dataset-profile.ts';
import type { ProfilePartJson } from '../../engine/profile/profile-parts.ts';
import type { HandlerLogger } from '../../handler-kit/handler-logger.ts';
import type { UnreadableObject } from '../unreadable-guard.ts';
import type { PartResult } from './fan-out-contract.ts';
import {
  isProfiled,
  isUnreadable,
  type PartDocument,
  parsePartDocument,
  type UnreadablePart,
} from './part-document.ts';

/** More of a fanned-out window's parts failed than `fanOut.toleratedPartFailureShare` allows. */
export class FanOutPartsFailedError extends Error {
  override readonly name = 'FanOutPartsFailedError';
}

export interface AssembledParts {
  /** the parts to merge, in plan order: every part of each object kept (empty profiles stand for unreadable ranges) */
  readonly parts: ProfilePartJson[];
  /** objects kept */
  readonly objects: number;
  /** objects none of whose parts could be read, or whose columns differ: to quarantine */
  readonly unreadable: UnreadableObject[];
  /** objects with a part whose worker failed: neither merged nor quarantined (the data may be fine) */
  readonly leftOut: { readonly key: string; readonly reason: string }[];
  /** every object the plan named, for the unreadable share and the hours */
  readonly planned: string[];
}

const sameColumns = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((name, i) => name === b[i]);

/** a range that held no readable record, as a part with no rows: its malformed records and lines still count */
const emptyPart = (part: UnreadablePart, columns: readonly string[]): ProfilePartJson => {
  const profile = new DatasetProfile(columns);
  profile.malformed = part.malformed.count;
  return {
    source: part.source,
    ...(part.range === undefined ? {} : { range: part.range }),
    lines: part.lines,
    profile: profile.toJSON(),
    malformed: part.malformed,
  };
};

/**
 * The reducer's view of a fanned-out window, judged per object as the single pass judges it (profile-objects.ts):
 * - more failed workers than `toleratedShare` of the parts: FanOutPartsFailedError, the run fails with that reason;
 *   under it, the objects of failed parts are left out and named;
 * - an object whose parts all failed to read (corrupt gzip, every record malformed) is unreadable, with the
 *   first part's reason; a range without a readable record inside a readable object only adds malformed records;
 * - an object whose columns differ from the window's first is unreadable, as in the single pass;
 * - an object that vanished since the plan is skipped.
 * Unreadable objects are returned, not moved: the caller applies the share guard first (unreadable-guard.ts).
 */
export const assembleParts = async (deps: {
  readonly store: ObjectStore;
  readonly results: readonly PartResult[];
  readonly toleratedShare: number;
  readonly logger: HandlerLogger;
}): Promise<AssembledParts> => {
  const { results } = deps;
  const failed = results.flatMap((r) => ('failed' in r ? [r] : []));
  if (results.length > 0 && failed.length / results.length > deps.toleratedShare) {
    const errors = new Map<string, number>();
    for (const f of failed) errors.set(f.failed, (errors.get(f.failed) ?? 0) + 1);
    const named = [...errors].map(([error, n]) => `${error} ×${n}`).join(', ');
    throw new FanOutPartsFailedError(
      `${failed.length} of ${results.length} parts of the window failed in their workers (${named}), more than ` +
        `the ${deps.toleratedShare} share fanOut.toleratedPartFailureShare allows`,
    );
  }
  const leftOut = new Map<string, string>();
  for (const f of failed)
    if (!leftOut.has(f.part.key))
      leftOut.set(
        f.part.key,
        `the worker of part ${f.part.n} failed (${f.failed}); left out, not quarantined`,
      );

  // the parts of each object, in plan order
  const byObject = new Map<string, PartDocument[]>();
  for (const result of results) {
    if ('failed' in result) {
      if (!byObject.has(result.part.key)) byObject.set(result.part.key, []);
      continue;
    }
    const document = parsePartDocument(await deps.store.getJson(result.key), result.key);
    byObject.set(document.source, [...(byObject.get(document.source) ?? []), document]);
  }

  const parts: ProfilePartJson[] = [];
  const unreadable: UnreadableObject[] = [];
  let windowColumns: readonly string[] | undefined;
  let objects = 0;
  for (const [key, documents] of byObject) {
    if (leftOut.has(key)) continue;
    if (documents.some((d) => 'vanished' in d)) {
      deps.logger.warn('capture object vanished before it was read', { key });
      continue;
    }
    const profiled = documents.filter(isProfiled);
    const bad = documents.filter(isUnreadable);
    if (profiled.length === 0) {
      const first = bad[0]!;
      const malformedCount = bad.reduce((n, d) => n + d.malformed.count, 0);
      const firstMalformed: MalformedRecord | undefined = bad.find((d) => d.malformed.samples.length > 0)
        ?.malformed.samples[0];
      unreadable.push({
        key,
        reason:
          malformedCount > 0 && firstMalformed
            ? `${first.unreadable.reason}; ${malformedCount} malformed record(s), first: ${describeMalformed(firstMalformed)}`
            : first.unreadable.reason,
        symptom: first.unreadable.symptom,
        ...(firstMalformed ? { firstMalformed } : {}),
      });
      continue;
    }
    const columns = profiled[0]!.profile.columns;
    const otherColumns = profiled.find((d) => !sameColumns(d.profile.columns, columns))?.profile.columns;
    const against = windowColumns ?? columns;
    if (otherColumns || !sameColumns(columns, against)) {
      const symptom = `columns [${(otherColumns ?? columns).join(', ')}] differ from [${(otherColumns ? columns : against).join(', ')}] of the window's other capture`;
      unreadable.push({ key, reason: symptom, symptom });
      continue;
    }
    windowColumns = columns;
    objects += 1;
    for (const document of documents) {
      if (isProfiled(document)) parts.push(document);
      else if (isUnreadable(document)) parts.push(emptyPart(document, columns));
    }
  }
  return {
    parts,
    objects,
    unreadable,
    leftOut: [...leftOut].map(([key, reason]) => ({ key, reason })),
    planned: [...byObject.keys()],
  };
};
