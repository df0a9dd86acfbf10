import { InputError } from '../errors.ts';
import type { ByteChunks } from '../readers/byte-source.ts';
import { SpanRow } from '../readers/span-row.ts';
import {
  type OpenTableOptions,
  openTable,
  type RandomAccessSource,
  type TableFormat,
} from '../readers/table.ts';
import { DatasetProfile } from './dataset-profile.ts';
import type { FeatureProfileOptions } from './feature-profile.ts';
import { MalformedLog } from './malformed-log.ts';

/** One input to profile: a local file, an S3 object, a test buffer. Opened once, read once. */
export interface NamedSource {
  readonly name: string;
  open(): ByteChunks;
  /** random access to the bytes, for Parquet (ranged reads, one row group in memory); @default the bytes buffered */
  openRandom?(): Promise<RandomAccessSource>;
}

export interface ProfileSourcesOptions extends Omit<OpenTableOptions, 'onMalformed'>, FeatureProfileOptions {
  readonly malformed: MalformedLog;
  /** called about every ten thousand rows (once a batch passes the mark) and at the end, for progress bars */
  readonly onProgress?: (progress: { rows: number; sourcesDone: number; sourcesTotal: number }) => void;
  /**
   * What a source that cannot be read does (an InputError: corrupt gzip, no records, a broken header,
   * columns unlike the first readable source's). 'fail' (default): the error is thrown. 'skip': the source is
   * left out whole, nothing of it in the profile nor among the samples, and listed in `malformed.unreadable`
   * with its reason; when no source is left, NoUsableInputError.
   */
  readonly unreadable?: 'fail' | 'skip';
  /** names the whole input (a directory) in NoUsableInputError; @default the first source's name */
  readonly inputName?: string;
}

export interface ProfiledSources {
  readonly profile: DatasetProfile;
  readonly format: TableFormat;
}

/** Every source of an input was unreadable: there is nothing to profile. */
export class NoUsableInputError extends InputError {}

const PROGRESS_EVERY = 10_000;
/** how much of a value that could not be profiled is quoted in its report */
const VALUE_PREVIEW = 40;

/** Why a source is unreadable, with the records it skipped before giving up (often the real story). */
const unreadableReason = (error: InputError, log: MalformedLog): string => {
  if (log.count === 0) return error.reason;
  return `${error.reason} (${log.count} malformed record(s) skipped, first: ${log.lines()[0]})`;
};

/**
 * Profiles several sources as one table in a single streaming pass each: the first source fixes the
 * columns, and a later source with other columns is an error naming both files (mixing schemas would
 * silently misalign features). A value a feature cannot take (see FeatureProfile) goes to
 * `malformed.valueSink` with its file, line and feature; the rest of its record is used.
 */
export const profileSources = async (
  sources: readonly NamedSource[],
  options: ProfileSourcesOptions,
): Promise<ProfiledSources> => {
  if (sources.length === 0) throw new InputError({ file: '<input>' }, 'empty input: no files to read');
  const { malformed, onProgress } = options;
  const skip = options.unreadable === 'skip';
  let profile: DatasetProfile | undefined;
  let format: TableFormat | undefined;
  let firstName = '';
  let rows = 0;
  let firstUnreadable: InputError | undefined;
  for (const [index, source] of sources.entries()) {
    // skipping, each source is read on its own and merged once whole (profiles merge exactly), so that one
    // failing half way leaves nothing behind; failing, one profile takes every row, as it always has
    const log = skip ? new MalformedLog(malformed.sampleLimit) : malformed;
    let part = skip ? undefined : profile;
    try {
      const table = await openTable(
        source.name,
        source.open(),
        { ...options, onMalformed: log.sink },
        source.openRandom?.bind(source),
      );
      if (profile !== undefined && !sameColumns(profile.columns, table.columns)) {
        throw new InputError(
          { file: source.name },
          `columns [${table.columns.join(', ')}] differ from [${profile.columns.join(', ')}] in ${firstName}`,
        );
      }
      part ??= new DatasetProfile(table.columns, options);
      // the line of the row being added, for the reports of its malformed values
      const at = { line: 0 };
      part.onMalformedValue = (field, text, reason) =>
        log.valueSink({
          file: source.name,
          line: at.line,
          field,
          reason: `${JSON.stringify(text.slice(0, VALUE_PREVIEW))}: ${reason}, value skipped`,
          skipped: 'value',
        });
      let reported = rows;
      for await (const batch of table.batches) {
        for (const row of batch) {
          at.line = row.line;
          if (row instanceof SpanRow) part.addSpans(row.text, row.spans, row.at);
          else part.addRow(row.values);
        }
        rows += batch.length;
        if (onProgress && rows - reported >= PROGRESS_EVERY) {
          reported = rows;
          onProgress({ rows, sourcesDone: index, sourcesTotal: sources.length });
        }
      }
      part.onMalformedValue = undefined;
      if (profile === undefined) {
        format = table.format;
        firstName = source.name;
      }
    } catch (error) {
      if (!skip || !(error instanceof InputError)) throw error;
      firstUnreadable ??= new InputError(error.location, unreadableReason(error, log));
      malformed.fileSkipped(source.name, unreadableReason(error, log));
      rows -= part?.rows ?? 0;
      onProgress?.({ rows, sourcesDone: index + 1, sourcesTotal: sources.length });
      continue;
    }
    if (skip) {
      part.malformed = log.count;
      malformed.absorb(log);
      profile = profile === undefined ? part : profile.merge(part);
    } else profile = part;
    onProgress?.({ rows, sourcesDone: index + 1, sourcesTotal: sources.length });
  }
  if (profile === undefined) {
    // only when skipping: failing, the first unreadable source has thrown already
    if (sources.length === 1) throw firstUnreadable!;
    const first = malformed.unreadableLines()[0];
    throw new NoUsableInputError(
      { file: options.inputName ?? sources[0]!.name },
      `nothing usable: all ${sources.length} files are unreadable (first: ${first})`,
    );
  }
  if (!skip) profile.malformed = malformed.count;
  return { profile, format: format! };
};

const sameColumns = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((name, i) => name === b[i]);
