import { InputError } from '../errors.ts';
import type { ByteChunks } from '../readers/byte-source.ts';
import { SpanRow } from '../readers/span-row.ts';
import { type OpenTableOptions, openTable, type TableFormat } from '../readers/table.ts';
import { DatasetProfile } from './dataset-profile.ts';
import type { FeatureProfileOptions } from './feature-profile.ts';
import type { MalformedLog } from './malformed-log.ts';

/** One input to profile: a local file, an S3 object, a test buffer. Opened once, read once. */
export interface NamedSource {
  readonly name: string;
  open(): ByteChunks;
}

export interface ProfileSourcesOptions extends Omit<OpenTableOptions, 'onMalformed'>, FeatureProfileOptions {
  readonly malformed: MalformedLog;
  /** called about every ten thousand rows (once a batch passes the mark) and at the end, for progress bars */
  readonly onProgress?: (progress: { rows: number; sourcesDone: number; sourcesTotal: number }) => void;
}

export interface ProfiledSources {
  readonly profile: DatasetProfile;
  readonly format: TableFormat;
}

const PROGRESS_EVERY = 10_000;

/**
 * Profiles several sources as one table in a single streaming pass each: the first source fixes the
 * columns, and a later source with other columns is an error naming both files (mixing schemas would
 * silently misalign features).
 */
export const profileSources = async (
  sources: readonly NamedSource[],
  options: ProfileSourcesOptions,
): Promise<ProfiledSources> => {
  if (sources.length === 0) throw new InputError({ file: '<input>' }, 'empty input: no files to read');
  const { malformed, onProgress } = options;
  let profile: DatasetProfile | undefined;
  let format: TableFormat | undefined;
  let firstName = '';
  let rows = 0;
  for (const [index, source] of sources.entries()) {
    const table = await openTable(source.name, source.open(), { ...options, onMalformed: malformed.sink });
    if (!profile) {
      profile = new DatasetProfile(table.columns, options);
      format = table.format;
      firstName = source.name;
    } else if (!sameColumns(profile.columns, table.columns)) {
      throw new InputError(
        { file: source.name },
        `columns [${table.columns.join(', ')}] differ from [${profile.columns.join(', ')}] in ${firstName}`,
      );
    }
    let reported = rows;
    for await (const batch of table.batches) {
      for (const row of batch) {
        if (row instanceof SpanRow) profile.addSpans(row.text, row.spans, row.at);
        else profile.addRow(row.values);
      }
      rows += batch.length;
      if (onProgress && rows - reported >= PROGRESS_EVERY) {
        reported = rows;
        onProgress({ rows, sourcesDone: index, sourcesTotal: sources.length });
      }
    }
    onProgress?.({ rows, sourcesDone: index + 1, sourcesTotal: sources.length });
  }
  profile!.malformed = malformed.count;
  return { profile: profile!, format: format! };
};

const sameColumns = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((name, i) => name === b[i]);
