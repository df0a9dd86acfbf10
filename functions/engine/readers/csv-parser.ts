import { InputError, type MalformedRecord } from '../errors.ts';
import { tooLongReason } from './limits.ts';

/** One CSV record: its fields, and where it starts. */
export interface CsvRecord {
  /** 1-based line where the record starts (a quoted field may carry it over several lines) */
  line: number;
  fields: string[];
  /** present only when some field was quoted; `quoted[i]` tells field i apart from a bare one */
  quoted?: boolean[];
}

/**
 * How a parser meets bad records. Without it, the first one throws an InputError (a capture payload is one
 * record: it is good or it is not). With it, a bad record is reported and parsing goes on (see CsvParser).
 */
export interface CsvRecovery {
  readonly onMalformed: (record: MalformedRecord) => void;
  /** characters in one record, quoted line breaks included; @default no cap */
  readonly maxRecordLength?: number;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
/** how much of a bad record's first line is kept to report it */
const RAW_LIMIT = 200;

// parser states
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const AFTER_QUOTE = 3; // inside a quoted field, just past a quote: either `""` or the closing one
const SKIPPING = 4; // dropping the rest of a bad record's first line

/**
 * An RFC 4180 parser fed text in chunks of any size, holding only the record in progress.
 * Fields are sliced out of the chunk, never built a character at a time; a field spanning
 * chunks is carried as one pending string.
 *
 * Recovery (with a `CsvRecovery`). RFC 4180 lets a quoted field hold line breaks, so a quote that opens by
 * mistake can swallow the lines after it, and the mistake shows only where that field fails: at a character
 * after its closing quote, at the end of the input, or when the record passes `maxRecordLength`. The rule:
 * a bad record is reported at the line where it starts, and parsing starts again at the line after that one,
 * as if the record had been that line alone. A bad first line is lost; the lines it swallowed are read again.
 * A record whose first line alone is bad (a stray quote in a bare field, text after a closing quote on the
 * same line, a line over the cap) ends at that line's break. The bound: a record, and so the text held to be
 * read again, is at most `maxRecordLength` characters. Each restart moves on by at least one line, and the
 * lines read again hold no quote before the one that ended the bad record, so the work stays about linear.
 */
export class CsvParser {
  private state = FIELD_START;
  private partial = '';
  private fields: string[] = [];
  private quoted: boolean[] | undefined;
  private line: number;
  private recordLine: number;
  private quoteLine = 0;
  private readonly delimiter: number;
  /** text of the record in progress from earlier chunks, kept only to recover from a bad record */
  private carried: string[] = [];
  private carriedLength = 0;
  private readonly maxRecordLength: number;

  constructor(
    private readonly file: string,
    delimiter = ',',
    firstLine = 1,
    private readonly recovery?: CsvRecovery,
  ) {
    const code = delimiter.charCodeAt(0);
    if (delimiter.length !== 1 || code === QUOTE || code === LF || code === CR) {
      throw new InputError(
        { file },
        `delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`,
      );
    }
    this.delimiter = code;
    this.line = firstLine;
    this.recordLine = firstLine;
    this.maxRecordLength = recovery?.maxRecordLength ?? Number.POSITIVE_INFINITY;
  }

  /** Parses one chunk, appending every record it completes to `out`. */
  push(chunk: string, out: CsvRecord[]): void {
    // a bad record that spanned lines hands back the text to read again: a loop, not recursion, however many
    for (let text: string | undefined = chunk; text !== undefined; ) text = this.scan(text, out);
  }

  /** Parses `chunk`; returns text to parse next when a bad record must be read again from its second line. */
  private scan(chunk: string, out: CsvRecord[]): string | undefined {
    const delimiter = this.delimiter;
    const max = this.maxRecordLength;
    let state = this.state;
    let partial = this.partial;
    let line = this.line;
    let start = 0;
    let recordStart = 0; // where the record in progress starts in this chunk (0: in an earlier one)
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      switch (state) {
        case UNQUOTED:
          if (c === delimiter || c === LF) {
            let value = partial === '' ? chunk.slice(start, i) : partial + chunk.slice(start, i);
            partial = '';
            state = FIELD_START;
            if (c === delimiter) {
              this.fields.push(value);
              break;
            }
            if (this.carriedLength + i - recordStart > max) {
              const next = this.abandon(tooLongReason('record', max), chunk, recordStart, i, line);
              if (next !== undefined) return next;
              partial = '';
              state = SKIPPING;
              i -= 1; // the line break ends the skipped line
              break;
            }
            if (value.charCodeAt(value.length - 1) === CR) value = value.slice(0, -1);
            this.fields.push(value);
            this.endRecord(out);
            line += 1;
            this.recordLine = line;
            recordStart = i + 1;
          } else if (c === QUOTE) {
            const next = this.abandon(
              'stray quote in an unquoted field (quote the whole field and double inner quotes)',
              chunk,
              recordStart,
              i,
              line,
            );
            if (next !== undefined) return next;
            partial = '';
            state = SKIPPING;
          }
          break;
        case QUOTED:
          if (c === QUOTE) {
            partial += chunk.slice(start, i);
            state = AFTER_QUOTE;
          } else if (c === LF) {
            line += 1;
          }
          break;
        case AFTER_QUOTE:
          if (c === QUOTE) {
            // a doubled quote: the second one opens the next slice, so it lands in the value
            start = i;
            state = QUOTED;
          } else if (c === delimiter || c === LF) {
            if (c === LF && this.carriedLength + i - recordStart > max) {
              const next = this.abandon(tooLongReason('record', max), chunk, recordStart, i, line);
              if (next !== undefined) return next;
              partial = '';
              state = SKIPPING;
              i -= 1;
              break;
            }
            this.pushQuoted(partial);
            partial = '';
            state = FIELD_START;
            if (c === LF) {
              this.endRecord(out);
              line += 1;
              this.recordLine = line;
              recordStart = i + 1;
            }
          } else if (c !== CR) {
            const next = this.abandon(
              'unexpected character after a closing quote',
              chunk,
              recordStart,
              i,
              line,
            );
            if (next !== undefined) return next;
            partial = '';
            state = SKIPPING;
          }
          break;
        case SKIPPING: {
          // a skipped line may be megabytes long: jump to its end rather than step through it
          const end = c === LF ? i : chunk.indexOf('\n', i);
          if (end === -1) {
            i = chunk.length;
            break;
          }
          i = end;
          state = FIELD_START;
          line += 1;
          this.recordLine = line;
          recordStart = i + 1;
          break;
        }
        default:
          if (c === QUOTE) {
            state = QUOTED;
            start = i + 1;
            this.quoteLine = line;
          } else if (c === delimiter) {
            this.fields.push('');
          } else if (c === LF) {
            if (this.carriedLength + i - recordStart > max) {
              const next = this.abandon(tooLongReason('record', max), chunk, recordStart, i, line);
              if (next !== undefined) return next;
              partial = '';
              state = SKIPPING;
              i -= 1;
              break;
            }
            this.fields.push('');
            this.endRecord(out);
            line += 1;
            this.recordLine = line;
            recordStart = i + 1;
          } else {
            state = UNQUOTED;
            start = i;
          }
      }
    }
    if (state === UNQUOTED || state === QUOTED) partial += chunk.slice(start);
    if (this.recovery !== undefined && state !== SKIPPING && recordStart < chunk.length) {
      this.carried.push(chunk.slice(recordStart));
      this.carriedLength += chunk.length - recordStart;
      if (this.carriedLength > max) {
        // the record in progress passed the cap before its end: give it up now, memory stays bounded
        const next = this.abandon(tooLongReason('record', max), chunk, chunk.length, chunk.length, line);
        if (next !== undefined) return next;
        partial = '';
        state = SKIPPING;
      }
    }
    this.state = state;
    this.partial = partial;
    this.line = line;
    return undefined;
  }

  /**
   * Gives up the record in progress, whose text runs from `recordStart` in `chunk` (after the carried text)
   * to `at`: throws without a recovery; else reports it and returns the text to read again from its second
   * line (the parser reset to read it), or undefined when the bad record is its first line alone, whose
   * rest the caller skips.
   */
  private abandon(
    reason: string,
    chunk: string,
    recordStart: number,
    at: number,
    line: number,
  ): string | undefined {
    if (this.recovery === undefined) throw this.error(line, reason);
    const head = chunk.slice(recordStart, at);
    const raw = this.carried.length > 0 ? this.carried.join('') + head : head;
    const next = this.report(reason, raw);
    if (next === undefined) return undefined;
    return next + chunk.slice(at);
  }

  /** reports a bad record of text `raw`; the rest of its text after its first line, or undefined */
  private report(reason: string, raw: string): string | undefined {
    const firstBreak = raw.indexOf('\n');
    this.recovery!.onMalformed({
      file: this.file,
      line: this.recordLine,
      reason,
      raw: raw.slice(0, Math.min(RAW_LIMIT, firstBreak === -1 ? raw.length : firstBreak)),
    });
    this.dropRecord();
    if (firstBreak === -1) return undefined;
    // the record's first line is lost; the ones after it are read again, as lines of their own
    this.state = FIELD_START;
    this.partial = '';
    this.line = this.recordLine + 1;
    this.recordLine = this.line;
    return raw.slice(firstBreak + 1);
  }

  /** Ends the input: completes a last record without a newline, or fails on an open quote. */
  finish(out: CsvRecord[]): void {
    while (this.state === QUOTED) {
      const reason = 'unterminated quoted field (closing quote missing)';
      if (this.recovery === undefined) throw this.error(this.quoteLine, reason);
      const next = this.report(reason, this.carried.join(''));
      this.state = FIELD_START;
      this.partial = '';
      if (next !== undefined) this.push(next, out);
    }
    if (this.state === UNQUOTED) {
      const value = this.partial;
      this.fields.push(value.charCodeAt(value.length - 1) === CR ? value.slice(0, -1) : value);
    } else if (this.state === AFTER_QUOTE) {
      this.pushQuoted(this.partial);
    } else if (this.state === FIELD_START && this.fields.length > 0) {
      // `a,` at the very end: the delimiter promised one more, empty, field
      this.fields.push('');
    }
    if (this.fields.length > 0) this.endRecord(out);
    this.dropRecord();
    this.state = FIELD_START;
    this.partial = '';
  }

  private dropRecord(): void {
    this.fields = [];
    this.quoted = undefined;
    this.carried = [];
    this.carriedLength = 0;
  }

  private pushQuoted(value: string): void {
    this.quoted ??= [];
    this.quoted[this.fields.length] = true;
    this.fields.push(value);
  }

  private endRecord(out: CsvRecord[]): void {
    const fields = this.fields;
    const quoted = this.quoted;
    // a blank line is no record; a line holding `""` is one (a quoted empty field)
    if (quoted !== undefined) {
      for (let k = 0; k < fields.length; k++) quoted[k] ??= false;
      out.push({ line: this.recordLine, fields, quoted });
    } else if (fields.length > 1 || fields[0] !== '') {
      out.push({ line: this.recordLine, fields });
    }
    this.fields = [];
    this.quoted = undefined;
    if (this.carriedLength > 0) {
      this.carried = [];
      this.carriedLength = 0;
    }
  }

  private error(line: number, reason: string): InputError {
    return new InputError({ file: this.file, line }, reason);
  }
}

/** Parses a whole CSV text held in memory (a capture payload), numbering lines from `firstLine`. */
export const parseCsvText = (text: string, file: string, firstLine = 1, delimiter = ','): CsvRecord[] => {
  const parser = new CsvParser(file, delimiter, firstLine);
  const out: CsvRecord[] = [];
  parser.push(text, out);
  parser.finish(out);
  return out;
};
