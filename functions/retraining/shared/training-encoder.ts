import type { ModelConfig } from '../../shared/config/model-schema.ts';
import type { RetrainingConfig } from '../../shared/config/retraining-schema.ts';
import type { TrainingEncoder } from '../../shared/retraining-contract.ts';
import { csvRow } from './object-bytes.ts';

/**
 * How prepare-data turns a model's features into the numbers SageMaker's built-in algorithms read, and how a
 * trainer or an inference container turns them back: fit on the training rows (categories and multiclass labels
 * sorted, so the same data always gives the same encoder), encode a row, write it as a CSV or JSON Lines record,
 * and decode the written columns into the features as the endpoint receives them.
 */

export type TrainingDataSettings = RetrainingConfig['trainingData'];

/** one labelled example as read: the label as trainingLabel made it, the features as text in config order */
export interface RawRow {
  readonly label: string;
  readonly features: readonly string[];
}

/** a written cell: a number, text (encoding `none`), or null for a missing value (an empty CSV field) */
export type EncodedCell = number | string | null;

export interface EncodedRow {
  readonly label: EncodedCell;
  readonly values: readonly EncodedCell[];
}

type Model = Pick<ModelConfig, 'name' | 'problemType' | 'features'>;

const isMissing = (text: string): boolean => text.trim() === '';
const asNumber = (text: string): number => Number(text.trim());
const isFiniteNumber = (text: string): boolean => !isMissing(text) && Number.isFinite(asNumber(text));

/**
 * Why a row cannot be written, or undefined: a numerical feature must be a finite number or missing (empty).
 * Checked where rows are read, so a bad value is reported with its file and line and the row is left out.
 */
export const featureProblem = (model: Pick<ModelConfig, 'features'>, features: readonly string[]) => {
  for (const [index, feature] of model.features.entries()) {
    const text = features[index] ?? '';
    if (feature.type === 'numerical' && !isMissing(text) && !isFiniteNumber(text)) {
      return `feature ${feature.name}: "${text}" is not a finite number`;
    }
  }
  return undefined;
};

/** numbers in numeric order when every value is one, else code-unit order: deterministic either way */
const sortedDistinct = (values: Iterable<string>): string[] => {
  const distinct = [...new Set(values)];
  if (distinct.every(isFiniteNumber)) return distinct.sort((a, b) => asNumber(a) - asNumber(b));
  return distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
};

/** Fits the encoder on the rows the channels will hold. */
export const fitEncoder = (
  model: Model,
  settings: TrainingDataSettings,
  rows: readonly RawRow[],
): TrainingEncoder => {
  const encoding = settings.categoricalEncoding;
  const features = model.features.map((feature, index) => {
    if (feature.type === 'numerical' || encoding === 'none') {
      return { name: feature.name, type: feature.type, categories: null, columns: [feature.name] };
    }
    const categories = sortedDistinct(
      rows.map((row) => (row.features[index] ?? '').trim()).filter((text) => text !== ''),
    );
    const columns =
      encoding === 'one-hot' ? categories.map((category) => `${feature.name}=${category}`) : [feature.name];
    return { name: feature.name, type: feature.type, categories, columns };
  });
  const classes =
    model.problemType === 'binary'
      ? ['0', '1']
      : model.problemType === 'multiclass' && encoding !== 'none'
        ? sortedDistinct(rows.map((row) => row.label))
        : null;
  return {
    formatVersion: 1,
    model: model.name,
    categoricalEncoding: encoding,
    labelColumn: settings.labelColumn,
    header: settings.header,
    label: { problemType: model.problemType, classes },
    features,
    columns: features.flatMap((feature) => feature.columns),
  };
};

const encodeLabel = (encoder: TrainingEncoder, label: string): EncodedCell => {
  const { problemType, classes } = encoder.label;
  if (problemType === 'multiclass') {
    if (!classes) return label;
    const index = classes.indexOf(label);
    return index === -1 ? null : index;
  }
  return asNumber(label);
};

/**
 * A row as the channels hold it. A category the encoder has not seen (only possible for rows it was not fitted
 * on) is missing: all zeros in one-hot, an empty cell in ordinal.
 */
export const encodeRow = (encoder: TrainingEncoder, row: RawRow): EncodedRow => {
  const values: EncodedCell[] = [];
  encoder.features.forEach((feature, index) => {
    const text = (row.features[index] ?? '').trim();
    if (feature.categories === null) {
      if (text === '') values.push(null);
      else values.push(feature.type === 'numerical' ? asNumber(text) : text);
      return;
    }
    const position = feature.categories.indexOf(text);
    if (encoder.categoricalEncoding === 'ordinal') {
      values.push(position === -1 ? null : position);
      return;
    }
    for (let i = 0; i < feature.categories.length; i++) values.push(i === position ? 1 : 0);
  });
  return { label: encodeLabel(encoder, row.label), values };
};

const withLabel = <T>(encoder: TrainingEncoder, label: T, values: readonly T[]): T[] => {
  if (encoder.labelColumn === 'first') return [label, ...values];
  if (encoder.labelColumn === 'last') return [...values, label];
  return [...values];
};

/** the CSV header row, when the encoder's settings ask for one */
export const csvHeader = (encoder: TrainingEncoder): string =>
  `${csvRow(withLabel(encoder, 'label', encoder.columns))}\n`;

/** one CSV record: the label where `labelColumn` puts it, missing values as empty fields */
export const csvRecord = (encoder: TrainingEncoder, row: EncodedRow): string =>
  `${csvRow(withLabel(encoder, row.label, row.values))}\n`;

/** one JSON Lines record: `{"label": 1, "features": [0.5, 0, 1]}` (no `label` when labelColumn is `none`) */
export const jsonLinesRecord = (encoder: TrainingEncoder, row: EncodedRow): string =>
  `${JSON.stringify(
    encoder.labelColumn === 'none' ? { features: row.values } : { label: row.label, features: row.values },
  )}\n`;

/** a written CSV record split back into its label (null without one) and its feature columns */
export const splitCsvRecord = (
  encoder: TrainingEncoder,
  fields: readonly string[],
): { label: string | null; columns: readonly string[] } => {
  if (encoder.labelColumn === 'first') return { label: fields[0] ?? null, columns: fields.slice(1) };
  if (encoder.labelColumn === 'last') return { label: fields.at(-1) ?? null, columns: fields.slice(0, -1) };
  return { label: null, columns: fields };
};

/** Raised when written columns do not match the encoder: another encoder's data, or a damaged file. */
export class EncodedRecordError extends Error {
  override readonly name = 'EncodedRecordError';
}

/**
 * The features as the endpoint receives them (text in config order) from the written columns: what a trainer
 * whose model serves raw requests, or a pipeline's decoding step, does with the encoder.
 */
export const decodeFeatures = (encoder: TrainingEncoder, columns: readonly string[]): string[] => {
  if (columns.length !== encoder.columns.length) {
    throw new EncodedRecordError(
      `expected ${encoder.columns.length} feature column(s) (${encoder.columns.join(', ')}), found ${columns.length}`,
    );
  }
  const features: string[] = [];
  let at = 0;
  for (const feature of encoder.features) {
    const width = feature.columns.length;
    const cells = columns.slice(at, at + width);
    at += width;
    if (feature.categories === null) {
      features.push(cells[0] ?? '');
    } else if (encoder.categoricalEncoding === 'ordinal') {
      const text = cells[0] ?? '';
      features.push(text === '' ? '' : (feature.categories[Number(text)] ?? ''));
    } else {
      const hot = cells.findIndex((cell) => Number(cell) === 1);
      features.push(hot === -1 ? '' : (feature.categories[hot] ?? ''));
    }
  }
  return features;
};

/** a written label back as the model's label (the class name for an encoded multiclass label) */
export const decodeLabel = (encoder: TrainingEncoder, label: string): string => {
  const { problemType, classes } = encoder.label;
  if (problemType === 'multiclass' && classes) return classes[Number(label)] ?? label;
  return label;
};
