import { InputError } from '../errors.ts';

/** One CSV record: its fields, and where it starts. */
export interface CsvRecord {
  /** 1-based line where the record starts (a quoted field may carry it over several lines) */
  line: number;
  fields: string[];
  /** present only when some field was quoted; `quoted[i]` tells field i apart from a bare one */
  quoted?: boolean[];
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

// parser states
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const AFTER_QUOTE = 3; // inside a quoted field, just past a quote: either `""` or the closing one

/**
 * An RFC 4180 parser fed text in chunks of any size, holding only the record in progress.
 * Fields are sliced out of the chunk, never built a character at a time; a field spanning
 * chunks is carried as one pending string.
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

  constructor(
    private readonly file: string,
    delimiter = ',',
    firstLine = 1,
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
  }

  /** Parses one chunk, appending every record it completes to `out`. */
  push(chunk: string, out: CsvRecord[]): void {
    const delimiter = this.delimiter;
    let state = this.state;
    let partial = this.partial;
    let line = this.line;
    let start = 0;
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
            if (value.charCodeAt(value.length - 1) === CR) value = value.slice(0, -1);
            this.fields.push(value);
            this.endRecord(out);
            line += 1;
            this.recordLine = line;
          } else if (c === QUOTE) {
            throw this.error(
              line,
              'stray quote in an unquoted field (quote the whole field and double inner quotes)',
            );
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
            this.pushQuoted(partial);
            partial = '';
            state = FIELD_START;
            if (c === LF) {
              this.endRecord(out);
              line += 1;
              this.recordLine = line;
            }
          } else if (c !== CR) {
            throw this.error(line, 'unexpected character after a closing quote');
          }
          break;
        default:
          if (c === QUOTE) {
            state = QUOTED;
            start = i + 1;
            this.quoteLine = line;
          } else if (c === delimiter) {
            this.fields.push('');
          } else if (c === LF) {
            this.fields.push('');
            this.endRecord(out);
            line += 1;
            this.recordLine = line;
          } else {
            state = UNQUOTED;
            start = i;
          }
      }
    }
    if (state === UNQUOTED || state === QUOTED) partial += chunk.slice(start);
    this.state = state;
    this.partial = partial;
    this.line = line;
  }

  /** Ends the input: completes a last record without a newline, or fails on an open quote. */
  finish(out: CsvRecord[]): void {
    if (this.state === QUOTED)
      throw this.error(this.quoteLine, 'unterminated quoted field (closing quote missing)');
    if (this.state === UNQUOTED) {
      const value = this.partial;
      this.fields.push(value.charCodeAt(value.length - 1) === CR ? value.slice(0, -1) : value);
    } else if (this.state === AFTER_QUOTE) {
      this.pushQuoted(this.partial);
    } else if (this.fields.length > 0) {
      // `a,` at the very end: the delimiter promised one more, empty, field
      this.fields.push('');
    }
    if (this.fields.length > 0) this.endRecord(out);
    this.state = FIELD_START;
    this.partial = '';
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
