import { asyncBufferFromFile } from 'hyparquet';
import { InputError } from '../functions/engine/errors.ts';
import type { DatasetProfile } from '../functions/engine/profile/dataset-profile.ts';
import { MalformedLog } from '../functions/engine/profile/malformed-log.ts';
import { type ProfiledSources, profileSources } from '../functions/engine/profile/profile-sources.ts';
import type { ReadLimits } from '../functions/engine/readers/limits.ts';
import type { TableFormat, TableSchema } from '../functions/engine/readers/table.ts';
import { type InputLocations, makeInputLocations } from './input-location.ts';
import { createProgress } from './progress.ts';

export interface InputOptions {
  readonly format?: TableFormat | 'auto';
  readonly header?: boolean | 'auto';
  readonly schema?: TableSchema;
  readonly limits?: ReadLimits;
  readonly quiet: boolean;
  /** where paths are read from: local files, or s3:// objects through the default credential chain */
  readonly locations?: InputLocations;
  /** capture: called for each record the schema's payload exclude rules leave out */
  readonly onExcluded?: () => void;
}

/**
 * Profiles a file or every file under a directory, with a progress bar. A file that cannot be read at all is
 * skipped and listed in `malformed.unreadable`, the others read; NoUsableInputError when none can be.
 */
export const profilePath = async (
  path: string,
  options: InputOptions,
  label: string,
): Promise<ProfiledSources & { malformed: MalformedLog; files: string[] }> => {
  const locations = options.locations ?? makeInputLocations();
  const files = await locations.list(path);
  const malformed = new MalformedLog();
  const progress = createProgress(options.quiet, label);
  try {
    const result = await profileSources(
      files.map((file) => ({
        name: file,
        open: () => locations.open(file),
        // Parquet is read by ranges: one row group in memory (an s3:// object is buffered)
        ...(file.startsWith('s3://') ? {} : { openRandom: () => asyncBufferFromFile(file) }),
      })),
      {
        format: options.format,
        header: options.header,
        schema: options.schema,
        limits: options.limits,
        ...(options.onExcluded ? { onExcluded: options.onExcluded } : {}),
        unreadable: 'skip',
        inputName: path,
        malformed,
        onProgress: (p) => progress.update(p),
      },
    );
    return { ...result, malformed, files };
  } finally {
    progress.stop();
  }
};

/**
 * Throws an InputError, in one line, when a read left no row but skipped something: every record malformed,
 * or the readable files empty and the others unreadable. An input that was simply empty is no error here.
 */
export const assertSomethingUsable = (
  path: string,
  profile: DatasetProfile,
  malformed: MalformedLog,
): void => {
  if (profile.rows > 0 || (malformed.count === 0 && malformed.unreadableCount === 0)) return;
  const parts: string[] = [];
  if (malformed.count > 0)
    parts.push(`${malformed.count} malformed record(s) skipped, first: ${malformed.lines()[0]}`);
  if (malformed.unreadableCount > 0)
    parts.push(
      `${malformed.unreadableCount} unreadable file(s) skipped, first: ${malformed.unreadableLines()[0]}`,
    );
  throw new InputError({ file: path }, `nothing usable: no row could be read (${parts.join('; ')})`);
};
