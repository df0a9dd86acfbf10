import { scanCaptureLine } from './capture-scanner.ts';
import { ownSlice } from './own-string.ts';
import type { CaptureMetadata, CaptureRow, CellValue } from './types.ts';

/**
 * A capture row whose cells are still spans of the line's text: cell i is
 * `text.slice(spans[at + 2i], spans[at + 2i + 1])`, or null (missing) when that is empty, exactly the
 * cells the CSV payload decoder would give. The profiler reads the spans directly (no string per
 * number); anyone else gets the same `values` as from any other row, cut on first use, as strings of
 * their own that do not keep the line's chunk of input alive.
 */
export class SpanRow implements CaptureRow {
  private cells: CellValue[] | undefined;
  private metadata: CaptureMetadata | undefined;

  constructor(
    readonly line: number,
    /** the whole capture line the spans point into, one `scanCaptureLine` takes */
    readonly text: string,
    /** start and end offsets, shared by the rows of one batch */
    readonly spans: Int32Array,
    /** where this row's pairs start in `spans` */
    readonly at: number,
    readonly width: number,
  ) {}

  /** the record's identity, read from the line on first use: profiling never needs it */
  get capture(): CaptureMetadata {
    this.metadata ??= scanCaptureLine(this.text, this.line)!.metadata;
    return this.metadata;
  }

  get values(): CellValue[] {
    if (this.cells === undefined) {
      const cells = new Array<CellValue>(this.width);
      for (let i = 0, k = this.at; i < this.width; i++, k += 2) {
        const start = this.spans[k]!;
        const end = this.spans[k + 1]!;
        cells[i] = start === end ? null : ownSlice(this.text, start, end);
      }
      this.cells = cells;
    }
    return this.cells;
  }
}

/**
 * Writes the spans of the `width` comma-separated fields of text[start, end) into `spans` from `at`.
 * The caller has made sure the text holds no quote and no line break, so splitting on commas is the
 * whole CSV grammar. False (spans partly written, to be ignored) when the field count is not `width`.
 */
export const writeCsvSpans = (
  text: string,
  start: number,
  end: number,
  width: number,
  spans: Int32Array,
  at: number,
): boolean => {
  let from = start;
  let k = at;
  for (let i = 1; i < width; i++) {
    const comma = text.indexOf(',', from);
    if (comma === -1 || comma >= end) return false;
    spans[k++] = from;
    spans[k++] = comma;
    from = comma + 1;
  }
  // the last field runs to the end: a comma inside it means more fields than expected
  const extra = text.indexOf(',', from);
  if (extra !== -1 && extra < end) return false;
  spans[k++] = from;
  spans[k] = end;
  return true;
};
