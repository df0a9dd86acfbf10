import type { CellValue } from '../readers/types.ts';
import { KllSketch } from '../sketch/kll-sketch.ts';
import { CategoryCounter, type CategoryCounterJson, DEFAULT_CATEGORY_CAPACITY } from './category-counter.ts';
import { NumericAccumulator, type NumericAccumulatorJson } from './numeric-accumulator.ts';
import { type DecimalScan, isNonFiniteSpelling, scanDecimal, unprofilableNumber } from './value-kind.ts';

/** Model Monitor's names for a feature's type. */
export type InferredType = 'Integral' | 'Fractional' | 'String' | 'Unknown';

export interface KindCounts {
  integral: number;
  fractional: number;
  string: number;
}

export interface FeatureProfileJson {
  name: string;
  present: number;
  missing: number;
  /** of the missing, how many were malformed values; absent in profiles written before it was counted */
  malformed?: number;
  kinds: KindCounts;
  numeric: NumericAccumulatorJson;
  categories: CategoryCounterJson;
}

export interface FeatureProfileOptions {
  readonly sketchK?: number;
  readonly categoryCapacity?: number;
}

/** Hears of each value a profile skipped as malformed: the feature, the value as written, and why. */
export type MalformedValueSink = (feature: string, text: string, reason: string) => void;

// one scan result reused by every profile: the hot path allocates nothing per cell
const scanned: DecimalScan = { kind: 'missing', value: 0 };

const NON_FINITE_TEXT = 'not a finite number';

/**
 * Everything model-care knows about one feature in one window, built in a single pass and mergeable:
 * counts of present and missing cells, of each value kind (for the type inference and the data-type
 * check), numeric moments and a quantile sketch, and bounded category counts.
 *
 * A malformed value (a number that parses to an infinity or NaN, a formatter's spelling of one such as
 * "NaN" or "-inf", or one too large to profile, see MAX_PROFILED_MAGNITUDE) is counted in `malformed` and
 * as missing, as Spark's permissive reading turns a value it cannot take into null, and never reaches the
 * moments, extremes, sketch or categories; `onMalformedValue` hears of each one.
 */
export class FeatureProfile {
  present = 0;
  missing = 0;
  malformed = 0;
  onMalformedValue: MalformedValueSink | undefined;
  readonly kinds: KindCounts = { integral: 0, fractional: 0, string: 0 };
  numeric: NumericAccumulator;
  categories: CategoryCounter;

  constructor(
    readonly name: string,
    options: FeatureProfileOptions = {},
  ) {
    this.numeric = new NumericAccumulator(new KllSketch(options.sketchK));
    this.categories = new CategoryCounter(options.categoryCapacity ?? DEFAULT_CATEGORY_CAPACITY);
  }

  add(value: CellValue): void {
    if (value === null) {
      this.missing += 1;
      return;
    }
    if (typeof value === 'number') {
      const problem = unprofilableNumber(value);
      if (problem !== undefined) {
        this.addMalformed(String(value), problem);
        return;
      }
      this.countNumber(value, Number.isInteger(value) ? 'integral' : 'fractional');
      // the number's text only while the category table has room: String() is dear on a hot path
      if (this.categories.isFull) this.categories.addOther();
      else this.categories.add(String(value));
      return;
    }
    if (typeof value === 'boolean') {
      const text = value ? 'true' : 'false';
      this.addString(text, 0, text.length);
      return;
    }
    this.addSpan(value, 0, value.length);
  }

  /**
   * Adds the cell text[start, end) as `add` would add `text.slice(start, end)` (an empty span is missing),
   * without cutting a string: the number is read from the characters, and the category table looks the
   * span up as it is.
   */
  addSpan(text: string, start: number, end: number): void {
    const kind = scanDecimal(text, start, end, scanned);
    if (kind === 'missing') this.missing += 1;
    else if (kind === 'string') {
      if (isNonFiniteSpelling(text, start, end)) this.addMalformed(text.slice(start, end), NON_FINITE_TEXT);
      else this.addString(text, start, end);
    } else {
      const problem = unprofilableNumber(scanned.value);
      if (problem === undefined) this.addNumber(scanned.value, kind, text, start, end);
      else this.addMalformed(text.slice(start, end), problem);
    }
  }

  /** Model Monitor's rule: any string makes the feature a String; any fraction makes it Fractional */
  get inferredType(): InferredType {
    if (this.present === 0) return 'Unknown';
    if (this.kinds.string > 0) return 'String';
    if (this.kinds.fractional > 0) return 'Fractional';
    return 'Integral';
  }

  merge(other: FeatureProfile): this {
    this.present += other.present;
    this.missing += other.missing;
    this.malformed += other.malformed;
    this.kinds.integral += other.kinds.integral;
    this.kinds.fractional += other.kinds.fractional;
    this.kinds.string += other.kinds.string;
    this.numeric.merge(other.numeric);
    this.categories.merge(other.categories);
    return this;
  }

  toJSON(): FeatureProfileJson {
    return {
      name: this.name,
      present: this.present,
      missing: this.missing,
      malformed: this.malformed,
      kinds: { ...this.kinds },
      numeric: this.numeric.toJSON(),
      categories: this.categories.toJSON(),
    };
  }

  static fromJSON(json: FeatureProfileJson): FeatureProfile {
    const profile = new FeatureProfile(json.name);
    profile.present = json.present;
    profile.missing = json.missing;
    profile.malformed = json.malformed ?? 0;
    Object.assign(profile.kinds, json.kinds);
    profile.numeric = NumericAccumulator.fromJSON(json.numeric);
    profile.categories = CategoryCounter.fromJSON(json.categories);
    return profile;
  }

  /** `text[start, end)` is the number as written: its category while the table has room */
  private addNumber(
    x: number,
    kind: 'integral' | 'fractional',
    text: string,
    start: number,
    end: number,
  ): void {
    this.countNumber(x, kind);
    // a numeric column with more distinct values than the table holds is continuous: its distribution
    // lives in the sketch, so stop paying for a map lookup per value
    if (this.categories.isFull) this.categories.addOther();
    else this.categories.addSpan(text, start, end);
  }

  private countNumber(x: number, kind: 'integral' | 'fractional'): void {
    this.present += 1;
    // two plain stores, cheaper on the hot path than a store keyed by the kind's name
    if (kind === 'integral') this.kinds.integral += 1;
    else this.kinds.fractional += 1;
    // -0 would not survive a JSON round trip (it prints as 0), so it is counted as 0 from the start
    this.numeric.add(x === 0 ? 0 : x);
  }

  private addMalformed(text: string, reason: string): void {
    this.missing += 1;
    this.malformed += 1;
    this.onMalformedValue?.(this.name, text, reason);
  }

  private addString(text: string, start: number, end: number): void {
    this.present += 1;
    this.kinds.string += 1;
    this.categories.addSpan(text, start, end);
  }
}
