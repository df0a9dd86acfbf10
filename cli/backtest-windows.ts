import { InputError } from '../functions/engine/errors.ts';
import { DatasetProfile } from '../functions/engine/profile/dataset-profile.ts';
import { MalformedLog } from '../functions/engine/profile/malformed-log.ts';
import { profileSources } from '../functions/engine/profile/profile-sources.ts';
import { listInputFiles, openFile } from '../functions/engine/readers/byte-source.ts';
import { SpanRow } from '../functions/engine/readers/span-row.ts';
import { openTable } from '../functions/engine/readers/table.ts';
import type { CaptureRow, Row } from '../functions/engine/readers/types.ts';
import type { InputOptions } from './read-input.ts';

/** One window of a backtest: its name, the rows it holds (profiled) and the records that could not be read. */
export interface BacktestWindow {
  readonly name: string;
  /** start of the window (time windows only) */
  readonly start?: Date;
  /** null: the window has no rows */
  readonly profile: DatasetProfile | null;
  readonly malformed: MalformedLog;
}

/** `--window`: `file` (each file one window) or a duration such as `30m`, `1h`, `1d` */
export const parseWindowFlag = (text: string): 'file' | number => {
  if (text === 'file') return 'file';
  const match = /^(\d+)(m|h|d)$/.exec(text);
  const amount = match ? Number(match[1]) : 0;
  if (!match || amount < 1) {
    throw new InputError({ file: '--window' }, `"${text}" is not "file" or a duration such as 30m, 1h, 1d`);
  }
  return amount * { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'm' | 'h' | 'd'];
};

const isEmptyInput = (error: unknown): boolean =>
  error instanceof InputError && error.reason.startsWith('empty input');

/** Each file of `path`, in name order, profiled as one window; an empty file is a window without rows. */
export async function* fileWindows(path: string, input: InputOptions): AsyncGenerator<BacktestWindow> {
  for (const file of await listInputFiles(path)) {
    const malformed = new MalformedLog();
    try {
      const { profile } = await profileSources([{ name: file, open: () => openFile(file) }], {
        format: input.format,
        header: input.header,
        schema: input.schema,
        malformed,
      });
      yield { name: file.split('/').pop()!, profile, malformed };
    } catch (error) {
      if (!isEmptyInput(error)) throw error;
      yield { name: file.split('/').pop()!, profile: null, malformed };
    }
  }
}

/** ISO 8601 text, or epoch seconds / milliseconds as a number */
const parseTime = (value: unknown): number | undefined => {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value !== 'string' || value === '') return undefined;
  const asNumber = Number(value);
  if (Number.isFinite(asNumber)) return parseTime(asNumber);
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
};

const isoName = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');

/**
 * The rows of every file under `path` (name order) split into windows of `durationMs` by their time: the
 * `timeField` column, or a capture record's `eventMetadata.inferenceTime`. Rows must come in time order; a
 * row earlier than the window being read, or without a readable time, is counted as malformed. Windows in a
 * gap of the data are yielded empty. One window's profile is in memory at a time.
 */
export async function* timeWindows(
  path: string,
  input: InputOptions,
  durationMs: number,
  timeField: string | undefined,
): AsyncGenerator<BacktestWindow> {
  let current: { start: number; profile: DatasetProfile; malformed: MalformedLog } | undefined;
  let columns: string[] | undefined;
  const finish = (): BacktestWindow => ({
    name: isoName(current!.start),
    start: new Date(current!.start),
    profile: current!.profile.rows > 0 ? current!.profile : null,
    malformed: current!.malformed,
  });
  for (const file of await listInputFiles(path)) {
    // malformed records are charged to the window being read when they are met
    const pending = new MalformedLog();
    const table = await openTable(file, openFile(file), {
      format: input.format,
      header: input.header,
      schema: input.schema,
      onMalformed: (record) => (current?.malformed ?? pending).sink(record),
    });
    if (columns && columns.join('\u0000') !== table.columns.join('\u0000')) {
      throw new InputError(
        { file },
        `columns [${table.columns.join(', ')}] differ from [${columns.join(', ')}]`,
      );
    }
    columns = table.columns;
    const timeIndex = timeField === undefined ? -1 : table.columns.indexOf(timeField);
    if (timeField !== undefined && timeIndex < 0 && table.format !== 'capture') {
      throw new InputError(
        { file, field: timeField },
        `--time-field: no such column (columns: ${table.columns.join(', ')})`,
      );
    }
    if (timeField === undefined && table.format !== 'capture') {
      throw new InputError({ file }, '--time-field is required to split CSV or JSON Lines input by time');
    }
    for await (const batch of table.batches) {
      for (const row of batch) {
        const raw =
          timeIndex >= 0 ? row.values[timeIndex] : (row as Row & Partial<CaptureRow>).capture?.inferenceTime;
        const t = parseTime(raw);
        const sink = current?.malformed ?? pending;
        if (t === undefined) {
          sink.sink({
            file,
            line: row.line,
            field: timeField ?? 'eventMetadata.inferenceTime',
            reason: `no readable time: ${JSON.stringify(raw ?? null)}`,
          });
          continue;
        }
        const start = Math.floor(t / durationMs) * durationMs;
        if (current && start < current.start) {
          sink.sink({
            file,
            line: row.line,
            reason: `time ${isoName(t)} is before the window ${isoName(current.start)}: rows must be in time order`,
          });
          continue;
        }
        if (!current || start > current.start) {
          if (current) {
            yield finish();
            for (let gap = current.start + durationMs; gap < start; gap += durationMs) {
              yield {
                name: isoName(gap),
                start: new Date(gap),
                profile: null,
                malformed: new MalformedLog(),
              };
            }
          }
          current = { start, profile: new DatasetProfile(table.columns), malformed: new MalformedLog() };
          for (const sample of pending.samples) current.malformed.sink(sample);
          current.malformed.count += pending.count - pending.samples.length;
          pending.count = 0;
          pending.samples.length = 0;
        }
        if (row instanceof SpanRow) current.profile.addSpans(row.text, row.spans, row.at);
        else current.profile.addRow(row.values);
      }
    }
  }
  if (current) yield finish();
}
