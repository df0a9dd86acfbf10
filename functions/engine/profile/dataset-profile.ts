import type { MalformedRecord } from '../errors.ts';
import { assertFiniteNumbers } from '../finite-json.ts';
import type { CellValue } from '../readers/types.ts';
import {
  FeatureProfile,
  type FeatureProfileJson,
  type FeatureProfileOptions,
  type MalformedValueSink,
} from './feature-profile.ts';

export const PROFILE_FORMAT_VERSION = 1;

export interface DatasetProfileJson {
  formatVersion: number;
  rows: number;
  malformed: number;
  columns: string[];
  features: FeatureProfileJson[];
}

/**
 * The profile of a window (or a whole dataset): one FeatureProfile per column, the row count, and how many
 * records were malformed. Profiles of disjoint parts merge into the profile of the whole, which is what lets
 * hourly windows roll up into days and a large window fan out across workers.
 */
export class DatasetProfile {
  rows = 0;
  malformed = 0;
  readonly features: FeatureProfile[];
  private readonly byName = new Map<string, FeatureProfile>();

  constructor(
    readonly columns: readonly string[],
    options: FeatureProfileOptions = {},
  ) {
    const seen = new Set<string>();
    for (const name of columns) {
      if (seen.has(name)) throw new RangeError(`duplicate column name "${name}"`);
      seen.add(name);
    }
    this.features = columns.map((name) => new FeatureProfile(name, options));
    for (const feature of this.features) this.byName.set(feature.name, feature);
  }

  /** adds one row whose cells line up with `columns` (readers guarantee the width) */
  addRow(values: readonly CellValue[]): void {
    this.rows += 1;
    const features = this.features;
    for (let i = 0; i < features.length; i++) features[i]!.add(values[i] ?? null);
  }

  /**
   * Adds one row whose cell i is `text.slice(spans[at + 2i], spans[at + 2i + 1])` (empty: missing), as
   * `addRow` would add those slices, but without cutting a string per cell (see FeatureProfile.addSpan).
   */
  addSpans(text: string, spans: Int32Array, at: number): void {
    this.rows += 1;
    const features = this.features;
    for (let i = 0, k = at; i < features.length; i++, k += 2)
      features[i]!.addSpan(text, spans[k]!, spans[k + 1]!);
  }

  recordMalformed(_record?: MalformedRecord): void {
    this.malformed += 1;
  }

  /** Who hears of each value a feature skips as malformed (see FeatureProfile); the reader knows the line. */
  set onMalformedValue(sink: MalformedValueSink | undefined) {
    for (const feature of this.features) feature.onMalformedValue = sink;
  }

  /** values skipped as malformed, over every feature (each also counted missing in its feature) */
  get malformedValues(): number {
    let total = 0;
    for (const feature of this.features) total += feature.malformed;
    return total;
  }

  feature(name: string): FeatureProfile | undefined {
    return this.byName.get(name);
  }

  /** a copy without the named columns (e.g. ids and timestamps that should not be monitored) */
  without(names: readonly string[]): DatasetProfile {
    const drop = new Set(names);
    const json = this.toJSON();
    return DatasetProfile.fromJSON({
      ...json,
      columns: json.columns.filter((c) => !drop.has(c)),
      features: json.features.filter((f) => !drop.has(f.name)),
    });
  }

  /** folds another profile of the same columns into this one */
  merge(other: DatasetProfile): this {
    if (other.columns.length !== this.columns.length || other.columns.some((c, i) => c !== this.columns[i])) {
      throw new RangeError(
        `cannot merge profiles with different columns: [${this.columns.join(', ')}] vs [${other.columns.join(', ')}]`,
      );
    }
    this.rows += other.rows;
    this.malformed += other.malformed;
    this.features.forEach((feature, i) => {
      feature.merge(other.features[i]!);
    });
    return this;
  }

  /** Throws NonFiniteNumberError rather than let a profile be stored with a number JSON would write as null. */
  toJSON(): DatasetProfileJson {
    return assertFiniteNumbers(
      {
        formatVersion: PROFILE_FORMAT_VERSION,
        rows: this.rows,
        malformed: this.malformed,
        columns: [...this.columns],
        features: this.features.map((feature) => feature.toJSON()),
      },
      'a profile',
    );
  }

  /** Throws RangeError for a profile of another format version or with a damaged figure. */
  static fromJSON(json: DatasetProfileJson): DatasetProfile {
    if (json.formatVersion !== PROFILE_FORMAT_VERSION) {
      throw new RangeError(`unsupported profile format version ${json.formatVersion}`);
    }
    const profile = new DatasetProfile(json.columns);
    profile.rows = json.rows;
    profile.malformed = json.malformed;
    json.features.forEach((feature, i) => {
      profile.features[i] = FeatureProfile.fromJSON(feature);
    });
    profile.byName.clear();
    for (const feature of profile.features) profile.byName.set(feature.name, feature);
    return profile;
  }
}
