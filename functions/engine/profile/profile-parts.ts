import type { MalformedRecord } from '../errors.ts';
import type { ByteRange } from '../readers/byte-range.ts';
import { DatasetProfile, type DatasetProfileJson } from './dataset-profile.ts';
import { MalformedLog } from './malformed-log.ts';

/**
 * What one worker of a fanned-out window hands the reducer: the profile of one object, or of one byte
 * range of it (see `linesInRange`), and the records it had to skip, numbered from the range's first line.
 * Plain JSON, so it travels through S3 as it is.
 *
 * A fan-out: split each object with `splitRanges`; a worker reads its object from `readStartOf(range)`
 * (an open-ended S3 Range request will do: `linesInRange` stops once its last line is read), profiles
 * `linesInRange(body, range, count)` with `profileSources` under the baseline's `schema` and
 * `firstRecord: 'report'`, and writes `toProfilePart(...)`; the reducer runs `mergeProfileParts` and
 * then `runDataCheck`. Gzip objects cannot be split: give each its own worker, with no range.
 */
export interface ProfilePartJson {
  /** the object read, as malformed reports name it */
  readonly source: string;
  /** the bytes of the object read; absent when the whole object was */
  readonly range?: ByteRange;
  /** newlines read, so the next range of the same object can number its lines after these */
  readonly lines: number;
  readonly profile: DatasetProfileJson;
  readonly malformed: {
    readonly count: number;
    /** values skipped inside used records; absent in parts written before it was counted */
    readonly values?: number;
    readonly samples: readonly MalformedRecord[];
  };
}

export const toProfilePart = (part: {
  source: string;
  range?: ByteRange;
  lines: number;
  profile: DatasetProfile;
  malformed: MalformedLog;
}): ProfilePartJson => ({
  source: part.source,
  ...(part.range === undefined ? {} : { range: part.range }),
  lines: part.lines,
  profile: part.profile.toJSON(),
  malformed: {
    count: part.malformed.count,
    values: part.malformed.values,
    samples: [...part.malformed.samples],
  },
});

/**
 * Merges the parts of a window, given in window order, into its profile and malformed log. Counts, sums,
 * extremes and category counts come out exactly as one pass over the window would give them; quantile
 * sketches within their error bound; malformed samples carry the line numbers of the whole object, each
 * range's numbers shifted by the lines of the ranges of the same object before it.
 */
export const mergeProfileParts = (
  parts: readonly ProfilePartJson[],
  sampleLimit?: number,
): { profile: DatasetProfile; malformed: MalformedLog } => {
  if (parts.length === 0) throw new RangeError('no profile parts to merge');
  const malformed = new MalformedLog(sampleLimit);
  const linesBefore = new Map<string, number>();
  let profile: DatasetProfile | undefined;
  for (const part of ordered(parts)) {
    const next = DatasetProfile.fromJSON(part.profile);
    profile = profile === undefined ? next : profile.merge(next);
    const shift = linesBefore.get(part.source) ?? 0;
    linesBefore.set(part.source, shift + part.lines);
    let valueSamples = 0;
    for (const sample of part.malformed.samples) {
      if (sample.skipped === 'value') valueSamples += 1;
      malformed.sampleSink(sample.line === undefined ? sample : { ...sample, line: sample.line + shift });
    }
    // the part kept only its first samples; the rest still count
    malformed.count += part.malformed.count - (part.malformed.samples.length - valueSamples);
    malformed.values += (part.malformed.values ?? 0) - valueSamples;
  }
  return { profile: profile!, malformed };
};

/** Parts in window order, the ranges of each object by their start (objects keep the order given). */
const ordered = (parts: readonly ProfilePartJson[]): ProfilePartJson[] => {
  const firstSeen = new Map<string, number>();
  parts.forEach((part, i) => {
    if (!firstSeen.has(part.source)) firstSeen.set(part.source, i);
  });
  return [...parts].sort(
    (a, b) =>
      firstSeen.get(a.source)! - firstSeen.get(b.source)! || (a.range?.start ?? 0) - (b.range?.start ?? 0),
  );
};
